import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg, type FakeSalesforce, PROFILES } from '@roster/fake-salesforce';
import { build, setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { enableAutomatic, syncNow } from './support.js';

const userCount = (t: { app: any; org: { orgId: string } }) =>
  t.app
    .db('users')
    .where({ org_id: t.org.orgId, source: 'automatic' })
    .count({ n: '*' })
    .first()
    .then((r: any) => Number(r.n));

describe('sync under Salesforce faults', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  let roleId: string;
  let expected: number;
  const fixture = generateOrg({ users: 2300, roles: 12, depth: 3, seed: 7 });
  beforeAll(async () => {
    fake = await connectFakeOrg(t, fixture);
    await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } });
    roleId = fixture.roles[3]!.Id;
    const profiles = new Map(fixture.profiles.map((p) => [p.Id, p]));
    expected = fixture.users.filter(
      (u) =>
        u.IsActive !== false &&
        (u.UserType ?? 'Standard') === 'Standard' &&
        u.ProfileId &&
        profiles.has(u.ProfileId) &&
        u.Id !== fixture.integrationUser, // the integration user is never a Roster user
    ).length;
  });
  afterAll(async () => fake?.close());

  const addUser = (n: number) =>
    fake.control.addUser({
      FirstName: 'Fault',
      LastName: `Case${n}`,
      Email: `fault${n}@gen.example.com`,
      UserRoleId: roleId,
      ProfileId: PROFILES.standard,
    });

  it('enabling reads every page and survives an expired query locator mid-pagination', async () => {
    fake.control.injectFault({
      route: 'queryMore',
      status: 400,
      errorCode: 'INVALID_QUERY_LOCATOR',
      message: 'invalid query locator',
      onCall: 1,
      times: 1,
    });
    await enableAutomatic(t);
    fake.control.clearFaults();
    expect(await userCount(t)).toBe(expected);
  });

  it('a poll whose changes span pages reads them again from the start when the query locator expires', async () => {
    const changed = fixture.users.filter((u) => u.Id !== fixture.integrationUser).slice(0, 2100);
    for (const u of changed) fake.control.updateUser(u.Id, { Title: 'Renamed in bulk' });
    fake.control.injectFault({
      route: 'queryMore',
      status: 400,
      errorCode: 'INVALID_QUERY_LOCATOR',
      message: 'invalid query locator',
      onCall: 1,
      times: 1,
    });
    const run = await syncNow(t);
    fake.control.clearFaults();
    expect(run.outcome, run.error).toBe('success');
    const titles = await t.app
      .db('users')
      .where({ org_id: t.org.orgId, job_title: 'Renamed in bulk' })
      .count({ n: '*' })
      .first();
    expect(Number(titles!.n)).toBe(
      changed.filter((u) => (u.UserType ?? 'Standard') === 'Standard' && u.IsActive !== false).length,
    );
  });

  it('retries 503s and connection resets within a poll', async () => {
    addUser(1);
    fake.control.injectFault({
      route: 'composite',
      status: 503,
      errorCode: 'SERVER_UNAVAILABLE',
      message: 'Server unavailable',
      onCall: 1,
      times: 2,
    });
    fake.control.injectFault({ route: 'composite', reset: true, onCall: 3, times: 1 });
    const run = await syncNow(t);
    fake.control.clearFaults();
    expect(run).toMatchObject({ outcome: 'success', counts: { created: 1 } });
  });

  it('refreshes a session that expires mid-run and carries on', async () => {
    addUser(2);
    fake.control.expireSessionAfter(1);
    const run = await syncNow(t);
    expect(run).toMatchObject({ outcome: 'success', counts: { created: 1 } });
  });

  it('stops as limit_exceeded on REQUEST_LIMIT_EXCEEDED, applies nothing, and resumes later', async () => {
    addUser(3);
    fake.control.injectFault({
      route: 'composite',
      status: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
      onCall: 1,
      times: 1,
    });
    const stopped = await syncNow(t);
    fake.control.clearFaults();
    expect(stopped.outcome).toBe('limit_exceeded');
    expect(stopped.error).toMatch(/daily Salesforce API limit/);
    expect(
      await t.app.db('users').where({ org_id: t.org.orgId, email: 'fault3@gen.example.com' }).first(),
    ).toBeUndefined();
    expect((await syncNow(t)).counts.created).toBe(1);
  });

  it('retries the concurrent long-request limit within the run, and a run it still stops does not wait for the daily reset', async () => {
    addUser(30);
    fake.control.fillConcurrentLongRequests(2);
    const retried = await syncNow(t);
    expect(retried).toMatchObject({ outcome: 'success', counts: { created: 1 } });

    addUser(31);
    fake.control.fillConcurrentLongRequests(100);
    const stopped = await syncNow(t);
    fake.control.fillConcurrentLongRequests(0);
    expect(stopped.outcome).toBe('concurrent_limit');
    expect(stopped.error).toMatch(/too many long-running requests/);
    expect(stopped.error).not.toMatch(/daily Salesforce API limit is used up/);
    const mode = await t.api('GET', '/api/v1/mode');
    expect(mode.data.limitWaitUntil).toBeNull();
    expect((await syncNow(t)).counts.created).toBe(1);
  });

  it('retries Salesforce’s other concurrent refusal, "ConcurrentRequests (Concurrent API Requests)", within the run too', async () => {
    addUser(33);
    fake.control.injectFault({
      route: 'composite',
      status: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.',
      onCall: 1,
      times: 2,
    });
    const run = await syncNow(t);
    fake.control.clearFaults();
    expect(run).toMatchObject({ outcome: 'success', counts: { created: 1 } });
  });

  it('fails a run whose query Salesforce refuses over a field named Concurrent as that failure, not the concurrent limit', async () => {
    const refusal = fake.control.injectFault({
      route: 'composite',
      status: 400,
      errorCode: 'INVALID_FIELD',
      message:
        "No such column 'Concurrent_Licenses__c' on entity 'User'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    });
    const failed = await syncNow(t);
    fake.control.clearFaults(refusal);
    expect(failed.outcome).toBe('failed');
    expect(failed.error).toContain('Concurrent_Licenses__c');
    expect(failed.error).not.toMatch(/too many long-running requests/);
    expect((await syncNow(t)).outcome).toBe('success');
  });

  it('after the daily limit stops a run, scheduled polls wait for room while the concurrent limit never does', async () => {
    addUser(32);
    fake.control.setDailyApiLimit(fake.control.apiUsage().used + 1);
    const stopped = await syncNow(t);
    expect(stopped.outcome).toBe('limit_exceeded');
    const mode = await t.api('GET', '/api/v1/mode');
    const wait = Date.parse(mode.data.limitWaitUntil) - Date.parse(stopped.finishedAt);
    expect(wait).toBeGreaterThanOrEqual(15 * 60_000);
    fake.control.setDailyApiLimit(100_000, 0);
    expect((await syncNow(t)).counts.created).toBe(1);
    expect((await t.api('GET', '/api/v1/mode')).data.limitWaitUntil).toBeNull();
  });

  it("a spent API allowance during the poll's health re-check stops the run and keeps no bogus health result", async () => {
    const results = () => t.app.db('integration_health_results').where({ org_id: t.org.orgId }).orderBy('checked_at');
    const before = await results();
    await t.app
      .db('integration_health_results')
      .where({ org_id: t.org.orgId })
      .update({ checked_at: t.app.db.raw(`checked_at - interval '20 minutes'`) });
    fake.control.setDailyApiLimit(fake.control.apiUsage().used + 1);
    const stopped = await syncNow(t);
    fake.control.setDailyApiLimit(100_000, 0);
    expect(stopped.outcome).toBe('limit_exceeded');
    const after = await results();
    expect(after.length).toBe(before.length);
    expect((await t.api('GET', '/api/v1/integration-health')).data.overall).toBe('healthy');
  });

  it('stops as limit_exceeded when daily usage passes the budget share', async () => {
    addUser(4);
    fake.control.setDailyApiLimit(1000, 850);
    const stopped = await syncNow(t);
    expect(stopped.outcome).toBe('limit_exceeded');
    expect(stopped.apiCalls).toBe(1);
    expect(stopped.error).toMatch(/past Roster's share of 80%/);
    fake.control.setDailyApiLimit(100_000, 0);
    expect((await syncNow(t)).counts.created).toBe(1);
  });

  it('a process killed mid-run leaves nothing half-applied, and the next run converges with no user lost or duplicated', async () => {
    for (let n = 5; n < 25; n++) addUser(n);
    fake.control.injectFault({ route: 'composite', latencyMs: 1500, times: 2 });
    const replica = await build({ database: t.database });
    const inFlight = replica.app.inject({
      method: 'POST',
      url: '/api/v1/sync/run',
      headers: { authorization: `Bearer ${t.org.apiKey}`, 'x-roster-actor': t.org.adminEmail },
    });
    await new Promise((r) => setTimeout(r, 400));
    await replica.app.close(); // the replica dies mid-run
    await inFlight.catch(() => undefined);
    fake.control.clearFaults();
    const run = await syncNow(t);
    expect(run).toMatchObject({ outcome: 'success', counts: { created: 20 } });
    expect(await userCount(t)).toBe(expected + 28);
    const dupes = await t.app
      .db('users')
      .where({ org_id: t.org.orgId })
      .whereNotNull('sf_user_id')
      .groupBy('sf_user_id')
      .havingRaw('count(*) > 1')
      .select('sf_user_id');
    expect(dupes).toEqual([]);
    expect((await syncNow(t)).counts.created).toBe(0);
  });
});
