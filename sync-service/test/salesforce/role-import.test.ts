import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSalesforce, type OrgFixture, PROFILES, makeId } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { roleId, smallOrg, userId } from '../sync/org.js';
import { teamsByName, usersByEmail } from '../sync/support.js';
import { startJob, waitForJob } from '../jobs/support.js';

/** The small org plus a partner portal role, an inactive user, a user without a role and a Chatter user. */
function fixture(): OrgFixture {
  const org = smallOrg(6);
  org.roles.push({ Id: roleId(9), Name: 'Partner Portal', ParentRoleId: null, PortalType: 'Partner' });
  org.users.push(
    {
      Id: userId(40),
      FirstName: 'Ina',
      LastName: 'Active',
      Email: 'inactive@small.example.com',
      IsActive: false,
      UserRoleId: roleId(2),
      ProfileId: PROFILES.standard,
    },
    {
      Id: userId(41),
      FirstName: 'No',
      LastName: 'Role',
      Email: 'norole@small.example.com',
      UserRoleId: null,
      ProfileId: PROFILES.standard,
    },
    {
      Id: userId(42),
      FirstName: 'Chat',
      LastName: 'Ter',
      Email: 'chatter@small.example.com',
      UserType: 'CsnOnly',
      UserRoleId: roleId(3),
      ProfileId: PROFILES.chatterFree,
    },
  );
  return org;
}

