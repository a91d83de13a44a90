import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSalesforce, PROFILES } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { roleId, smallOrg, userId } from '../sync/org.js';
import { enableAutomatic, syncNow, teamsByName, usersByEmail } from '../sync/support.js';

/** What a replaced or deleted team leaves behind: custom teams, old ids and rules that named it. */
describe('references to replaced teams when Automatic Mode replaces the manual hierarchy', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  let squadId: string;
  let emptyId: string;
  let dealDeskId: string;
  let viewerId: string;
  let ruleId: string;
  let salesProfileId: string;
  const visibleTo = async (id: string) =>
    ((await t.api('GET', `/api/v1/users/${id}/visible-users?limit=500`)).data.items as any[])
      .map((u) => u.email)
      .sort();
  let visibleBefore: string[];

  beforeAll(async () => {
    fake = await connectFakeOrg(t, smallOrg(12));
    salesProfileId = (await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } })).data.id;
    squadId = (await t.api('POST', '/api/v1/teams', { body: { name: 'Squad' } })).data.id;
    emptyId = (await t.api('POST', '/api/v1/teams', { body: { name: 'Empty' } })).data.id;
    // Three people the admin added by hand, already linked to their Salesforce users (two Sales, one Sales West).
    const squad = [2, 5, 3].map((n) => ({ n, email: `user${n}@small.example.com` }));
    const ids: string[] = [];
    for (const { n, email } of squad) {
      const res = await t.api('POST', '/api/v1/users', {
        body: {
          email,
          firstName: `First${n}`,
          lastName: `Last${n}`,
          role: 'member',
          teamId: squadId,
          sfUserId: userId(n),
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.data.id);
    }
    viewerId = (
      await t.api('POST', '/api/v1/users', {
        body: {
          email: 'viewer@small.example.com',
          firstName: 'Vi',
          lastName: 'Ewer',
          role: 'member',
          objectVisibility: 'individual',
        },
      })
    ).data.id;
    const desk = await t.api('POST', '/api/v1/custom-teams', {
      body: { name: 'Deal desk', teamIds: [squadId], viewerIds: [viewerId] },
    });
    expect(desk.statusCode, desk.body).toBe(201);
    dealDeskId = desk.data.id;
    const rule = await t.api('POST', '/api/v1/rules', {
      body: {
        name: 'Squad leads',
        filters: [{ field: 'team_name', operator: 'is_under', value: squadId }],
        assignments: { profileId: salesProfileId, role: 'manager', visibility: 'team', licenses: ['foundation'] },
      },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    ruleId = rule.data.id;
    visibleBefore = await visibleTo(viewerId);
    expect(visibleBefore).toEqual([...squad.map((s) => s.email), 'viewer@small.example.com'].sort());
  });
  afterAll(async () => fake?.close());

  it('a custom team keeps the people of a member team that was replaced, and its viewer sees no one new', async () => {
    const state = await enableAutomatic(t);
    expect(state.lastRun.outcome).toBe('success');
    const desk = (await t.api('GET', `/api/v1/custom-teams/${dealDeskId}`)).data;
    expect(desk.teamIds).toEqual([]);
    expect(desk.memberCount).toBe(3);
    expect(await visibleTo(viewerId)).toEqual(visibleBefore);
    const run = (await t.api('GET', '/api/v1/sync/runs')).data.items[0];
    expect(run.warnings.join('\n')).toMatch(/Custom team "Deal desk"/);
  });

  it('an old team id points to the team that took most of its people, and GET says where it went', async () => {
    const teams = await teamsByName(t);
    const old = await t.api('GET', `/api/v1/teams/${squadId}`);
    expect(old.statusCode).toBe(410);
    expect(old.data.error).toMatchObject({
      code: 'team_replaced',
      details: { replacedBy: { id: teams.get('Sales')!.id, name: 'Sales' } },
    });
    expect(old.data.error.message).toMatch(/Squad.*Sales/);
    // A saved filter on the old id shows the Sales team's people, never the whole org.
    const filtered = (await t.api('GET', `/api/v1/users?teamId=${squadId}&limit=500`)).data.items as any[];
    const everyone = await usersByEmail(t);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.length).toBeLessThan(everyone.size);
    expect(filtered.every((u) => ['Sales', 'Sales West'].includes(u.teamName))).toBe(true);
  });

  it('an old id no team took over answers "team replaced" with the choices, for GET and for a saved filter', async () => {
    const old = await t.api('GET', `/api/v1/teams/${emptyId}`);
    expect(old.statusCode).toBe(410);
    expect(old.data.error.code).toBe('team_replaced');
    expect(old.data.error.details.replacedBy).toBeNull();
    expect(old.data.error.details.choices.length).toBeGreaterThan(0);
    const filtered = await t.api('GET', `/api/v1/users?teamId=${emptyId}`);
    expect(filtered.statusCode).toBe(410);
    expect(filtered.data.error.code).toBe('team_replaced');
  });

  it('a rule naming the replaced team is flagged invalid with its clause, never applied, and the sync says so', async () => {
    const rules = (await t.api('GET', '/api/v1/rules')).data;
    const rule = rules.rules.find((r: any) => r.id === ruleId);
    expect(rule.valid).toBe(false);
    expect(rule.problems[0]).toMatchObject({
      code: 'replaced_team',
      clause: { index: 0, text: 'Team Name is under "Squad"' },
    });
    // Nobody was configured by it (through a redirect it would have made every Sales hire a Team-visibility Manager).
    const users = await usersByEmail(t);
    expect([...users.values()].filter((u) => u.role === 'manager')).toEqual([]);
    const hire = fake.control.addUser({
      FirstName: 'New',
      LastName: 'Hire',
      Email: 'hire@small.example.com',
      UserRoleId: roleId(2),
      ProfileId: PROFILES.standard,
    });
    const run = await syncNow(t);
    expect(run.outcome).toBe('success');
    expect(run.warnings.join('\n')).toMatch(/Rule "Squad leads" is invalid and is not applied.*wait until it is fixed/);
    expect((await usersByEmail(t)).has('hire@small.example.com')).toBe(false);

    const sales = (await teamsByName(t)).get('Sales West')!.id;
    const fixed = await t.api('PATCH', `/api/v1/rules/${ruleId}`, {
      body: { filters: [{ field: 'team_name', operator: 'is', value: sales }] },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.data.valid).toBe(true);
    await syncNow(t);
    const hired = (await usersByEmail(t)).get('hire@small.example.com');
    expect(hired).toMatchObject({ teamName: 'Sales', role: 'member', sfUserId: hire });
  });
});

