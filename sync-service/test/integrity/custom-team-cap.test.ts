import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { roleId, smallOrg, userId } from '../sync/org.js';
import { waitForJob } from '../jobs/support.js';
import { automaticOrg, syncNow, teamsByName, usersByEmail } from '../sync/support.js';

describe('a custom team at the 100-people cap when Salesforce moves someone into its member team', () => {
  const { t, salesforce } = automaticOrg(12);

  it('keeps the 100 people it had, its viewer sees no one new, and the run says so', async () => {
    const salesWest = (await teamsByName(t)).get('Sales West')!.id;
    // 4 Salesforce users sit in Sales West; 96 people added by hand bring the custom team to exactly 100.
    const handAdded: string[] = [];
    for (let i = 0; i < 96; i++) {
      const res = await t.api('POST', '/api/v1/users', {
        body: { email: `pod${i}@small.example.com`, firstName: 'Pod', lastName: `Member${i}`, role: 'member' },
      });
      expect(res.statusCode, res.body).toBe(201);
      handAdded.push(res.data.id);
    }
    const viewer = await t.api('POST', '/api/v1/users', {
      body: {
        email: 'pod.viewer@small.example.com',
        firstName: 'Pod',
        lastName: 'Viewer',
        role: 'member',
        objectVisibility: 'individual',
      },
    });
    const pod = await t.api('POST', '/api/v1/custom-teams', {
      body: { name: 'Sales pod', teamIds: [salesWest], userIds: handAdded, viewerIds: [viewer.data.id] },
    });
    expect(pod.statusCode, pod.body).toBe(201);
    expect(pod.data.memberCount).toBe(100);
    const visible = async () =>
      ((await t.api('GET', `/api/v1/users/${viewer.data.id}/visible-users?limit=500`)).data.items as any[]).map(
        (u) => u.email,
      );
    expect(await visible()).not.toContain('user4@small.example.com');

    // A Support user moves into Sales West in Salesforce: following the team would make the pod 101 people.
    salesforce().setUserRole(userId(4), roleId(3));
    const run = await syncNow(t);
    expect(run.outcome).toBe('success');
    expect((await usersByEmail(t)).get('user4@small.example.com').teamName).toBe('Sales West');
    const after = (await t.api('GET', `/api/v1/custom-teams/${pod.data.id}`)).data;
    expect(after.memberCount).toBe(100);
    expect(await visible()).not.toContain('user4@small.example.com');
    expect(run.warnings.join('\n')).toMatch(/Custom team "Sales pod" keeps its 100 people/);
  });
});

