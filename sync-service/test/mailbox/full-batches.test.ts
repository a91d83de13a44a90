import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraph, type FakeGraph } from '@roster/fake-graph';
import { build, type TestApp } from '../helper.js';
import { addUsers, mailboxEnv, useGraph } from './support.js';

const USERS = 50; // healthy users: one request each per interval
const GROUPS = 5; // they come due ten at a time, one tick after another

describe('Graph batches over an interval', () => {
  let t: TestApp;
  let graph: FakeGraph;
  let ids: string[];
  beforeAll(async () => {
    graph = await startFakeGraph();
    // A 10-minute interval: a part-filled batch may wait up to a minute for the users due next.
    t = await build({ env: mailboxEnv({ MAILBOX_INTERVAL_SECONDS: '600' }) });
    await useGraph(t, graph);
    const emails = Array.from({ length: USERS }, (_, i) => `steady${i}@contoso.test`);
    for (const email of emails) graph.addUser(email);
    ids = await addUsers(t, emails, { status: 'active' });
    await t.app.db('users').whereNotIn('id', ids).update({ status: 'suspended' });
    await t.app.mailbox.engine.runDue(t.org.orgId, { deadline: Date.now() }); // seeds probe states only
    await t.app
      .db('mailbox_probe_state')
      .whereIn('user_id', ids)
      .update({
        last_outcome: 'ok',
        consecutive_successes: 2,
        backfill_finished_at: new Date(),
        next_probe_at: t.app.db.raw("now() + interval '30 seconds'"),
      });
  });
  afterAll(async () => {
    await t.close();
    await graph.close();
  });

  it('probes N users due over an interval in ceil(N/20) $batch calls, each user once', async () => {
    const before = { ...graph.calls };
    const size = USERS / GROUPS;
    for (let g = 0; g < GROUPS; g += 1) {
      await t.app
        .db('mailbox_probe_state')
        .whereIn('user_id', ids.slice(g * size, (g + 1) * size))
        .update({ next_probe_at: t.app.db.raw("now() - interval '1 second'") });
      await t.app.mailbox.engine.runDue(t.org.orgId);
      // These users were made due off their slots, so a probed user's next slot may be seconds away (the slot is
      // where their hash falls in the interval): put it past the test, as a real interval would.
      await t.app
        .db('mailbox_probe_state')
        .whereIn('user_id', ids)
        .whereNotNull('last_checked_at')
        .update({ next_probe_at: t.app.db.raw("now() + interval '1 hour'") });
    }
    // Ten due per tick would be five half-empty batches; held for the next tick's users, they fill three.
    expect(graph.calls.batch - before.batch).toBe(Math.ceil(USERS / 20));
    expect(graph.calls.batchItems - before.batchItems).toBe(USERS);
    expect(graph.calls.partialBatches - before.partialBatches).toBe(1); // the interval's last batch
    const probes = await t.app
      .db('mailbox_probe_results')
      .whereIn('user_id', ids)
      .groupBy('user_id')
      .select('user_id')
      .count({ n: '*' });
    expect(probes).toHaveLength(USERS);
    expect(probes.every((p) => Number(p.n) === 1)).toBe(true);
  });
});
