import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSalesforce, PROFILES } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { roleId, smallOrg, userId } from './org.js';
import { enableAutomatic, syncNow, teamsByName, usersByEmail } from './support.js';

describe('Automatic Mode against the Salesforce fake', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  let salesProfileId: string;
  let manualTeamId: string;
  beforeAll(async () => {
    fake = await connectFakeOrg(t, smallOrg(12));
  });
  afterAll(async () => fake?.close());

  it('refuses to enable until a profile besides the built-in default exists', async () => {
    const res = await t.api('PUT', '/api/v1/mode', { body: { mode: 'automatic', confirm: true } });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('profile_required');
    expect((await t.api('GET', '/api/v1/mode')).data.mode).toBe('manual');
  });

  it('refuses to enable without a Salesforce connection', async () => {
    const other = await t.createOrg('Unconnected');
    await t.api('POST', '/api/v1/profiles', { org: other, body: { name: 'Sales' } });
    const res = await t.api('PUT', '/api/v1/mode', { org: other, body: { mode: 'automatic', confirm: true } });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('salesforce_not_connected');
  });

  it('previews enabling: teams and users to create, users left unmatched, Salesforce users skipped with the reason', async () => {
    salesProfileId = (await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } })).data.id;
    await t.api('POST', '/api/v1/rules', {
      body: {
        name: 'Account executives',
        filters: [{ field: 'job_title', operator: 'contains', value: 'account executive' }],
        assignments: {
          profileId: salesProfileId,
          role: 'manager',
          visibility: 'team',
          licenses: ['foundation', 'forecasting'],
        },
      },
    });
    manualTeamId = (await t.api('POST', '/api/v1/teams', { body: { name: 'Sales' } })).data.id;
    await t.api('POST', '/api/v1/users', {
      body: {
        email: 'manual@small.example.com',
        firstName: 'Manu',
        lastName: 'Al',
        role: 'member',
        teamId: manualTeamId,
      },
    });
    fake.control.addUser({
      LastName: 'Gone',
      FirstName: 'Inactive',
      Email: 'inactive@small.example.com',
      IsActive: false,
      ProfileId: PROFILES.standard,
      UserRoleId: roleId(2),
    });
    fake.control.addUser({
      LastName: 'Chatter',
      FirstName: 'Free',
      Email: 'chatter@small.example.com',
      UserType: 'CsnOnly',
      ProfileId: PROFILES.chatterFree,
    });

    const res = await t.api('POST', '/api/v1/mode/preview', { body: { mode: 'automatic' } });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.data;
    expect(p.teams.create.map((x: any) => [x.name, x.parentName])).toEqual(
      expect.arrayContaining([
        ['CEO', 'Top-level team'],
        ['Sales', 'CEO'],
        ['Sales West', 'Sales'],
        ['Support', 'CEO'],
      ]),
    );
    // Its only member has no Salesforce record (the top-level team takes them): no team took over its people.
    expect(p.teams.delete).toEqual([{ name: 'Sales', redirectTo: null }]);
    // 12 people: the integration user is never a Roster user.
    expect(p.users.create).toHaveLength(12);
    expect(p.users.unmatched.map((u: any) => u.email)).toEqual(
      expect.arrayContaining(['manual@small.example.com', t.org.adminEmail]),
    );
    expect(p.skipped.map((s: any) => [s.email, s.reason])).toEqual(
      expect.arrayContaining([['inactive@small.example.com', 'inactive']]),
    );
    // The full read selects standard users only: a Chatter Free user is never read, so never created or skipped.
    expect(p.skipped.map((s: any) => s.email)).not.toContain('chatter@small.example.com');
    expect(p.users.create.map((u: any) => u.email)).not.toContain('chatter@small.example.com');
    // A preview changes nothing.
    expect((await t.api('GET', '/api/v1/mode')).data.mode).toBe('manual');
    expect((await teamsByName(t)).get('Sales')!.id).toBe(manualTeamId);
  });

  it('enabling replaces the teams with the role hierarchy, says where old team ids went, moves unmatched users to the top-level team and applies the rules', async () => {
    const state = await enableAutomatic(t);
    expect(state).toMatchObject({
      mode: 'automatic',
      hierarchySource: 'role',
      lastRun: { kind: 'enable', outcome: 'success' },
    });
    const teams = await teamsByName(t);
    expect([...teams.values()].map((x) => [x.name, x.parentName])).toEqual(
      expect.arrayContaining([
        ['CEO', 'Top-level team'],
        ['Sales', 'CEO'],
        ['Sales West', 'Sales'],
        ['Support', 'CEO'],
      ]),
    );
    expect(teams.get('Sales')!.id).not.toBe(manualTeamId);
    // No team took over its people (its one member went to the top-level team): the old id names the choices.
    const old = await t.api('GET', `/api/v1/teams/${manualTeamId}`);
    expect(old.statusCode).toBe(410);
    expect(old.data.error.code).toBe('team_replaced');
    expect(old.data.error.details.replacedBy).toBeNull();
    expect(old.data.error.details.choices.map((c: any) => c.name)).toEqual(
      expect.arrayContaining(['Sales', 'Top-level team']),
    );

    const users = await usersByEmail(t);
    expect(users.get('manual@small.example.com')).toMatchObject({
      teamName: 'Top-level team',
      status: expect.not.stringMatching('suspended'),
    });
    const ae = users.get('user2@small.example.com');
    expect(ae).toMatchObject({
      source: 'automatic',
      teamName: 'Sales',
      jobTitle: 'Account Executive',
      role: 'manager',
      profileId: salesProfileId,
      objectVisibility: 'team',
    });
    const se = users.get('user3@small.example.com');
    expect(se).toMatchObject({ teamName: 'Sales West', role: 'member', profileName: 'Default - Intake Off' });
    const rules = await t.app
      .db('users')
      .where({ org_id: t.org.orgId })
      .whereIn('email', ['user2@small.example.com', 'user3@small.example.com'])
      .orderBy('email')
      .select('email', 'rule_id');
    const ruleNames = await t.app
      .db('user_settings_rules')
      .whereIn(
        'id',
        rules.map((r) => r.rule_id),
      )
      .pluck('name');
    expect(ruleNames.sort()).toEqual(['Account executives', 'Catch-all'].sort());
    expect(users.has('inactive@small.example.com')).toBe(false);
    expect(users.has('chatter@small.example.com')).toBe(false);
  });

  it('an idle poll costs at most two API calls and changes nothing', async () => {
    const before = fake.control.apiCalls();
    const run = await syncNow(t);
    expect(run).toMatchObject({ kind: 'incremental', outcome: 'success' });
    expect(run.apiCalls).toBeLessThanOrEqual(2);
    expect(fake.control.apiCalls() - before).toBe(run.apiCalls);
    expect(run.counts).toMatchObject({ created: 0, updated: 0, moved: 0, suspended: 0 });
  });

  it('creates a new Salesforce user with the rules applied', async () => {
    fake.control.addUser({
      FirstName: 'Nia',
      LastName: 'New',
      Email: 'nia@small.example.com',
      Title: 'Senior Account Executive',
      UserRoleId: roleId(3),
      ProfileId: PROFILES.standard,
    });
    const run = await syncNow(t);
    expect(run.counts).toMatchObject({ created: 1 });
    expect((await usersByEmail(t)).get('nia@small.example.com')).toMatchObject({
      teamName: 'Sales West',
      role: 'manager',
      source: 'automatic',
    });
  });

  it('brings name, title and email changes over', async () => {
    fake.control.updateUser(userId(4), {
      FirstName: 'Renamed',
      Title: 'Support Lead',
      Email: 'renamed4@small.example.com',
    });
    const run = await syncNow(t);
    expect(run.counts).toMatchObject({ updated: 1 });
    const users = await usersByEmail(t);
    expect(users.has('user4@small.example.com')).toBe(false);
    expect(users.get('renamed4@small.example.com')).toMatchObject({
      firstName: 'Renamed',
      jobTitle: 'Support Lead',
      sfUserId: userId(4),
    });
  });

  it('moves a user whose role changed, keeping the membership history', async () => {
    fake.control.setUserRole(userId(5), roleId(4));
    const run = await syncNow(t);
    expect(run.counts).toMatchObject({ moved: 1 });
    const u = (await usersByEmail(t)).get('user5@small.example.com');
    expect(u.teamName).toBe('Support');
    const history = await t.app
      .db('team_memberships')
      .where({ org_id: t.org.orgId, user_id: u.id })
      .orderBy('started_at');
    expect(history).toHaveLength(2);
    expect(history[0].ended_at).not.toBeNull();
    expect(history[1].ended_at).toBeNull();
  });

  it('suspends a deactivated user and brings them back when reactivated', async () => {
    fake.control.deactivateUser(userId(6));
    expect((await syncNow(t)).counts).toMatchObject({ suspended: 1 });
    expect((await usersByEmail(t)).get('user6@small.example.com')).toMatchObject({
      status: 'suspended',
      suspensionReason: 'Deactivated in Salesforce',
    });
    fake.control.activateUser(userId(6));
    expect((await syncNow(t)).counts).toMatchObject({ reactivated: 1 });
    expect((await usersByEmail(t)).get('user6@small.example.com').status).not.toBe('suspended');
  });

  it('suspends a user whose Salesforce license changed', async () => {
    fake.control.setUserProfile(userId(7), PROFILES.chatterFree);
    expect((await syncNow(t)).counts).toMatchObject({ suspended: 1 });
    expect((await usersByEmail(t)).get('user7@small.example.com')).toMatchObject({
      status: 'suspended',
      suspensionReason: 'Salesforce license changed from Salesforce to Chatter Free',
    });
  });

  it('never reads a license Salesforce does not return as revoked: only a change to another license suspends', async () => {
    // Every real user has a profile with a license; a profile that does not come back is unknown, not revoked.
    fake.control.updateUser(userId(8), { ProfileId: null });
    const run = await syncNow(t);
    expect(run.outcome).toBe('success');
    expect(run.counts.suspended ?? 0).toBe(0);
    expect((await usersByEmail(t)).get('user8@small.example.com').status).not.toBe('suspended');
    fake.control.setUserProfile(userId(8), PROFILES.standard);
    expect((await syncNow(t)).counts.suspended ?? 0).toBe(0);
    expect((await usersByEmail(t)).get('user8@small.example.com').status).not.toBe('suspended');
  });

  it('renames and re-parents teams in place when their roles change', async () => {
    const before = await teamsByName(t);
    fake.control.renameRole(roleId(3), 'Sales Pacific');
    fake.control.reparentRole(roleId(4), roleId(2));
    const run = await syncNow(t);
    expect(run.counts).toMatchObject({ teamsRenamed: 1, teamsMoved: 1 });
    const after = await teamsByName(t);
    expect(after.get('Sales Pacific')).toEqual({
      id: before.get('Sales West')!.id,
      name: 'Sales Pacific',
      parentName: 'Sales',
    });
    expect(after.get('Support')).toEqual({ id: before.get('Support')!.id, name: 'Support', parentName: 'Sales' });
  });

  it('a deleted role takes its team away, redirecting it to the parent team', async () => {
    const temp = fake.control.addRole({ Name: 'Temp Squad', ParentRoleId: roleId(2) });
    fake.control.setUserRole(userId(8), temp);
    await syncNow(t);
    const tempTeam = (await teamsByName(t)).get('Temp Squad')!;
    expect(tempTeam.parentName).toBe('Sales');
    fake.control.setUserRole(userId(8), roleId(2));
    fake.control.deleteRole(temp);
    // /deleted has minute resolution: the deletion is reported once its minute has passed.
    fake.control.advanceClock(61_000);
    const run = await syncNow(t);
    expect(run.counts).toMatchObject({ teamsDeleted: 1, moved: 1 });
    const teams = await teamsByName(t);
    expect(teams.has('Temp Squad')).toBe(false);
    expect(
      (await t.app.db('team_redirects').where({ org_id: t.org.orgId, old_team_id: tempTeam.id }).first()).new_team_id,
    ).toBe(teams.get('Sales')!.id);
    expect((await usersByEmail(t)).get('user8@small.example.com').teamName).toBe('Sales');
  });

  it('after more than 15 days without a poll, a deleted role is found by comparing role ids (/deleted keeps 15 days)', async () => {
    const old = fake.control.addRole({ Name: 'Old Squad', ParentRoleId: roleId(2) });
    await syncNow(t);
    expect((await teamsByName(t)).has('Old Squad')).toBe(true);
    fake.control.deleteRole(old);
    const cursor = () =>
      t.app.db('sync_cursors').where({ org_id: t.org.orgId, object: 'UserRole.deleted' }).first('last_modstamp');
    await t.app
      .db('sync_cursors')
      .where({ org_id: t.org.orgId, object: 'UserRole.deleted' })
      .update({ last_modstamp: new Date(Date.now() - 16 * 86_400_000) });
    const run = await syncNow(t);
    expect(run).toMatchObject({ outcome: 'success', counts: { teamsDeleted: 1 } });
    expect((await teamsByName(t)).has('Old Squad')).toBe(false);
    // The compare covers the window: the next poll asks /deleted again, from within its 15 days.
    expect(Date.now() - new Date((await cursor()).last_modstamp).getTime()).toBeLessThan(10 * 60_000);
    fake.control.resetApiCalls();
    expect((await syncNow(t)).outcome).toBe('success');
    expect(fake.control.apiCallsByRoute().query ?? 0).toBe(0); // no role-id compare: /deleted answered
  });

  it('applying the same changes twice changes nothing', async () => {
    fake.control.updateUser(userId(9), { Title: 'Principal' });
    await syncNow(t);
    const snapshot = async () => ({
      users: await t.app
        .db('users')
        .where({ org_id: t.org.orgId })
        .orderBy('id')
        .select('id', 'email', 'first_name', 'job_title', 'team_id', 'status', 'updated_at'),
      teams: await t.app
        .db('teams')
        .where({ org_id: t.org.orgId })
        .orderBy('id')
        .select('id', 'name', 'parent_id', 'updated_at'),
      audit: (await t.app.db('audit_log').where({ org_id: t.org.orgId }).count({ n: '*' }).first())!.n,
    });
    const before = await snapshot();
    const again = await syncNow(t);
    expect(again.counts).toMatchObject({
      created: 0,
      updated: 0,
      moved: 0,
      suspended: 0,
      reactivated: 0,
      teamsCreated: 0,
      teamsRenamed: 0,
      teamsMoved: 0,
      teamsDeleted: 0,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('picks up a record committed late with a SystemModstamp older than the cursor (the overlap window)', async () => {
    const cursor = await t.app.db('sync_cursors').where({ org_id: t.org.orgId, object: 'User' }).first();
    const late = new Date(new Date(cursor.last_modstamp).getTime() - 30_000);
    const now = fake.control.now();
    fake.control.setNow(late);
    fake.control.addUser({
      FirstName: 'Late',
      LastName: 'Commit',
      Email: 'late@small.example.com',
      UserRoleId: roleId(2),
      ProfileId: PROFILES.standard,
    });
    fake.control.setNow(now);
    expect(fake.control.record(userId(9))).toBeTruthy();
    const run = await syncNow(t);
    expect(run.counts.created).toBe(1);
    expect((await usersByEmail(t)).get('late@small.example.com').teamName).toBe('Sales');
    const after = await t.app.db('sync_cursors').where({ org_id: t.org.orgId, object: 'User' }).first();
    expect(new Date(after.last_modstamp).getTime()).toBe(new Date(cursor.last_modstamp).getTime());
  });

  it('raises a conflict instead of a duplicate when a new Salesforce user has an existing Roster email, and links on resolve', async () => {
    const existing = (
      await t.api('POST', '/api/v1/users', {
        body: { email: 'Dup@small.example.com', firstName: 'Hand', lastName: 'Made', role: 'member' },
      })
    ).data;
    expect(existing.teamName).toBe('Unassigned');
    const sfId = fake.control.addUser({
      FirstName: 'Dee',
      LastName: 'Upe',
      Email: 'dup@small.example.com',
      UserRoleId: roleId(4),
      ProfileId: PROFILES.standard,
    });
    const run = await syncNow(t);
    expect(run.counts).toMatchObject({ created: 0, conflicts: 1 });
    const conflicts = (await t.api('GET', '/api/v1/sync/conflicts')).data.items;
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      kind: 'email_matches_unlinked_user',
      sfUserId: sfId,
      userId: existing.id,
      status: 'open',
    });
    expect((await syncNow(t)).counts.conflicts).toBe(0);
    expect(
      (await t.app.db('users').where({ org_id: t.org.orgId }).whereRaw("lower(email) = 'dup@small.example.com'"))
        .length,
    ).toBe(1);

    const resolved = await t.api('POST', `/api/v1/sync/conflicts/${conflicts[0].id}/resolve`, {
      body: { action: 'link' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.data.status).toBe('resolved');
    const linked = (await usersByEmail(t)).get('dup@small.example.com');
    expect(linked).toMatchObject({ id: existing.id, sfUserId: sfId, firstName: 'Dee', teamName: 'Support' });
  });

  it('pauses a run that would suspend more than the guard allows until an admin approves it', async () => {
    for (const n of [10, 11, 12]) fake.control.deactivateUser(userId(n));
    const paused = await syncNow(t);
    expect(paused.outcome).toBe('awaiting_approval');
    expect((await usersByEmail(t)).get('user10@small.example.com').status).not.toBe('suspended');
    const blocked = await t.api('POST', '/api/v1/sync/run');
    expect(blocked.statusCode).toBe(409);
    expect(blocked.data.error.code).toBe('awaiting_approval');
    const approvals = (await t.api('GET', '/api/v1/sync/approvals')).data.items;
    expect(approvals[0]).toMatchObject({ status: 'pending', suspendCount: 3, syncRunId: paused.id });
    const decided = await t.api('POST', `/api/v1/sync/approvals/${approvals[0].id}/approve`);
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.data.run).toMatchObject({ kind: 'approved', outcome: 'success', counts: { suspended: 3 } });
    expect((await usersByEmail(t)).get('user10@small.example.com').status).toBe('suspended');
  });

  it('a rejected mass suspension applies the rest of the run and suspends no one', async () => {
    for (const n of [10, 11, 12]) fake.control.activateUser(userId(n));
    await syncNow(t);
    for (const n of [10, 11, 12]) fake.control.deactivateUser(userId(n));
    fake.control.updateUser(userId(13), { Title: 'Changed alongside' });
    const paused = await syncNow(t);
    expect(paused.outcome).toBe('awaiting_approval');
    const approval = (await t.api('GET', '/api/v1/sync/approvals')).data.items.find((a: any) => a.status === 'pending');
    const decided = await t.api('POST', `/api/v1/sync/approvals/${approval.id}/reject`);
    expect(decided.data.run).toMatchObject({
      kind: 'rejected',
      outcome: 'success',
      counts: { suspended: 0, updated: 1 },
    });
    const users = await usersByEmail(t);
    expect(users.get('user10@small.example.com').status).not.toBe('suspended');
    expect(users.get('user13@small.example.com').jobTitle).toBe('Changed alongside');
  });

  it('lists every run with its kind, outcome, counts and API calls', async () => {
    const runs = (await t.api('GET', '/api/v1/sync/runs?limit=100')).data.items;
    expect(runs.at(-1)).toMatchObject({ kind: 'enable', outcome: 'success' });
    expect(new Set(runs.map((r: any) => r.outcome))).toEqual(new Set(['success', 'awaiting_approval']));
    for (const r of runs) expect(r.apiCalls).toBeGreaterThan(0);
  });

  it('disabling stops syncing and keeps the hierarchy as manual teams', async () => {
    const before = await teamsByName(t);
    const res = await t.api('PUT', '/api/v1/mode', { body: { mode: 'manual', confirm: true } });
    expect(res.statusCode).toBe(200);
    expect(res.data.mode).toBe('manual');
    fake.control.addUser({
      FirstName: 'After',
      LastName: 'Disable',
      Email: 'after@small.example.com',
      UserRoleId: roleId(2),
      ProfileId: PROFILES.standard,
    });
    const run = await t.api('POST', '/api/v1/sync/run');
    expect(run.statusCode).toBe(409);
    expect(run.data.error.code).toBe('not_automatic');
    expect(await teamsByName(t)).toEqual(before);
    const created = await t.api('POST', '/api/v1/teams', {
      body: { name: 'Hand made', parentId: before.get('Sales')!.id },
    });
    expect(created.statusCode).toBe(201);
  });
});