describe('one-time import of the Salesforce role hierarchy', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  beforeAll(async () => {
    fake = await connectFakeOrg(t, fixture());
  });
  afterAll(async () => fake?.close());

  it('serves the role tree from the mirror, reading Salesforce in the background only when the mirror is stale', async () => {
    const first = await t.api('GET', '/api/v1/salesforce/roles');
    expect(first.statusCode, first.body).toBe(200);
    // Never read yet: nothing to show, and a background job reading Salesforce now.
    expect(first.data).toMatchObject({ roles: [], refreshedAt: null, apiCalls: 0 });
    expect(first.data.refreshJobId).toEqual(expect.any(String));
    const again = await t.api('GET', '/api/v1/salesforce/roles');
    expect(again.data.refreshJobId).toBe(first.data.refreshJobId);
    const job = await waitForJob(t, first.data.refreshJobId);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');

    fake.control.resetApiCalls();
    const fresh = await t.api('GET', '/api/v1/salesforce/roles');
    expect(fresh.data.refreshJobId).toBeNull();
    expect(Date.now() - Date.parse(fresh.data.refreshedAt)).toBeLessThan(60_000);
    expect(fake.control.apiCalls()).toBe(0);
  });

  it('shows the internal role tree with active user counts and every toggle off', async () => {
    const res = await t.api('GET', '/api/v1/salesforce/roles');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.roles.map((r: any) => [r.name, r.depth, r.activeUserCount, r.importEnabled])).toEqual([
      ['CEO', 0, 0, false], // its only member is the integration user, never a Roster user
      ['Sales', 1, 2, false],
      ['Sales West', 2, 2, false],
      ['Support', 1, 2, false],
    ]);
  });

  it('saves toggles one at a time and in bulk', async () => {
    const one = await t.api('PUT', `/api/v1/salesforce/roles/${roleId(3)}`, { body: { importEnabled: true } });
    expect(one.statusCode, one.body).toBe(200);
    const bulk = await t.api('PUT', '/api/v1/salesforce/roles/toggles', {
      body: {
        toggles: [
          { sfRoleId: roleId(1), importEnabled: true },
          { sfRoleId: roleId(4), importEnabled: true },
        ],
      },
    });
    expect(bulk.data.roles.filter((r: any) => r.importEnabled).map((r: any) => r.name)).toEqual([
      'CEO',
      'Sales West',
      'Support',
    ]);
    const missing = await t.api('PUT', `/api/v1/salesforce/roles/${makeId('00E', 77)}`, {
      body: { importEnabled: true },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('previews the teams and users an import would create and the users it would skip, with the reason', async () => {
    const res = await t.api('POST', '/api/v1/salesforce/roles/import/preview');
    expect(res.statusCode, res.body).toBe(200);
    // Sales is off: Sales West hangs under its nearest enabled ancestor, CEO.
    expect(res.data.teams.map((x: any) => [x.name, x.parentName])).toEqual([
      ['CEO', 'Top-level team'],
      ['Sales West', 'CEO'],
      ['Support', 'CEO'],
    ]);
    expect(res.data.users.map((u: any) => [u.email, u.teamName]).sort()).toEqual([
      // The integration user is never a Roster user.
      ['user3@small.example.com', 'Sales West'],
      ['user4@small.example.com', 'Support'],
      ['user6@small.example.com', 'Sales West'],
      ['user7@small.example.com', 'Support'],
    ]);
    const reasons = Object.fromEntries(res.data.skipped.map((s: any) => [s.email, s.reason]));
    expect(reasons).toMatchObject({
      'inactive@small.example.com': 'inactive',
      'norole@small.example.com': 'no_role',
      'user2@small.example.com': 'role_toggled_off',
    });
    expect((await usersByEmail(t)).size).toBe(1);
  });

  it('refuses an import whose plan changed since the preview, saying what changed with the new preview, and writes nothing', async () => {
    const preview = (await t.api('POST', '/api/v1/salesforce/roles/import/preview')).data;
    expect(preview.summary).toContainEqual({ key: 'usersCreate', label: 'users to create', count: 4 });
    const late = fake.control.addUser({
      FirstName: 'Late',
      LastName: 'Comer',
      Email: 'late@small.example.com',
      UserRoleId: roleId(3),
      ProfileId: PROFILES.standard,
    });
    const teams = [...(await teamsByName(t)).keys()];
    const job = await waitForJob(t, (await startJob(t, 'roles.import', { previewToken: preview.previewToken })).id);
    expect(job.state).toBe('failed');
    expect(job.error.code).toBe('preview_stale');
    expect(job.error.message).toContain('users to create: 4 -> 5');
    expect(job.error.message).not.toContain('teams to create');
    expect(job.error.details.changed).toEqual([{ key: 'usersCreate', label: 'users to create', before: 4, now: 5 }]);
    expect(job.error.details.preview.users.map((u: any) => u.email)).toContain('late@small.example.com');
    // The new preview in the error is cut to listLimit like a result (Apex holds 6 MB), saying how much was left out.
    const capped = (await t.api('GET', `/api/v1/jobs/${job.id}?listLimit=1`)).data;
    expect(capped.error.details.preview.users).toHaveLength(1);
    expect(capped.omitted['error.details.preview.users']).toBe(4);
    expect((await usersByEmail(t)).size).toBe(1);
    expect([...(await teamsByName(t)).keys()]).toEqual(teams);
    // The route answers the same 409, its details the preview a new preview shows.
    const res = await t.api('POST', '/api/v1/salesforce/roles/import', {
      body: { previewToken: preview.previewToken },
    });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('preview_stale');
    const fresh = (await t.api('POST', '/api/v1/salesforce/roles/import/preview')).data;
    expect(res.data.error.details.preview).toEqual(fresh);
    expect(fresh.previewToken).not.toBe(preview.previewToken);
    fake.control.updateUser(late, { IsActive: false });
  });

  it('imports teams and users with the default profile, source role_import, and no later syncing', async () => {
    // The previewed plan, with its token: nothing changed since, so it is imported.
    const preview = (await t.api('POST', '/api/v1/salesforce/roles/import/preview')).data;
    const res = await t.api('POST', '/api/v1/salesforce/roles/import', {
      body: { previewToken: preview.previewToken },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ teamsCreated: 3, usersCreated: 4 });
    const teams = await teamsByName(t);
    expect(teams.get('Sales West')!.parentName).toBe('CEO');
    const u = (await usersByEmail(t)).get('user3@small.example.com');
    expect(u).toMatchObject({
      source: 'role_import',
      profileName: 'Default - Intake Off',
      teamName: 'Sales West',
      sfUserId: userId(3),
    });
    fake.control.updateUser(userId(3), { Title: 'Changed later' });
    expect((await t.api('POST', '/api/v1/sync/run')).statusCode).toBe(409);
    const again = await t.api('POST', '/api/v1/salesforce/roles/import');
    expect(again.data).toMatchObject({ teamsCreated: 0, usersCreated: 0 });
    expect((await usersByEmail(t)).get('user3@small.example.com').jobTitle).not.toBe('Changed later');
  });
});

describe('role import and the role tree behind field-level security', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  beforeAll(async () => {
    fake = await connectFakeOrg(t, smallOrg(4));
    // The integration user's profile hides one user field and one role field the import reads.
    fake.control.revokeFieldPermission(PROFILES.admin, 'User.Title');
    fake.control.revokeFieldPermission(PROFILES.admin, 'UserRole.DeveloperName');
  });
  afterAll(async () => fake?.close());

  it('reads what is readable: the tree, the preview and the import leave the hidden fields out instead of failing', async () => {
    const preview = await t.api('POST', '/api/v1/salesforce/roles/import/preview');
    expect(preview.statusCode, preview.body).toBe(200);
    const tree = await t.api('GET', '/api/v1/salesforce/roles');
    expect(tree.data.roles.map((r: any) => r.name)).toEqual(['CEO', 'Sales', 'Sales West', 'Support']);
    await t.api('PUT', `/api/v1/salesforce/roles/${roleId(2)}`, { body: { importEnabled: true } });
    const res = await t.api('POST', '/api/v1/salesforce/roles/import');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ teamsCreated: 1, usersCreated: 2 });
    expect((await usersByEmail(t)).get('user2@small.example.com')).toMatchObject({ teamName: 'Sales', jobTitle: '' });
  });
});
