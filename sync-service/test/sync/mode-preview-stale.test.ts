import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSalesforce, PROFILES } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { startJob, waitForJob } from '../jobs/support.js';
import { roleId, smallOrg } from './org.js';
import { teamsByName, usersByEmail } from './support.js';

const count = (preview: any, key: string) => preview.summary.find((c: any) => c.key === key).count;

describe('Enabling Automatic Mode applies the previewed plan or says what changed', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  beforeAll(async () => {
    fake = await connectFakeOrg(t, smallOrg(8));
    await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } });
  });
  afterAll(async () => fake?.close());

  const preview = async () => {
    const res = await t.api('POST', '/api/v1/mode/preview', { body: { mode: 'automatic' } });
    expect(res.statusCode, res.body).toBe(200);
    return res.data;
  };

  it('refuses a switch when Salesforce and Roster changed since the preview, naming each category before -> now, and writes nothing', async () => {
    const seen = await preview();
    expect(count(seen, 'usersCreate')).toBe(seen.users.create.length);
    // Salesforce gains a user and a role; Roster gains a user Salesforce does not have.
    fake.control.addUser({
      FirstName: 'Late',
      LastName: 'Comer',
      Email: 'late@small.example.com',
      UserRoleId: roleId(3),
      ProfileId: PROFILES.standard,
    });
    fake.control.addRole({ Name: 'Partners', ParentRoleId: roleId(1) });
    const added = await t.api('POST', '/api/v1/users', {
      body: { email: 'manual@small.example.com', firstName: 'Manu', lastName: 'Al', role: 'member' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const teams = [...(await teamsByName(t)).keys()].sort();
    const users = [...(await usersByEmail(t)).keys()].sort();
    const audits = (await t.app.db('audit_log').where({ org_id: t.org.orgId })).length;

    const res = await t.api('PUT', '/api/v1/mode', {
      body: { mode: 'automatic', confirm: true, previewToken: seen.previewToken },
    });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('preview_stale');
    const created = seen.users.create.length;
    const teamsCreated = seen.teams.create.length;
    const unmatched = seen.users.unmatched.length;
    expect(res.data.error.message).toContain(`users to create: ${created} -> ${created + 1}`);
    expect(res.data.error.message).toContain(`teams to create: ${teamsCreated} -> ${teamsCreated + 1}`);
    expect(res.data.error.message).toContain(`users not in the Salesforce hierarchy: ${unmatched} -> ${unmatched + 1}`);
    // Only what changed is named.
    expect(res.data.error.message).not.toContain('users to suspend');
    expect(res.data.error.message).not.toContain('teams to rename');
    expect(res.data.error.details.changed.map((c: any) => c.key).sort()).toEqual(
      ['teamsCreate', 'usersCreate', 'usersUnmatched'].sort(),
    );

    // Nothing was switched or written; the run says why, not as a failure.
    const mode = (await t.api('GET', '/api/v1/mode')).data;
    expect(mode.mode).toBe('manual');
    expect(mode.lastRun).toMatchObject({ kind: 'enable', outcome: 'preview_stale' });
    const [run] = (await t.api('GET', '/api/v1/sync/runs')).data.items;
    expect(run).toMatchObject({ kind: 'enable', outcome: 'preview_stale', error: res.data.error.message });
    expect([...(await teamsByName(t)).keys()].sort()).toEqual(teams);
    expect([...(await usersByEmail(t)).keys()].sort()).toEqual(users);
    expect((await t.app.db('audit_log').where({ org_id: t.org.orgId })).length).toBe(audits);

    // The refusal carries the preview the admin would see now.
    const fresh = res.data.error.details.preview;
    const now = await preview();
    expect({ ...fresh, apiCalls: 0 }).toEqual({ ...now, apiCalls: 0 });
    expect(fresh.users.create.map((u: any) => u.email)).toContain('late@small.example.com');
    expect(fresh.teams.create.map((x: any) => x.name)).toContain('Partners');
  });

  it('as a job, the refusal and its new preview are the job error; the new preview’s token then enables', async () => {
    const seen = await preview();
    fake.control.addUser({
      FirstName: 'Later',
      LastName: 'Still',
      Email: 'later@small.example.com',
      UserRoleId: roleId(2),
      ProfileId: PROFILES.standard,
    });
    const created = seen.users.create.length;
    const stale = await waitForJob(
      t,
      (await startJob(t, 'mode.change', { mode: 'automatic', confirm: true, previewToken: seen.previewToken })).id,
    );
    expect(stale.state).toBe('failed');
    expect(stale.error.code).toBe('preview_stale');
    expect(stale.error.message).toContain(`users to create: ${created} -> ${created + 1}`);
    expect((await t.api('GET', '/api/v1/mode')).data.mode).toBe('manual');

    const fresh = stale.error.details.preview;
    const enabled = await waitForJob(
      t,
      (await startJob(t, 'mode.change', { mode: 'automatic', confirm: true, previewToken: fresh.previewToken })).id,
    );
    expect(enabled.state, JSON.stringify(enabled.error)).toBe('succeeded');
    expect(enabled.result.mode).toBe('automatic');
    const run = (await t.api('GET', '/api/v1/sync/runs')).data.items[0];
    expect(run).toMatchObject({ kind: 'enable', outcome: 'success' });
    expect(run.counts.created).toBe(fresh.users.create.length);
    expect((await usersByEmail(t)).has('later@small.example.com')).toBe(true);
  });
});
