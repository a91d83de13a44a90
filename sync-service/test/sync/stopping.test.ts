import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSalesforce, PROFILES } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { roleId, smallOrg } from './org.js';
import { automaticOrg, enableAutomatic, syncNow, usersByEmail } from './support.js';

describe('enabling Automatic Mode needs the required system permissions', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  beforeAll(async () => {
    fake = await connectFakeOrg(t, smallOrg(4));
    await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } });
  });
  afterAll(async () => fake?.close());

  it('is refused while the integration user lacks View All Users, naming it and the fix', async () => {
    fake.control.setSystemPermission(PROFILES.admin, 'PermissionsManageUsers', false);
    fake.control.setSystemPermission(PROFILES.admin, 'PermissionsViewAllUsers', false);
    const res = await t.api('PUT', '/api/v1/mode', { body: { mode: 'automatic', confirm: true } });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.data.error.code).toBe('required_permission_missing');
    expect(res.data.error.message).toContain('View All Users');
    expect(res.data.error.details.missing).toEqual(['system.PermissionsViewAllUsers']);
    const preview = await t.api('POST', '/api/v1/mode/preview', { body: { mode: 'automatic' } });
    expect(preview.statusCode).toBe(409);
    expect((await t.api('GET', '/api/v1/mode')).data.mode).toBe('manual');

    fake.control.setSystemPermission(PROFILES.admin, 'PermissionsViewAllUsers', true);
    await enableAutomatic(t);
    expect((await t.api('GET', '/api/v1/mode')).data.mode).toBe('automatic');
  });
});

describe('one truth about stopping: the latest Integration Health check', () => {
  const { t, salesforce } = automaticOrg(6);

  const ageLatestCheck = (minutes: number) =>
    t.app
      .db('integration_health_results')
      .where({ org_id: t.org.orgId })
      .update({ checked_at: t.app.db.raw(`checked_at - interval '${minutes} minutes'`) });
  const checks = async () =>
    Number((await t.app.db('integration_health_results').where({ org_id: t.org.orgId }).count({ n: '*' }).first())!.n);

  it('re-runs the full check once it is 15 minutes old, and idle polls still average at most two API calls', async () => {
    const before = await checks();
    await ageLatestCheck(16);
    const runs = [];
    for (let i = 0; i < 15; i++) runs.push(await syncNow(t));
    expect(await checks()).toBe(before + 1);
    expect(runs.every((r) => r.outcome === 'success')).toBe(true);
    const calls = runs.reduce((n, r) => n + r.apiCalls, 0);
    expect(calls / runs.length).toBeLessThanOrEqual(2);
  });

  it('stops while the latest check is Blocked, naming each field, says so in the status API, and resumes by itself', async () => {
    salesforce().revokeFieldPermission(PROFILES.admin, 'Task.WhoId');
    const check = await t.api('POST', '/api/v1/integration-health');
    expect(check.data.overall).toBe('blocked');
    salesforce().addUser({
      FirstName: 'Wait',
      LastName: 'Ing',
      Email: 'waiting@small.example.com',
      UserRoleId: roleId(2),
      ProfileId: PROFILES.standard,
    });

    const stopped = await syncNow(t);
    expect(stopped.outcome).toBe('blocked');
    expect(stopped.error).toContain('Task.WhoId');
    expect((await usersByEmail(t)).has('waiting@small.example.com')).toBe(false);
    const status = await t.api('GET', '/api/v1/health');
    expect(status.data.sync).toMatchObject({ state: 'stopped', missing: ['Task.WhoId'] });
    expect(status.data.sync.message).toContain('Task.WhoId');
    const mode = await t.api('GET', '/api/v1/mode');
    expect(mode.data.stopped).toMatchObject({ missing: ['Task.WhoId'] });

    // The poll right after a blocked run checks again; a block that check confirms waits the 15 minutes.
    const checksBefore = await checks();
    expect((await syncNow(t)).outcome).toBe('blocked');
    expect(await checks()).toBe(checksBefore + 1);
    const quiet = await syncNow(t);
    expect(quiet.outcome).toBe('blocked');
    expect(await checks()).toBe(checksBefore + 1);
    expect(quiet.apiCalls).toBe(0);

    // The admin fixes Salesforce and does nothing in Roster: the check at most 15 minutes later lets it resume.
    salesforce().grantFieldPermission(PROFILES.admin, 'Task.WhoId');
    await ageLatestCheck(16);
    const resumed = await syncNow(t);
    expect(resumed).toMatchObject({ outcome: 'success', counts: { created: 1 } });
    expect((await usersByEmail(t)).has('waiting@small.example.com')).toBe(true);
    expect((await t.api('GET', '/api/v1/health')).data.sync).toEqual({ state: 'running', message: null, missing: [] });
    expect((await t.api('GET', '/api/v1/mode')).data.stopped).toBeNull();
  });

  it('a periodic full compare of user ids picks up a user who became visible without a SystemModstamp change', async () => {
    salesforce().setNow(Date.now() - 2 * 86_400_000);
    salesforce().addUser({
      FirstName: 'Late',
      LastName: 'Visible',
      Email: 'late@small.example.com',
      UserRoleId: roleId(3),
      ProfileId: PROFILES.standard,
    });
    salesforce().setNow(null);
    expect((await syncNow(t)).counts.created ?? 0).toBe(0);
    expect((await usersByEmail(t)).has('late@small.example.com')).toBe(false);
    // Six hours later the poll compares every user id with what it has.
    await t.app
      .db('sync_cursors')
      .where({ org_id: t.org.orgId, object: 'User.reconcile' })
      .update({ last_modstamp: new Date(Date.now() - 7 * 3_600_000) });
    // Within the API budget: while usage is past three quarters of Roster's share, the compare waits.
    salesforce().setDailyApiLimit(100_000, 70_000);
    expect((await syncNow(t)).counts.created ?? 0).toBe(0);
    salesforce().setDailyApiLimit(100_000, 0);
    const run = await syncNow(t);
    expect(run).toMatchObject({ outcome: 'success', counts: { created: 1 } });
    expect(run.apiCalls).toBeLessThanOrEqual(3);
    expect((await usersByEmail(t)).get('late@small.example.com')).toMatchObject({ teamName: 'Sales West' });
    expect((await syncNow(t)).apiCalls).toBeLessThanOrEqual(2);
  });
});
