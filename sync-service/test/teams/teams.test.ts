import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();

const team = async (name: string, parentId?: string) => {
  const res = await t.api('POST', '/api/v1/teams', { body: { name, parentId } });
  expect(res.statusCode, res.body).toBe(201);
  return res.data;
};
const user = async (email: string, teamId: string, role = 'member') => {
  const res = await t.api('POST', '/api/v1/users', { body: { email, firstName: 'Te', lastName: 'Am', teamId, role } });
  expect(res.statusCode, res.body).toBe(201);
  return res.data;
};

describe('the team hierarchy', () => {
  it('starts with the top-level team and Unassigned, and shows created teams as a tree with member counts', async () => {
    const sales = await team('Sales');
    const emea = await team('EMEA', sales.id);
    await user('emea1@example.com', emea.id);
    const tree = (await t.api('GET', '/api/v1/teams')).data;
    expect(tree.top).toMatchObject({ id: t.org.topTeamId, kind: 'top', memberCount: 1 });
    expect(tree.unassigned).toMatchObject({ id: t.org.unassignedTeamId, name: 'Unassigned' });
    const salesNode = tree.top.children.find((c: any) => c.id === sales.id);
    expect(salesNode.children).toEqual([
      expect.objectContaining({ id: emea.id, name: 'EMEA', memberCount: 1, children: [] }),
    ]);
  });

  it('renames and moves a team, and refuses a move under its own sub-team', async () => {
    const a = await team('A');
    const b = await team('B', a.id);
    const c = await team('C');
    const renamed = await t.api('PATCH', `/api/v1/teams/${a.id}`, { body: { name: 'Alpha', parentId: c.id } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.data).toMatchObject({ name: 'Alpha', parentId: c.id });
    const cycle = await t.api('PATCH', `/api/v1/teams/${a.id}`, { body: { parentId: b.id } });
    expect(cycle.statusCode).toBe(409);
    expect(cycle.data.error.code).toBe('team_cycle');
    const self = await t.api('PATCH', `/api/v1/teams/${a.id}`, { body: { parentId: a.id } });
    expect(self.statusCode).toBe(409);
  });

  it('refuses a duplicate team name in any case', async () => {
    await team('Support');
    const res = await t.api('POST', '/api/v1/teams', { body: { name: 'SUPPORT' } });
    expect(res.statusCode).toBe(409);
  });

  it('never deletes the top-level team or Unassigned', async () => {
    for (const id of [t.org.topTeamId, t.org.unassignedTeamId]) {
      const res = await t.api('DELETE', `/api/v1/teams/${id}`);
      expect(res.statusCode).toBe(400);
    }
  });

  it('refuses to delete a team with members or sub-teams unless told where they go, then moves them', async () => {
    const old = await team('Old');
    const sub = await team('Old Sub', old.id);
    const member = await user('old1@example.com', old.id);
    const target = await team('New Home');
    const refused = await t.api('DELETE', `/api/v1/teams/${old.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.data.error).toMatchObject({ code: 'team_not_empty', details: { members: 1, subTeams: 1 } });

    const res = await t.api('DELETE', `/api/v1/teams/${old.id}?moveMembersTo=${target.id}`);
    expect(res.statusCode).toBe(204);
    expect((await t.api('GET', `/api/v1/users/${member.id}`)).data.teamId).toBe(target.id);
    expect((await t.api('GET', `/api/v1/teams/${sub.id}`)).data.parentId).toBe(target.id);
    // The history of the deleted team stays reachable through the team that replaced it.
    const history = (await t.api('GET', `/api/v1/teams/${target.id}/history`)).data.items;
    expect(history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: member.id, teamId: old.id, endedAt: expect.any(String) }),
        expect.objectContaining({ userId: member.id, teamId: target.id, endedAt: null }),
      ]),
    );
    // A saved view filtering on the old team id lists the members where they went.
    const listed = (await t.api('GET', `/api/v1/users?teamId=${old.id}`)).data.items;
    expect(listed.map((u: any) => u.id)).toContain(member.id);
    const old_ = (await t.api('GET', `/api/v1/teams/${old.id}/history`)).data.items;
    expect(old_).toEqual([expect.objectContaining({ userId: member.id, teamId: old.id, endedAt: expect.any(String) })]);
  });

  it('deletes an empty team', async () => {
    const empty = await team('Empty');
    expect((await t.api('DELETE', `/api/v1/teams/${empty.id}`)).statusCode).toBe(204);
    expect((await t.api('GET', `/api/v1/teams/${empty.id}`)).statusCode).toBe(404);
  });

  it('refuses hierarchy edits in Automatic Mode but lets an admin set a manager by hand', async () => {
    const org = await t.createOrg('Auto teams');
    const created = (await t.api('POST', '/api/v1/teams', { org, body: { name: 'Ops' } })).data;
    await t.app.db('orgs').where({ id: org.orgId }).update({ management_mode: 'automatic' });
    const create = await t.api('POST', '/api/v1/teams', { org, body: { name: 'More' } });
    expect(create.statusCode).toBe(409);
    expect(create.data.error.code).toBe('owned_by_salesforce');
    const rename = await t.api('PATCH', `/api/v1/teams/${created.id}`, { org, body: { name: 'Operations' } });
    expect(rename.statusCode).toBe(409);
    const manager = await t.api('PATCH', `/api/v1/teams/${created.id}`, {
      org,
      body: { managerUserId: org.adminUserId },
    });
    expect(manager.statusCode).toBe(200);
    expect(manager.data).toMatchObject({ managerUserId: org.adminUserId, managerSetByHand: true });
  });

  it('pages the membership history', async () => {
    const paged = await team('Paged');
    for (let i = 0; i < 3; i++) await user(`paged${i}@example.com`, paged.id);
    const first = (await t.api('GET', `/api/v1/teams/${paged.id}/history?limit=2`)).data;
    expect(first.items).toHaveLength(2);
    const second = (await t.api('GET', `/api/v1/teams/${paged.id}/history?limit=2&cursor=${first.nextCursor}`)).data;
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((i: any) => i.email)).size).toBe(3);
  });
});
