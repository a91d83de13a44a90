import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraph, type FakeGraph, type GraphUserBehavior } from '@roster/fake-graph';
import { build, type TestApp } from '../helper.js';
import { addUsers, mailboxEnv, makeDue, sleep, testAccess, useGraph, userStatus } from './support.js';

describe('mailbox probes through Microsoft Graph', () => {
  let t: TestApp;
  let graph: FakeGraph;
  const run = () => t.app.mailbox.engine.runDue(t.org.orgId);
  beforeAll(async () => {
    graph = await startFakeGraph();
    t = await build({ env: mailboxEnv() });
    await useGraph(t, graph);
  });
  afterAll(async () => {
    await t.close();
    await graph.close();
  });

  const user = async (behavior: GraphUserBehavior, status = 'active') => {
    const email = `${behavior}.${Math.random().toString(36).slice(2, 8)}@contoso.test`;
    graph.addUser(email, behavior);
    const [id] = await addUsers(t, [email], { status });
    return id!;
  };

  it.each([
    ['a mailbox outside the application access policy', 'out_of_scope', 'user_out_of_scope', 'hard'],
    ['a mailbox outside the RBAC for Applications scope', 'rbac_out_of_scope', 'user_out_of_scope', 'hard'],
    ['a user without an Exchange Online mailbox', 'no_mailbox', 'mailbox_unavailable', 'hard'],
    ['an invalid user', 'unknown', 'user_unknown', 'hard'],
    ['a 429 inside the batch', 'throttled', 'throttled', 'transient'],
    ['a 503 inside the batch', 'outage', 'provider_outage', 'transient'],
  ] as const)('classifies %s', async (_what, behavior, reason, outcome) => {
    const res = await testAccess(t, await user(behavior));
    expect(res.data.outcome).toBe(outcome);
    expect(res.data.reason.code).toBe(reason);
    expect(res.data.provider.requestId).toBeTruthy();
    if (outcome === 'hard') expect(res.data.reason.propagation).toContain('up to 24 hours');
  });

  it('flags after two failures and clears after two passes, with the 24-hour note beside the fix', async () => {
    const id = await user('out_of_scope');
    await testAccess(t, id);
    expect((await userStatus(t, id)).status).toBe('active');
    await testAccess(t, id);
    expect((await userStatus(t, id)).status).toBe('permission_error');
    const list = await t.api('GET', '/api/v1/permission-errors');
    const item = list.data.items.find((i: { userId: string }) => i.userId === id);
    expect(item.reason.code).toBe('user_out_of_scope');
    expect(item.reason.fix).toContain('Test-ApplicationAccessPolicy');
    expect(item.reason.propagation).toContain('Microsoft 365 changes can take up to 24 hours');
    const email = (await t.app.db('users').where({ id }).first()).email;
    graph.control.users.get(email)!.behavior = 'ok';
    await testAccess(t, id);
    expect((await userStatus(t, id)).status).toBe('permission_error');
    await testAccess(t, id);
    expect((await userStatus(t, id)).status).toBe('active');
  });

  it('probes users 20 requests per $batch, matching out-of-order answers to the right user', async () => {
    await t.app.db('mailbox_probe_state').delete();
    await t.app.db('users').whereNot({ id: t.org.adminUserId }).update({ status: 'suspended' });
    graph.addUser(t.org.adminEmail, 'ok');
    const mixed: [string, GraphUserBehavior][] = [];
    for (let i = 0; i < 45; i += 1)
      mixed.push([`batch${i}@contoso.test`, (['ok', 'no_mailbox', 'unknown', 'throttled'] as const)[i % 4]!]);
    for (const [email, behavior] of mixed) graph.addUser(email, behavior);
    const ids = await addUsers(
      t,
      mixed.map(([e]) => e),
      { status: 'pending' },
    );
    await run(); // seeds probe states at their slots
    await makeDue(t);
    const before = { ...graph.calls };
    const summary = await run();
    expect(summary.probed).toBe(46);
    // New users prove mail and calendar: 92 requests, 20 per batch.
    expect(graph.calls.batch - before.batch).toBe(5);
    expect(graph.calls.batchItems - before.batchItems).toBe(92);
    const results = await t.app
      .db('mailbox_probe_results')
      .whereIn('user_id', ids)
      .select('user_id', 'reason', 'outcome');
    const byUser = new Map(results.map((r) => [r.user_id, r]));
    mixed.forEach(([, behavior], i) => {
      const expected = { ok: null, no_mailbox: 'mailbox_unavailable', unknown: 'user_unknown', throttled: 'throttled' }[
        behavior as 'ok'
      ];
      expect(byUser.get(ids[i])?.reason ?? null).toBe(expected);
    });
    // Healthy active users then alternate mail and calendar: one request each per interval.
    await t.app
      .db('mailbox_probe_state')
      .whereIn('user_id', ids)
      .update({ consecutive_failures: 0, last_outcome: 'ok' });
    await t.app.db('users').whereIn('id', ids).update({ status: 'active' });
    await makeDue(t);
    const again = graph.calls.batchItems;
    await run();
    expect(graph.calls.batchItems - again).toBe(46); // one request per user
  });

  it('skips data users and suspended users on the schedule', async () => {
    const [dataUser] = await addUsers(t, ['data@contoso.test'], { role: 'data' });
    const [gone] = await addUsers(t, ['gone@contoso.test'], { status: 'suspended' });
    graph.addUser('data@contoso.test');
    graph.addUser('gone@contoso.test');
    await run();
    await makeDue(t);
    await run();
    const [{ n }] = (await t.app
      .db('mailbox_probe_results')
      .whereIn('user_id', [dataUser!, gone!])
      .count({ n: '*' })) as [{ n: string }];
    expect(Number(n)).toBe(0);
    expect((await userStatus(t, dataUser!)).status).toBe('pending');
  });

  it('honours Retry-After on a throttled batch and flags nobody', async () => {
    graph.control.throttleBatches = true;
    graph.control.retryAfterSeconds = 1;
    await makeDue(t);
    const flaggedBefore = await t.app.db('users').where({ status: 'permission_error' }).pluck('id');
    const before = graph.calls.batch;
    await run();
    const firstRun = graph.calls.batch - before;
    expect(firstRun).toBeLessThanOrEqual(8); // one claim's batches, then paused: not hammering
    await run();
    expect(graph.calls.batch - before).toBe(firstRun); // still inside Retry-After
    graph.control.throttleBatches = false;
    expect(await t.app.db('users').where({ status: 'permission_error' }).pluck('id')).toEqual(flaggedBefore);
    // Throttled users are due again after Retry-After plus up to half of it again (jitter spreads the retries).
    await sleep(1600);
    await run();
    expect(graph.calls.batch - before).toBeGreaterThan(firstRun);
  });

  it('turns a wrong client secret into one org-wide condition shown on every user, cleared by a passing canary', async () => {
    const reset = async () => {
      await t.app
        .db('users')
        .where({ org_id: t.org.orgId })
        .whereNot('role', 'data')
        .update({ status: 'active', permission_error_since: null });
      await t.app
        .db('mailbox_probe_state')
        .update({ consecutive_failures: 0, consecutive_successes: 0, first_failure_at: null, last_outcome: 'ok' });
    };
    for (const u of graph.control.users.values()) u.behavior = 'ok';
    await reset();
    graph.control.tokenGrant = 'bad_secret';
    graph.control.rejectTokens = true; // the cached token stops working too
    await makeDue(t);
    const before = graph.calls.total;
    await run();
    const provider = await t.api('GET', '/api/v1/mailbox/provider');
    expect(provider.data.orgCondition).toMatchObject({
      code: 'credentials_invalid',
      confirmed: false,
      provider: { code: 'invalid_client' },
    });
    expect(graph.calls.total - before).toBeLessThan(10); // one chunk, then the canary takes over
    await sleep(400); // the recheck
    await run();
    const confirmed = await t.api('GET', '/api/v1/mailbox/provider');
    expect(confirmed.data.orgCondition.confirmed).toBe(true);
    const list = await t.api('GET', '/api/v1/permission-errors');
    const capturing = await t.app
      .db('users')
      .where({ org_id: t.org.orgId })
      .whereNot('role', 'data')
      .whereNot('status', 'suspended')
      .count({ n: '*' });
    expect(list.data.total).toBe(Number(capturing[0]!.n));
    // The status counts follow the mailbox monitor's writes as they follow an admin's.
    const counts = await t.api('GET', '/api/v1/users/counts');
    expect(counts.data.permissionErrors).toBe(Number(capturing[0]!.n));
    expect(list.data.items.every((i: { reason: { code: string } }) => i.reason.code === 'credentials_invalid')).toBe(
      true,
    );
    expect(list.data.items[0].reason.fix).toContain('Certificates & secrets');

    graph.control.tokenGrant = 'ok';
    graph.control.rejectTokens = false;
    await sleep(2100); // a confirmed condition sends one canary per interval
    const { mark } = (await t.app.db('audit_log').max({ mark: 'id' }).first())!;
    const onboarded = new Set(
      (await t.app.db('mailbox_probe_state').where({ org_id: t.org.orgId }).whereNotNull('backfill_finished_at')).map(
        (s) => s.user_id,
      ),
    );
    await run();
    expect((await t.api('GET', '/api/v1/mailbox/provider')).data.orgCondition).toBeNull();
    expect((await t.api('GET', '/api/v1/permission-errors')).data.total).toBe(0);
    // Each user goes back to where they were, audited: onboarded users to Active, the rest to Pending.
    const restored = await t.app
      .db('audit_log')
      .where({ org_id: t.org.orgId, action: 'user.mailbox_status' })
      .where('id', '>', mark)
      .whereRaw("before->>'status' = 'permission_error'")
      .select('target_id', 'after');
    expect(restored).toHaveLength(Number(capturing[0]!.n));
    for (const r of restored) expect(r.after.status).toBe(onboarded.has(r.target_id) ? 'active' : 'pending');
  });

  it.each([
    [
      'an app not consented in the tenant',
      { tokenGrant: 'not_consented', rejectTokens: true },
      'provider_not_authorized',
    ],
  ] as const)('reports %s as an org-wide condition', async (_what, broken, reason) => {
    const id = await user('ok');
    Object.assign(graph.control, broken);
    try {
      const res = await testAccess(t, id);
      expect(res.data.outcome).toBe('org');
      expect(res.data.reason.code).toBe(reason);
    } finally {
      Object.assign(graph.control, { tokenGrant: 'ok', noPermissions: false, rejectTokens: false });
      await testAccess(t, id);
    }
  });

  it("keeps one user's Access denied from test access now to that user, and makes it org-wide only when several users get it", async () => {
    const id = await user('access_denied');
    const res = await testAccess(t, id);
    expect(res.data.outcome).toBe('hard');
    expect(res.data.reason.code).toBe('provider_not_authorized');
    expect((await t.api('GET', '/api/v1/mailbox/provider')).data.orgCondition).toBeNull();
    const counts = (await t.api('GET', '/api/v1/users/counts')).data;
    expect(counts.permissionErrors).toBeLessThanOrEqual(1);
    await t.app.db('users').where({ id }).delete();

    // The same generic denial for every user of a scheduled batch is the tenant's: one condition.
    graph.control.noPermissions = true;
    try {
      await makeDue(t);
      await run();
      expect((await t.api('GET', '/api/v1/mailbox/provider')).data.orgCondition).toMatchObject({
        code: 'provider_not_authorized',
      });
    } finally {
      graph.control.noPermissions = false;
      await makeDue(t);
      await sleep(400);
      await run();
    }
  });

  it('counts probes and failures by reason for the interval', async () => {
    const res = await t.api('GET', '/api/v1/mailbox/stats');
    expect(res.statusCode).toBe(200);
    expect(res.data.provider).toBe('microsoft');
    expect(res.data.intervalSeconds).toBe(2);
    expect(res.data.lastInterval.probes).toBeGreaterThan(0);
    expect(Object.keys(res.data.lastInterval.byOutcome).length).toBeGreaterThan(0);
  });
});