describe('deleting a configuration profile that a rule assigns', () => {
  const t = setupApp();

  it('is refused with 409 naming the rules, and allowed once no rule assigns it', async () => {
    const profile = (await t.api('POST', '/api/v1/profiles', { body: { name: 'Partners' } })).data;
    const rule = (
      await t.api('POST', '/api/v1/rules', {
        body: {
          name: 'Partner managers',
          filters: [{ field: 'job_title', operator: 'contains', value: 'partner' }],
          assignments: { profileId: profile.id, role: 'member', visibility: 'team', licenses: ['foundation'] },
        },
      })
    ).data;
    const refused = await t.api('DELETE', `/api/v1/profiles/${profile.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.data.error.code).toBe('profile_used_by_rules');
    expect(refused.data.error.message).toMatch(/"Partner managers"/);
    expect(refused.data.error.details.rules).toEqual([{ ruleId: rule.id, ruleName: 'Partner managers' }]);
    expect((await t.api('GET', '/api/v1/rules')).data.invalidCount).toBe(0);

    expect((await t.api('DELETE', `/api/v1/rules/${rule.id}`)).statusCode).toBe(204);
    expect((await t.api('DELETE', `/api/v1/profiles/${profile.id}`)).statusCode).toBe(204);
  });
});

describe('deleting a team a custom team holds', () => {
  const t = setupApp();

  it('keeps the deleted team’s people in the custom team as members, and audits it', async () => {
    const squad = (await t.api('POST', '/api/v1/teams', { body: { name: 'Squad' } })).data.id;
    const other = (await t.api('POST', '/api/v1/teams', { body: { name: 'Other' } })).data.id;
    const people: string[] = [];
    for (const n of [1, 2, 3]) {
      const res = await t.api('POST', '/api/v1/users', {
        body: { email: `squad${n}@example.com`, firstName: 'Squad', lastName: `${n}`, role: 'member', teamId: squad },
      });
      people.push(res.data.id);
    }
    await t.api('POST', '/api/v1/users', {
      body: { email: 'other@example.com', firstName: 'Oth', lastName: 'Er', role: 'member', teamId: other },
    });
    const desk = (await t.api('POST', '/api/v1/custom-teams', { body: { name: 'Deal desk', teamIds: [squad] } })).data;
    expect(desk.memberCount).toBe(3);

    const del = await t.api('DELETE', `/api/v1/teams/${squad}?moveMembersTo=${other}`);
    expect(del.statusCode, del.body).toBe(204);
    const after = (await t.api('GET', `/api/v1/custom-teams/${desk.id}`)).data;
    expect(after).toMatchObject({ teamIds: [], memberCount: 3 });
    expect([...after.userIds].sort()).toEqual([...people].sort());
    const log = (await t.api('GET', `/api/v1/audit-log?targetType=custom_team&targetId=${desk.id}`)).data.items;
    expect(log.map((e: any) => e.action)).toContain('custom_team.keep_people');
  });

  it('an old id of a team deleted into the top-level team answers "team replaced", never the whole org', async () => {
    const top = (await t.api('GET', '/api/v1/teams')).data.top.id;
    const pod = (await t.api('POST', '/api/v1/teams', { body: { name: 'Pod' } })).data.id;
    await t.api('POST', '/api/v1/users', {
      body: { email: 'pod1@example.com', firstName: 'Pod', lastName: 'One', role: 'member', teamId: pod },
    });
    expect((await t.api('DELETE', `/api/v1/teams/${pod}?moveMembersTo=${top}`)).statusCode).toBe(204);
    for (const url of [`/api/v1/teams/${pod}`, `/api/v1/users?teamId=${pod}`]) {
      const res = await t.api('GET', url);
      expect(res.statusCode, url).toBe(410);
      expect(res.data.error).toMatchObject({
        code: 'team_replaced',
        details: { replacedBy: null, choices: [{ id: top, people: 1 }] },
      });
    }
    // A team deleted into another ordinary team still points there.
    const a = (await t.api('POST', '/api/v1/teams', { body: { name: 'A' } })).data.id;
    const b = (await t.api('POST', '/api/v1/teams', { body: { name: 'B' } })).data.id;
    expect((await t.api('DELETE', `/api/v1/teams/${a}?moveMembersTo=${b}`)).statusCode).toBe(204);
    expect((await t.api('GET', `/api/v1/teams/${a}`)).data.error.details.replacedBy).toMatchObject({ id: b });
  });
});
