import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraph, type FakeGraph } from '@roster/fake-graph';
import { build, type TestApp, type TestOrg } from '../helper.js';
import { addUsers, mailboxEnv, sleep, useGraph } from './support.js';

const INTERVAL = 4;

describe('one org’s probe run holds back no other org', () => {
  let t: TestApp;
  let hanging: FakeGraph;
  let healthy: FakeGraph;
  let other: TestOrg;
  let ids: string[];
  beforeAll(async () => {
    hanging = await startFakeGraph({ latencyMs: 20 });
    healthy = await startFakeGraph({ latencyMs: 20 });
    t = await build({
      queue: true,
      env: mailboxEnv({
        MAILBOX_INTERVAL_SECONDS: String(INTERVAL),
        MAILBOX_TICK_SECONDS: '0.5',
        MAILBOX_RECHECK_SECONDS: '30',
      }),
    });
    other = await t.createOrg('Fabrikam');
    const slowEmails = Array.from({ length: 10 }, (_, i) => `slow${i}@contoso.test`);
    const emails = Array.from({ length: 10 }, (_, i) => `rep${i}@fabrikam.test`);
    for (const email of [...slowEmails, t.org.adminEmail]) hanging.addUser(email);
    for (const email of [...emails, other.adminEmail]) healthy.addUser(email);
    await addUsers(t, slowEmails, { status: 'active' });
    ids = await addUsers(t, emails, { status: 'active', org: other });
    // Every Graph call of the first org hangs (8 s) from the start: its probe run outlasts many ticks.
    hanging.control.latencyMs = 8_000;
    await useGraph(t, hanging);
    await useGraph(t, healthy, other);
  });
  afterAll(async () => {
    await t?.close();
    await hanging?.close();
    await healthy?.close();
  });

  it(
    'probes the other org’s users at every interval while the first org’s provider hangs',
    { timeout: 90_000 },
    async () => {
      await sleep(INTERVAL * 4.5 * 1000);
      const rows: { user_id: string; probed_at: Date }[] = await t.app
        .db('mailbox_probe_results')
        .whereIn('user_id', ids)
        .orderBy('probed_at')
        .select('user_id', 'probed_at');
      for (const id of ids) {
        const times = rows.filter((r) => r.user_id === id).map((r) => new Date(r.probed_at).getTime());
        // Probed at each interval's slot: never more than one interval (and a little slack) between two probes.
        const gaps = times.slice(1).map((at, i) => at - times[i]!);
        expect(times.length, `probes of ${id}`).toBeGreaterThanOrEqual(3);
        expect(Math.max(...gaps), `longest gap of ${id}`).toBeLessThan(INTERVAL * 1000 + 2500);
      }
    },
  );
});
