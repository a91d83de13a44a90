import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraph, type FakeGraph } from '@roster/fake-graph';
import { scoped } from '../../src/db/scoped.js';
import { claimDue, claimLeaseSeconds } from '../../src/mailbox/repo.js';
import { build, type TestApp } from '../helper.js';
import { addUsers, mailboxEnv, makeDue, sleep, useGraph } from './support.js';

/** Healthy users only (the org's admin suspended out of the way): each is one request per interval. */
async function healthyUsers(t: TestApp, graph: FakeGraph, prefix: string, n: number): Promise<string[]> {
  const emails = Array.from({ length: n }, (_, i) => `${prefix}${i}@contoso.test`);
  for (const email of emails) graph.addUser(email);
  const ids = await addUsers(t, emails, { status: 'active' });
  await t.app.db('users').where({ org_id: t.org.orgId }).whereNotIn('id', ids).update({ status: 'suspended' });
  await t.app.mailbox.engine.runDue(t.org.orgId, { deadline: Date.now() }); // seeds probe states only
  await t.app
    .db('mailbox_probe_state')
    .whereIn('user_id', ids)
    .update({ last_outcome: 'ok', consecutive_successes: 2, backfill_finished_at: new Date() });
  return ids;
}

const probesOf = async (t: TestApp, ids: string[]) => {
  const rows: { user_id: string; n: string | number }[] = await t.app
    .db('mailbox_probe_results')
    .whereIn('user_id', ids)
    .groupBy('user_id')
    .select('user_id')
    .count({ n: '*' });
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
};

describe('a probe batch lost with its replica', () => {
  const INTERVAL = 30;
  const LEASE = claimLeaseSeconds(INTERVAL);
  let t: TestApp;
  let graph: FakeGraph;
  let ids: string[];
  const run = () => t.app.mailbox.engine.runDue(t.org.orgId);
  // What a replica killed mid-batch leaves behind: its users claimed, their probe never recorded.
  const claimAndDie = () => claimDue(scoped(t.app.db, t.org.orgId), INTERVAL, 100);
  /** Each user is due next on their slot (their fixed offset in the interval), at most an interval away. */
  const expectOnTheirNextSlots = async () => {
    const states: { next_probe_at: Date; slot_offset: number }[] = await t.app
      .db('mailbox_probe_state')
      .whereIn('user_id', ids)
      .select(
        'next_probe_at',
        t.app.db.raw('mod(abs(hashtext(user_id::text)::bigint), ?)::int AS slot_offset', [INTERVAL]),
      );
    expect(states).toHaveLength(ids.length);
    for (const s of states) {
      const at = new Date(s.next_probe_at).getTime();
      expect((at / 1000 - s.slot_offset) % INTERVAL).toBe(0);
      expect(at).toBeGreaterThan(Date.now());
      expect(at).toBeLessThanOrEqual(Date.now() + INTERVAL * 1000);
    }
  };
  beforeAll(async () => {
    graph = await startFakeGraph();
    t = await build({ env: mailboxEnv({ MAILBOX_INTERVAL_SECONDS: String(INTERVAL) }) });
    await useGraph(t, graph);
    ids = await healthyUsers(t, graph, 'lost', 10);
  });
  afterAll(async () => {
    await t?.close();
    await graph?.close();
  });

  it('is probed again once its claim’s lease runs out, not a whole interval later, and then waits for their next slot', async () => {
    await makeDue(t);
    expect((await claimAndDie()).map((u) => u.user_id).sort()).toEqual([...ids].sort());

    await sleep(LEASE * 1000 + 500);
    await run();
    const probes = await probesOf(t, ids);
    expect([...probes.keys()].sort()).toEqual([...ids].sort());
    expect([...probes.values()].every((n) => n === 1)).toBe(true);
    // Recorded: each waits for their next slot.
    await expectOnTheirNextSlots();
  });

  it('lost a second time in a row, waits for its users’ next slot: a batch that keeps failing costs one retry', async () => {
    await makeDue(t);
    await claimAndDie();
    await sleep(LEASE * 1000 + 500);
    const retried = await claimAndDie();
    expect(retried.map((u) => u.user_id).sort()).toEqual([...ids].sort());
    await expectOnTheirNextSlots();
  });
});

describe('a probe batch slower than its claim’s lease', () => {
  const INTERVAL = 15;
  let first: TestApp;
  let second: TestApp;
  let graph: FakeGraph;
  let ids: string[];
  beforeAll(async () => {
    // Every Graph call takes 2.5 s: each batch outlasts its 1.5-second lease.
    graph = await startFakeGraph({ latencyMs: 2_500 });
    const env = mailboxEnv({
      MAILBOX_INTERVAL_SECONDS: String(INTERVAL),
      MAILBOX_TICK_SECONDS: '0.5',
      MAILBOX_RECHECK_SECONDS: '60',
    });
    first = await build({ queue: true, env });
    second = await build({ queue: true, database: first.database, env });
    await useGraph(first, graph);
    ids = await healthyUsers(first, graph, 'slow', 20);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await graph?.close();
  });

  it('is still probed once per interval, whichever instance runs the org', { timeout: 120_000 }, async () => {
    const since = Date.now();
    await sleep(INTERVAL * 2500);
    const perSlot = await first.app.db.raw(
      `SELECT user_id, floor((extract(epoch FROM probed_at) - mod(abs(hashtext(user_id::text)::bigint), ?)) / ?) AS slot,
         count(*)::int AS n
       FROM mailbox_probe_results WHERE org_id = ? AND probed_at > ? GROUP BY 1, 2`,
      [INTERVAL, INTERVAL, first.org.orgId, new Date(since)],
    );
    expect(new Set(perSlot.rows.map((r: { user_id: string }) => r.user_id)).size).toBe(ids.length);
    expect(perSlot.rows.filter((r: { n: number }) => r.n > 1)).toEqual([]);
  });
});