describe("an admin's hierarchy edit that would take a custom team past 100 people", () => {
  const t = setupApp();
  let pod: string;
  let other: string;
  let customId: string;
  const csv = (rows: string[]) =>
    t.api('POST', '/api/v1/users/import?dryRun=false', {
      payload: ['Email,First Name,Last Name,Role,Team,Operation', ...rows].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
  const teamOf = async (email: string) =>
    ((await t.api('GET', `/api/v1/users?search=${encodeURIComponent(email)}`)).data.items as any[])[0]?.teamId;
  const expectRefused = async (res: { statusCode: number; body: string; data: any }) => {
    expect(res.statusCode, res.body).toBe(409);
    expect(res.data.error.code).toBe('custom_team_too_large');
    expect(res.data.error.message).toMatch(/custom team "Pod watchers" \(10[1-9] people\) past 100 people/);
    expect(res.data.error.details.customTeams).toMatchObject([{ id: customId, name: 'Pod watchers' }]);
    expect((await t.api('GET', `/api/v1/custom-teams/${customId}`)).data.memberCount).toBe(100);
  };

  beforeAll(async () => {
    pod = (await t.api('POST', '/api/v1/teams', { body: { name: 'Pod' } })).data.id;
    other = (await t.api('POST', '/api/v1/teams', { body: { name: 'Other' } })).data.id;
    const imported = await csv([
      ...Array.from({ length: 100 }, (_, i) => `pod${i}@example.com,Pod,Person${i},Member,Pod,Add`),
      ...Array.from({ length: 3 }, (_, i) => `other${i}@example.com,Other,Person${i},Member,Other,Add`),
    ]);
    expect(imported.statusCode, imported.body).toBe(200);
    const custom = await t.api('POST', '/api/v1/custom-teams', { body: { name: 'Pod watchers', teamIds: [pod] } });
    expect(custom.statusCode, custom.body).toBe(201);
    expect(custom.data.memberCount).toBe(100);
    customId = custom.data.id;
  });

  it('refuses adding a user to its member team, by hand or by CSV, and adds no one', async () => {
    await expectRefused(
      await t.api('POST', '/api/v1/users', {
        body: { email: 'one.more@example.com', firstName: 'One', lastName: 'More', role: 'member', teamId: pod },
      }),
    );
    await expectRefused(await csv(['csv.more@example.com,Csv,More,Member,Pod,Add']));
    expect(await teamOf('one.more@example.com')).toBeUndefined();
    expect(await teamOf('csv.more@example.com')).toBeUndefined();
  });

  it('refuses moving people into its member team, one, in bulk or by deleting their team, and moves no one', async () => {
    const id = ((await t.api('GET', '/api/v1/users?search=other0@')).data.items as any[])[0].id;
    await expectRefused(await t.api('PATCH', `/api/v1/users/${id}`, { body: { teamId: pod } }));
    await expectRefused(
      await t.api('POST', '/api/v1/users/bulk', {
        body: { selection: { filters: { teamId: other } }, change: { action: 'move_team', teamId: pod } },
      }),
    );
    await expectRefused(await t.api('DELETE', `/api/v1/teams/${other}?moveMembersTo=${pod}`));
    await expectRefused(await t.api('PATCH', `/api/v1/teams/${other}`, { body: { parentId: pod } }));
    await expectRefused(await csv(['other1@example.com,,,,Pod,Edit']));
    for (const email of ['other0@example.com', 'other1@example.com', 'other2@example.com'])
      expect(await teamOf(email), email).toBe(other);
  });

  it('says so in the bulk count before the move is applied, with the refusal the apply would give', async () => {
    const selection = { filters: { teamId: other } };
    await expectRefused(
      await t.api('POST', '/api/v1/users/bulk', {
        body: { selection, change: { action: 'move_team', teamId: pod }, dryRun: true },
      }),
    );
    // A move that takes no custom team past the cap counts as before.
    const elsewhere = await t.api('POST', '/api/v1/users/bulk', {
      body: { selection: { filters: { teamId: pod } }, change: { action: 'move_team', teamId: other }, dryRun: true },
    });
    expect(elsewhere.data).toEqual({ matched: 100, changed: 100, dryRun: true });
  });

  it('names in the CSV dry run each row that would take it past 100, on its Team cell, and lets a swap through', async () => {
    const dryRun = (rows: string[]) =>
      t.api('POST', '/api/v1/users/import?dryRun=true', {
        payload: ['Email,First Name,Last Name,Role,team,Operation', ...rows].join('\n'),
        headers: { 'content-type': 'text/csv' },
      });
    const past = await dryRun([
      'csv.more@example.com,Csv,More,Member,Pod,Add',
      'other1@example.com,,,,Pod,Edit',
      'other0@example.com,,,,Other,Edit',
    ]);
    expect(past.statusCode, past.body).toBe(200);
    expect(past.data.errors).toEqual(
      [2, 3].map((line) => ({
        line,
        column: 'team',
        code: 'custom_team_too_large',
        message: expect.stringMatching(/would join custom team "Pod watchers" .* taking it to 102 people, past 100/),
      })),
    );
    expect(past.data.summary).toMatchObject({ add: 0, edit: 0, unchanged: 1 });
    const result = (await t.api('GET', past.data.resultCsvUrl)).body;
    expect(result).toContain(
      '2,csv.more@example.com,Add,Error,"csv.more@example.com would join custom team ""Pod watchers"" with this row\'s team',
    );

    const swap = await dryRun(['pod1@example.com,,,,Other,Edit', 'csv.swap@example.com,Csv,Swap,Member,Pod,Add']);
    expect(swap.data.errors).toEqual([]);
    expect(swap.data.summary).toMatchObject({ add: 1, edit: 1 });
    expect((await t.api('GET', `/api/v1/custom-teams/${customId}`)).data.memberCount).toBe(100);
  });

  it('still lets people leave its member team, and one join in their place', async () => {
    const leaving = ((await t.api('GET', '/api/v1/users?search=pod0@')).data.items as any[])[0].id;
    const joining = ((await t.api('GET', '/api/v1/users?search=other2@')).data.items as any[])[0].id;
    expect((await t.api('PATCH', `/api/v1/users/${leaving}`, { body: { teamId: other } })).statusCode).toBe(200);
    expect((await t.api('PATCH', `/api/v1/users/${joining}`, { body: { teamId: pod } })).statusCode).toBe(200);
    expect((await t.api('GET', `/api/v1/custom-teams/${customId}`)).data.memberCount).toBe(100);
  });
});

describe('a role import that would take a custom team past 100 people', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  beforeAll(async () => {
    fake = await connectFakeOrg(t, smallOrg(6));
    // The role tree is read into the mirror in the background first.
    await waitForJob(t, (await t.api('GET', '/api/v1/salesforce/roles')).data.refreshJobId);
  });
  afterAll(async () => fake?.close());

  it('is refused naming the custom team, and imports no one', async () => {
    const top = (await t.api('GET', '/api/v1/teams')).data.top.id;
    const imported = await t.api('POST', '/api/v1/users/import?dryRun=false', {
      payload: [
        'Email,First Name,Last Name,Role,Operation',
        ...Array.from({ length: 97 }, (_, i) => `hand${i}@example.com,Hand,Added${i},Member,Add`),
      ].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const custom = await t.api('POST', '/api/v1/custom-teams', { body: { name: 'Everyone', teamIds: [top] } });
    expect(custom.statusCode, custom.body).toBe(201);
    const before = custom.data.memberCount;
    expect(before).toBeGreaterThan(94);
    for (const n of [1, 2, 3, 4])
      expect(
        (await t.api('PUT', `/api/v1/salesforce/roles/${roleId(n)}`, { body: { importEnabled: true } })).statusCode,
      ).toBe(200);

    const res = await t.api('POST', '/api/v1/salesforce/roles/import');
    expect(res.statusCode, res.body).toBe(409);
    expect(res.data.error).toMatchObject({
      code: 'custom_team_too_large',
      details: { customTeams: [{ name: 'Everyone' }] },
    });
    expect((await t.api('GET', `/api/v1/custom-teams/${custom.data.id}`)).data.memberCount).toBe(before);
    expect((await t.api('GET', '/api/v1/users?search=user2@small')).data.items).toEqual([]);
  });
});

describe('a custom team already past 100 people, from before the cap held for every edit', () => {
  const t = setupApp();
  let customId: string;
  let ids: string[];
  const patch = (body: object) => t.api('PATCH', `/api/v1/custom-teams/${customId}`, { body });

  beforeAll(async () => {
    const imported = await t.api('POST', '/api/v1/users/import?dryRun=false', {
      payload: [
        'Email,First Name,Last Name,Role,Operation',
        ...Array.from({ length: 105 }, (_, i) => `crowd${i}@example.com,Crowd,Person${i},Member,Add`),
      ].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.statusCode, imported.body).toBe(200);
    ids = ((await t.api('GET', '/api/v1/users?search=crowd&limit=200')).data.items as any[]).map((u) => u.id);
    expect(ids).toHaveLength(105);
    const custom = await t.api('POST', '/api/v1/custom-teams', {
      body: { name: 'Old crowd', userIds: ids.slice(0, 100) },
    });
    expect(custom.statusCode, custom.body).toBe(201);
    customId = custom.data.id;
    // Five more, as an older release could leave it.
    await t.app
      .db('custom_team_members')
      .insert(ids.slice(100).map((u) => ({ org_id: t.org.orgId, team_id: customId, member_user_id: u })));
    expect((await t.api('GET', `/api/v1/custom-teams/${customId}`)).data.memberCount).toBe(105);
  });

  it('can still be renamed, and shrunk towards the cap', async () => {
    const renamed = await patch({ name: 'Old crowd (trimming)' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const trimmed = await patch({ userIds: ids.slice(0, 102) });
    expect(trimmed.statusCode, trimmed.body).toBe(200);
    expect(trimmed.data.memberCount).toBe(102);
  });

  it('never grows again, and says how many it holds', async () => {
    const grown = await patch({ userIds: ids.slice(0, 103) });
    expect(grown.statusCode, grown.body).toBe(422);
    expect(grown.data.error.code).toBe('custom_team_too_large');
    expect(grown.data.error.message).toContain('these members expand to 103. It holds 102 now');
    expect((await t.api('GET', `/api/v1/custom-teams/${customId}`)).data.memberCount).toBe(102);
  });
});
