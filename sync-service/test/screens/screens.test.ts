import { beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestOrg } from '../helper.js';
import { seedHierarchy } from '../rules/fixtures.js';

/**
 * Each admin screen opens with one request: its answer must be exactly what the screen's separate reads answer,
 * so folding them changed nothing the admin sees.
 */
const t = setupApp();
const get = async (url: string, org?: TestOrg) => {
  const res = await t.api('GET', url, { org });
  expect(res.statusCode, res.body).toBe(200);
  return res.data;
};
const ids = (list: { id: string }[]) => list.map((u) => u.id).sort();

let h: Awaited<ReturnType<typeof seedHierarchy>>;
let conflictUser: string;
beforeAll(async () => {
  h = await seedHierarchy(t);
  conflictUser = await h.user('twin@example.com', 'AE', h.us);
  const plain = await h.user('plain@example.com', 'AE', h.support);
  // A suspension an admin rejected while Salesforce still has the user inactive.
  await t.app.db('sync_drift').insert({ org_id: t.org.orgId, user_id: plain, reason: 'Deactivated in Salesforce' });
  await t.app.db('sync_conflicts').insert([
    {
      org_id: t.org.orgId,
      kind: 'email_taken',
      sf_user_id: '005000000000099',
      user_id: conflictUser,
      email: 'twin@example.com',
    },
    { org_id: t.org.orgId, kind: 'email_taken', sf_user_id: '005000000000098', user_id: null, email: 'x@example.com' },
  ]);
  const rule = await t.api('POST', '/api/v1/rules', {
    body: {
      name: 'EMEA managers',
      filters: [{ field: 'team_manager', operator: 'is', value: h.emeaManager }],
      assignments: { profileId: h.salesProfileId, role: 'member', visibility: 'team', licenses: ['foundation'] },
    },
  });
  expect(rule.statusCode, rule.body).toBe(201);
  const custom = await t.api('POST', '/api/v1/custom-teams', { body: { name: 'Tiger team', userIds: [conflictUser] } });
  expect(custom.statusCode, custom.body).toBe(201);
});

describe('each screen opens with one request', () => {
  it('Users and Teams gets its first page, counts, teams, profiles, mode, what needs the admin and permission errors at once', async () => {
    const mailbox = await get('/api/v1/mailbox/stats');
    const screen = await get('/api/v1/screens/users-and-teams?role=member&sort=-email&limit=1');
    expect(screen).toEqual({
      users: await get('/api/v1/users?role=member&sort=-email&limit=1'),
      counts: await get('/api/v1/users/counts'),
      teams: await get('/api/v1/teams'),
      profiles: await get('/api/v1/profiles'),
      mode: await get('/api/v1/mode'),
      approvals: await get('/api/v1/sync/approvals'),
      conflicts: await get('/api/v1/sync/conflicts?status=open'),
      health: await get('/api/v1/integration-health'),
      permissionErrors: await get('/api/v1/permission-errors'),
      // The stats' interval starts "now": the one moving part.
      mailbox: { ...mailbox, lastInterval: { ...mailbox.lastInterval, since: screen.mailbox.lastInterval.since } },
      runningJobs: await get('/api/v1/jobs'),
      failedParts: [],
    });
    expect(screen.users.items).toHaveLength(1);
    expect(screen.users.nextCursor).not.toBeNull();
    expect(screen.conflicts.items).toHaveLength(2);
  });

  it('Users and Teams answers every part it can read when one cannot be read, naming the one that failed', async () => {
    const whole = await get('/api/v1/screens/users-and-teams');
    // The mailbox probe results become unreadable: only what reads them fails.
    await t.app.db.raw('ALTER TABLE mailbox_probe_results RENAME TO mailbox_probe_results_gone');
    try {
      const res = await t.api('GET', '/api/v1/screens/users-and-teams');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.data.failedParts).toEqual(['mailbox']);
      expect(res.data.mailbox).toBeNull();
      const { mailbox: _lost, failedParts: _none, ...rest } = whole;
      expect(res.data).toMatchObject(rest);
    } finally {
      await t.app.db.raw('ALTER TABLE mailbox_probe_results_gone RENAME TO mailbox_probe_results');
    }
  });

  it('Users and Teams refuses a filter the user list refuses, with the list’s own message', async () => {
    const res = await t.api('GET', '/api/v1/screens/users-and-teams?status=sleeping');
    expect(res.statusCode).toBe(400);
    expect(res.data.error).toMatchObject({ code: expect.any(String), message: expect.stringContaining('status') });
  });

  it('Team Hierarchy gets the tree with its managers by name, the custom teams, the top team’s history and the mode', async () => {
    const screen = await get('/api/v1/screens/team-hierarchy');
    const teams = await get('/api/v1/teams');
    expect(screen).toEqual({
      teams,
      managers: (await get(`/api/v1/users?ids=${h.emeaManager}`)).items,
      customTeams: await get('/api/v1/custom-teams'),
      topTeamHistory: await get(`/api/v1/teams/${teams.top.id}/history`),
      mode: await get('/api/v1/mode'),
    });
  });

  it('Integration Health gets the report, sync runs, approvals, open conflicts with the Roster users they name, drift, and the mode', async () => {
    const screen = await get('/api/v1/screens/integration-health');
    expect(screen).toEqual({
      health: await get('/api/v1/integration-health'),
      runs: await get('/api/v1/sync/runs'),
      approvals: await get('/api/v1/sync/approvals'),
      conflicts: await get('/api/v1/sync/conflicts?status=open'),
      conflictUsers: (await get(`/api/v1/users?ids=${conflictUser}`)).items,
      drift: await get('/api/v1/sync/drift'),
      mode: await get('/api/v1/mode'),
      runningJobs: await get('/api/v1/jobs'),
    });
    expect(ids(screen.conflictUsers)).toEqual([conflictUser]);
    expect(screen.drift).toMatchObject({ count: 1, items: [{ email: 'plain@example.com' }] });
  });

  it('User Settings Rules gets the rules, teams, profiles and only the users the rules name', async () => {
    const screen = await get('/api/v1/screens/user-settings-rules');
    expect(screen).toEqual({
      rules: await get('/api/v1/rules'),
      teams: await get('/api/v1/teams'),
      profiles: await get('/api/v1/profiles'),
      ruleUsers: (await get(`/api/v1/users?ids=${h.emeaManager}`)).items,
      runningJobs: await get('/api/v1/jobs'),
    });
  });

  it('Salesforce Role Hierarchy gets the role tree and the jobs still running, its background refresh among them', async () => {
    // Last: the refresh job it starts changes what every screen lists as running.
    const screen = await get('/api/v1/screens/role-hierarchy');
    expect(screen.roles).toMatchObject({ roles: [], refreshedAt: null });
    expect(screen.roles.refreshJobId).toEqual(expect.any(String));
    expect(screen.runningJobs.items.map((j: { id: string }) => j.id)).toContain(screen.roles.refreshJobId);
  });

  it('shows another org nothing of this one', async () => {
    const other = await t.createOrg('Other');
    const users = await get('/api/v1/screens/users-and-teams', other);
    expect(users.users.items.map((u: { email: string }) => u.email)).toEqual([other.adminEmail]);
    expect(users.conflicts.items).toEqual([]);
    expect((await get('/api/v1/screens/integration-health', other)).conflictUsers).toEqual([]);
    expect((await get('/api/v1/screens/user-settings-rules', other)).ruleUsers).toEqual([]);
    expect((await get('/api/v1/screens/team-hierarchy', other)).customTeams.items).toEqual([]);
  });
});
