import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();

let n = 0;
const team = async () => (await t.api('POST', '/api/v1/teams', { body: { name: `Team ${++n}` } })).data;
const users = async (count: number, teamId?: string) => {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(
      (
        await t.api('POST', '/api/v1/users', {
          body: { email: `c${++n}@example.com`, firstName: 'Cu', lastName: 'Stom', role: 'member', teamId },
        })
      ).data.id,
    );
  return ids;
};

describe('custom teams', () => {
  it('holds users and whole teams, a manager and viewers, and counts people once expanded', async () => {
    const sales = await team();
    const [a, b] = await users(2, sales.id);
    const [c, viewer] = await users(2);
    const res = await t.api('POST', '/api/v1/custom-teams', {
      body: { name: 'Tiger team', userIds: [a, c], teamIds: [sales.id], managerUserId: c, viewerIds: [viewer] },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ name: 'Tiger team', memberCount: 3, managerUserId: c, viewerIds: [viewer] });
    expect(res.data.userIds.sort()).toEqual([a, c].sort());
    expect(b).toBeDefined();
    // The people it names come with their names, so a screen need not load the org's users to show them.
    expect(res.data.people.map((p: any) => p.id).sort()).toEqual([a, c, viewer].sort());
    expect(res.data.people.find((p: any) => p.id === viewer)).toMatchObject({
      email: expect.stringMatching(/@example\.com$/),
    });

    const list = (await t.api('GET', '/api/v1/custom-teams')).data.items;
    expect(list.map((x: any) => x.id)).toContain(res.data.id);
    // Custom teams stay out of the hierarchy tree.
    const tree = JSON.stringify((await t.api('GET', '/api/v1/teams')).data);
    expect(tree).not.toContain(res.data.id);
  });

  it('refuses more than 100 people once teams are expanded, on create and on every change', async () => {
    const big = await team();
    await users(99, big.id);
    const [x, y] = await users(2);
    const created = await t.api('POST', '/api/v1/custom-teams', {
      body: { name: 'Big', teamIds: [big.id], userIds: [x] },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data.memberCount).toBe(100);
    const tooMany = await t.api('PATCH', `/api/v1/custom-teams/${created.data.id}`, { body: { userIds: [x, y] } });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.data.error).toMatchObject({ code: 'custom_team_too_large', details: { count: 101, max: 100 } });
    const direct = await t.api('POST', '/api/v1/custom-teams', {
      body: { name: 'Bigger', teamIds: [big.id], userIds: [x, y] },
    });
    expect(direct.statusCode).toBe(422);
  });

  it('edits and deletes a custom team, auditing both', async () => {
    const [a, b] = await users(2);
    const created = (await t.api('POST', '/api/v1/custom-teams', { body: { name: 'Edit me', userIds: [a] } })).data;
    const edited = await t.api('PATCH', `/api/v1/custom-teams/${created.id}`, {
      body: { name: 'Edited', userIds: [b], managerUserId: null },
    });
    expect(edited.data).toMatchObject({ name: 'Edited', userIds: [b], memberCount: 1 });
    expect((await t.api('DELETE', `/api/v1/custom-teams/${created.id}`)).statusCode).toBe(204);
    expect((await t.api('GET', `/api/v1/custom-teams/${created.id}`)).statusCode).toBe(404);
    const audit = (await t.api('GET', `/api/v1/audit-log?targetType=custom_team&targetId=${created.id}`)).data.items;
    expect(audit.map((a: any) => a.action)).toEqual(['custom_team.delete', 'custom_team.update', 'custom_team.create']);
  });

  it('refuses unknown users, custom teams as members, and users of another org', async () => {
    const other = await t.createOrg();
    const res = await t.api('POST', '/api/v1/custom-teams', { body: { name: 'Bad', userIds: [other.adminUserId] } });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('unknown_user');
    const nested = (await t.api('POST', '/api/v1/custom-teams', { body: { name: 'Inner' } })).data;
    const bad = await t.api('POST', '/api/v1/custom-teams', { body: { name: 'Outer', teamIds: [nested.id] } });
    expect(bad.data.error.code).toBe('unknown_team');
  });
});
