import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { smallOrg, userId } from './org.js';
import { enableAutomatic, syncNow, teamsByName, usersByEmail } from './support.js';

const t = setupApp();
let fake: FakeSalesforce;
beforeAll(async () => {
  const org = smallOrg(5);
  const managers: Record<string, string> = { [userId(3)]: userId(2), [userId(4)]: userId(2), [userId(5)]: userId(3) };
  for (const u of org.users) u.ManagerId = managers[u.Id] ?? null;
  fake = await connectFakeOrg(t, org);
  await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } });
});
afterAll(async () => fake?.close());

it('by org setting, builds a team per manager from the manager hierarchy and keeps it in step', async () => {
  const state = await enableAutomatic(t, undefined, 'manager');
  expect(state.hierarchySource).toBe('manager');
  const teams = await teamsByName(t);
  expect(teams.get("First2 Last2's team")!.parentName).toBe('Top-level team');
  expect(teams.get("First3 Last3's team")!.parentName).toBe("First2 Last2's team");
  let users = await usersByEmail(t);
  // A manager sits in the team above the one they lead.
  expect(users.get('user2@small.example.com').teamName).toBe('Top-level team');
  expect(users.get('user3@small.example.com').teamName).toBe("First2 Last2's team");
  expect(users.get('user4@small.example.com').teamName).toBe("First2 Last2's team");
  expect(users.get('user5@small.example.com').teamName).toBe("First3 Last3's team");
  expect(users.get('user6@small.example.com').teamName).toBe('Top-level team');

  const oldTeam = teams.get("First3 Last3's team")!.id;
  fake.control.updateUser(userId(5), { ManagerId: userId(2) });
  const run = await syncNow(t);
  expect(run.counts).toMatchObject({ teamsDeleted: 1 });
  users = await usersByEmail(t);
  expect(users.get('user5@small.example.com').teamName).toBe("First2 Last2's team");
  expect((await teamsByName(t)).has("First3 Last3's team")).toBe(false);
  const redirect = await t.app.db('team_redirects').where({ org_id: t.org.orgId, old_team_id: oldTeam }).first();
  expect(redirect.new_team_id).toBe(teams.get("First2 Last2's team")!.id);
});

it('leads each team with its manager, even when a report has the Manager role', async () => {
  // user4 reports to user2 and is given the Manager role by hand: user2 still leads the team.
  const users = await usersByEmail(t);
  const report = users.get('user4@small.example.com');
  expect((await t.api('PATCH', `/api/v1/users/${report.id}`, { body: { role: 'manager' } })).statusCode).toBe(200);
  await syncNow(t);
  const teams = await teamsByName(t);
  const team = (await t.api('GET', `/api/v1/teams/${teams.get("First2 Last2's team")!.id}`)).data;
  expect(team.managerUserId).toBe(users.get('user2@small.example.com').id);
  expect(team.managerWarning).toBeNull();
});
