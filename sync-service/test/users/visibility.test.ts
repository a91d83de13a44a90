import { beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../../src/db/scoped.js';
import { canSee } from '../../src/users/visibility.js';
import { setupApp } from '../helper.js';

const t = setupApp();

// top -> a -> b -> c -> d (five levels), plus a sibling branch top -> x.
const teams: Record<string, string> = {};
const people: Record<string, string> = {};

beforeAll(async () => {
  let parent = t.org.topTeamId;
  for (const name of ['a', 'b', 'c', 'd']) {
    teams[name] = (await t.api('POST', '/api/v1/teams', { body: { name, parentId: parent } })).data.id;
    parent = teams[name]!;
  }
  teams.x = (await t.api('POST', '/api/v1/teams', { body: { name: 'x' } })).data.id;
  const add = async (key: string, team: string, objectVisibility: string) => {
    const res = await t.api('POST', '/api/v1/users', {
      body: {
        email: `${key}@example.com`,
        firstName: 'Vi',
        lastName: key,
        role: 'member',
        teamId: teams[team],
        objectVisibility,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    people[key] = res.data.id;
  };
  await add('aTeam', 'a', 'team');
  await add('bFull', 'b', 'full');
  await add('cTeam', 'c', 'team');
  await add('cIndividual', 'c', 'individual');
  await add('dMember', 'd', 'team');
  await add('xMember', 'x', 'team');
  await add('xSuspended', 'x', 'team');
  await t.api('POST', `/api/v1/users/${people.xSuspended}/suspend`, { body: { reason: 'leave' } });
});

const visible = async (viewer: string) => {
  const res = await t.api('GET', `/api/v1/users/${people[viewer]}/visible-users?limit=500`);
  expect(res.statusCode, res.body).toBe(200);
  const byId = Object.fromEntries(Object.entries(people).map(([k, v]) => [v, k]));
  return res.data.items.map((u: any) => byId[u.id] ?? 'admin').sort();
};

describe('who can see whose activity', () => {
  it('Team visibility sees their own team and every sub-team beneath it, however deep, and nothing beside it', async () => {
    expect(await visible('aTeam')).toEqual(['aTeam', 'bFull', 'cIndividual', 'cTeam', 'dMember']);
    expect(await visible('cTeam')).toEqual(['cIndividual', 'cTeam', 'dMember']);
    expect(await visible('dMember')).toEqual(['dMember']);
  });

  it('Full visibility sees everyone except suspended users, whose data is hidden', async () => {
    expect(await visible('bFull')).toEqual(['aTeam', 'admin', 'bFull', 'cIndividual', 'cTeam', 'dMember', 'xMember']);
  });

  it('Individual visibility sees only themselves', async () => {
    expect(await visible('cIndividual')).toEqual(['cIndividual']);
  });

  it('a suspended viewer sees nothing', async () => {
    expect(await visible('xSuspended')).toEqual([]);
  });

  it('viewers and managers of a custom team also see its members', async () => {
    await t.api('POST', '/api/v1/custom-teams', {
      body: { name: 'Deal desk', userIds: [people.xMember], teamIds: [teams.d], viewerIds: [people.cIndividual] },
    });
    expect(await visible('cIndividual')).toEqual(['cIndividual', 'dMember', 'xMember']);
    const scope = scoped(t.app.db, t.org.orgId);
    expect(await canSee(scope, people.cIndividual!, people.xMember!)).toBe(true);
    expect(await canSee(scope, people.cIndividual!, people.aTeam!)).toBe(false);
  });

  it('the visible list keeps the listing filters and paging', async () => {
    const res = await t.api('GET', `/api/v1/users/${people.aTeam}/visible-users?limit=2&sort=-email`);
    expect(res.data).toMatchObject({ objectVisibility: 'team', viewerId: people.aTeam });
    expect(res.data.items.map((u: any) => u.email)).toEqual(['dMember@example.com', 'cTeam@example.com']);
    expect(res.data.nextCursor).not.toBeNull();
  });
});
