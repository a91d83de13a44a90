import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraph, type FakeGraph } from '@roster/fake-graph';
import { build, type TestApp } from '../helper.js';
import { addUsers, mailboxEnv, sleep, useGraph } from './support.js';

const INTERVAL = 6;

describe('the probe schedule across two service instances', () => {
  let first: TestApp;
  let second: TestApp;
  let graph: FakeGraph;
  let ids: string[];
  beforeAll(async () => {
    graph = await startFakeGraph({ latencyMs: 20 });
    const env = mailboxEnv({
      MAILBOX_INTERVAL_SECONDS: String(INTERVAL),
      MAILBOX_TICK_SECONDS: '0.5',
      MAILBOX_RECHECK_SECONDS: '30',
    });
    first = await build({ queue: true, env });
    second = await build({ queue: true, database: first.database, env });
    const emails = Array.from({ length: 40 }, (_, i) => `rep${i}@contoso.test`);
    for (const email of [...emails, first.org.adminEmail]) graph.addUser(email);
    ids = await addUsers(first, emails, { status: 'active' });
    await addUsers(first, ['data.rep@contoso.test'], { role: 'data' });
    await useGraph(first, graph);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await graph?.close();
  });

  it(
    'probes every user exactly once per interval, spread over it, whichever instance runs the jobs',
    { timeout: 120_000 },
    async () => {
      const started = Date.now();
      const probedCount = async () =>
        Number(
          (await first.app.db('mailbox_probe_results').whereIn('user_id', ids).countDistinct({ n: 'user_id' }))[0]!.n,
        );
      while ((await probedCount()) < ids.length && Date.now() - started < 60_000) await sleep(250);
      expect(await probedCount()).toBe(ids.length);
      await sleep(INTERVAL * 1000); // and through a second interval

      // Each result belongs to one of its user's slots (a fixed offset in the interval): never two in one slot.
      const perSlot = await first.app.db.raw(
        `SELECT user_id, floor((extract(epoch FROM probed_at) - mod(abs(hashtext(user_id::text)::bigint), ?)) / ?) AS slot, count(*)::int AS n
       FROM mailbox_probe_results WHERE org_id = ? GROUP BY 1, 2`,
        [INTERVAL, INTERVAL, first.org.orgId],
      );
      expect(perSlot.rows.length).toBeGreaterThan(ids.length);
      expect(perSlot.rows.filter((r: { n: number }) => r.n > 1)).toEqual([]);

      // Spread: the first round's probes did not all land at once.
      const seconds = await first.app
        .db('mailbox_probe_results')
        .whereIn('user_id', ids)
        .select(first.app.db.raw('count(DISTINCT floor(extract(epoch FROM probed_at))) AS n'))
        .first();
      expect(Number(seconds.n)).toBeGreaterThanOrEqual(3);

      const [{ n }] = (await first.app
        .db('mailbox_probe_results as r')
        .join('users as u', 'u.id', 'r.user_id')
        .where('u.role', 'data')
        .count({ n: '*' })) as [{ n: string }];
      expect(Number(n)).toBe(0);
      // The admin (pending at first) onboarded through the queued backfill scan.
      const admin = await first.app.db('users').where({ id: first.org.adminUserId }).first('status');
      expect(admin.status).toBe('active');
    },
  );
});
