import { describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from '../helper.js';

const t = setupApp();

async function addUsers(app: TestApp, profileId: string, n: number, prefix: string): Promise<string[]> {
  const rows = Array.from({ length: n }, (_, i) => ({
    org_id: app.org.orgId,
    email: `${prefix}${i}@example.com`,
    role: 'member',
    profile_id: profileId,
    source: 'manual',
  }));
  return (await app.app.db('users').insert(rows).returning('id')).map((r: { id: string }) => r.id);
}

async function createProfile(name: string, extra: Record<string, unknown> = {}) {
  const res = await t.api('POST', '/api/v1/profiles', { body: { name, ...extra } });
  expect(res.statusCode, res.body).toBe(201);
  return res.data;
}

describe('configuration profiles', () => {
  it('lists the built-in Default - Intake Off with every toggle off', async () => {
    const res = await t.api('GET', '/api/v1/profiles');
    expect(res.statusCode).toBe(200);
    const builtin = res.data.profiles.find((p: any) => p.isBuiltin);
    expect(builtin.name).toBe('Default - Intake Off');
    expect(builtin.userCount).toBe(1);
    const profile = (await t.api('GET', `/api/v1/profiles/${builtin.id}`)).data;
    expect(Object.values(profile.activity).every((on) => on === false)).toBe(true);
    expect(profile.eligibility.Opportunity).toEqual({ state: 'all', groups: [] });
  });

  it('creates a profile and refuses a second one with the same name in any case', async () => {
    const created = await createProfile('Sales Team - Full Sync');
    expect(created.isBuiltin).toBe(false);
    const dup = await t.api('POST', '/api/v1/profiles', { body: { name: 'sales team - full sync' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.data.error.code).toBe('duplicate_name');
    expect(dup.data.error.message).toContain('sales team - full sync');
  });

  it('answers one 201 and one 409 when the same name is created twice at once', async () => {
    const both = await Promise.all([1, 2].map(() => t.api('POST', '/api/v1/profiles', { body: { name: 'Race' } })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('copies every setting, group and question from "User Settings From"', async () => {
    const source = await createProfile('Copy source');
    await t.api('PUT', `/api/v1/profiles/${source.id}/activity`, { body: { intakeData: true, emailSync: true } });
    await t.api('PATCH', `/api/v1/profiles/${source.id}`, { body: { minScore: 42.5 } });
    await t.api('POST', `/api/v1/profiles/${source.id}/eligibility-groups`, {
      body: {
        objectType: 'Account',
        name: 'Partners',
        conditions: [{ field: 'Type', operator: 'equals', value: 'Partner' }],
      },
    });
    await t.api('POST', `/api/v1/profiles/${source.id}/ranking-groups`, {
      body: { target: 'Opportunity', conditions: [{ kind: 'sort', field: 'CloseDate', direction: 'asc' }] },
    });
    await t.api('PUT', `/api/v1/profiles/${source.id}/notifications`, {
      body: {
        meetingCategoryField: 'Meeting_Category__c',
        creationRecipients: 'all_participants',
        completionRecipients: 'owner_only',
        followUpQuestions: [{ crmCategory: 'Opportunity', question: 'Next step?', answerField: 'NextStep' }],
      },
    });
    const copy = await createProfile('Copy target', { copyFromId: source.id });
    const original = (await t.api('GET', `/api/v1/profiles/${source.id}`)).data;
    const strip = (p: any) => ({
      activity: p.activity,
      minScore: p.minScore,
      notifications: p.notifications,
      eligibility: Object.fromEntries(
        Object.entries(p.eligibility).map(([k, v]: any) => [
          k,
          { state: v.state, groups: v.groups.map(({ id, ...g }: any) => g) },
        ]),
      ),
      rankingGroups: p.rankingGroups.map(({ id, ...g }: any) => g),
    });
    expect(strip(copy)).toEqual(strip(original));
    expect(copy.activity.intakeData).toBe(true);
    expect(copy.eligibility.Account.state).toBe('filtered');
    expect(copy.eligibility.Account.groups[0].id).not.toBe(original.eligibility.Account.groups[0].id);
  });

  it('answers 404 when copying from a profile that does not exist', async () => {
    const res = await t.api('POST', '/api/v1/profiles', {
      body: { name: 'Orphan', copyFromId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(res.statusCode).toBe(404);
  });

  it('renames a profile and refuses renaming onto another profile name', async () => {
    const a = await createProfile('Rename me');
    await createProfile('Taken name');
    const renamed = await t.api('PATCH', `/api/v1/profiles/${a.id}`, { body: { name: 'Renamed' } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.data.name).toBe('Renamed');
    const clash = await t.api('PATCH', `/api/v1/profiles/${a.id}`, { body: { name: 'TAKEN NAME' } });
    expect(clash.statusCode).toBe(409);
    expect(clash.data.error.code).toBe('duplicate_name');
  });

  it('turns activity toggles on and off one at a time and refuses unknown toggles', async () => {
    const p = await createProfile('Toggles');
    const on = await t.api('PUT', `/api/v1/profiles/${p.id}/activity`, {
      body: { meetingSync: true, contactRoleCreation: true },
    });
    expect(on.statusCode).toBe(200);
    expect(on.data).toMatchObject({ meetingSync: true, contactRoleCreation: true, intakeData: false });
    const off = await t.api('PUT', `/api/v1/profiles/${p.id}/activity`, { body: { meetingSync: false } });
    expect(off.data).toMatchObject({ meetingSync: false, contactRoleCreation: true });
    const bad = await t.api('PUT', `/api/v1/profiles/${p.id}/activity`, { body: { teleportSync: true } });
    expect(bad.statusCode).toBe(400);
    expect(bad.data.error.message).toContain('teleportSync');
  });

  it('keeps the built-in profile named and with intake off', async () => {
    const builtinId = t.org.defaultProfileId;
    const rename = await t.api('PATCH', `/api/v1/profiles/${builtinId}`, { body: { name: 'Something else' } });
    expect(rename.statusCode).toBe(409);
    expect(rename.data.error.code).toBe('builtin_profile');
    const toggle = await t.api('PUT', `/api/v1/profiles/${builtinId}/activity`, { body: { intakeData: true } });
    expect(toggle.statusCode).toBe(409);
    expect(toggle.data.error.message).toContain('Intake Data');
  });

  it('never deletes the built-in profile', async () => {
    const res = await t.api('DELETE', `/api/v1/profiles/${t.org.defaultProfileId}`);
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('builtin_profile');
  });

  it('refuses to delete a profile with users, naming how many, then deletes it once they are reassigned', async () => {
    const p = await createProfile('In use');
    const userIds = await addUsers(t, p.id, 3, 'inuse');
    const refused = await t.api('DELETE', `/api/v1/profiles/${p.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.data.error.code).toBe('profile_in_use');
    expect(refused.data.error.message).toContain('3 users are assigned');
    await t.api('POST', `/api/v1/profiles/${t.org.defaultProfileId}/assign`, { body: { userIds } });
    const deleted = await t.api('DELETE', `/api/v1/profiles/${p.id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await t.api('GET', `/api/v1/profiles/${p.id}`)).statusCode).toBe(404);
    const audit = await t.app.db('audit_log').where({ action: 'profile.delete', target_id: p.id });
    expect(audit).toHaveLength(1);
  });

  it('assigns users in bulk, counting those already on the profile as unchanged, and audits each', async () => {
    const p = await createProfile('Bulk target');
    const userIds = await addUsers(t, t.org.defaultProfileId, 4, 'bulk');
    await t.api('POST', `/api/v1/profiles/${p.id}/assign`, { body: { userIds: [userIds[0]] } });
    const res = await t.api('POST', `/api/v1/profiles/${p.id}/assign`, { body: { userIds } });
    expect(res.statusCode).toBe(200);
    expect(res.data).toEqual({ assigned: 3, unchanged: 1 });
    const rows = await t.app.db('users').whereIn('id', userIds).pluck('profile_id');
    expect(new Set(rows)).toEqual(new Set([p.id]));
    expect((await t.api('GET', '/api/v1/profiles')).data.profiles.find((x: any) => x.id === p.id).userCount).toBe(4);
    const audits = await t.app.db('audit_log').where({ action: 'user.profile_assign' }).whereIn('target_id', userIds);
    expect(audits).toHaveLength(4);
  });

  it('assigns nobody when one of the users is unknown or belongs to another org', async () => {
    const p = await createProfile('Strict assign');
    const other = await t.createOrg('Other');
    const [foreign] = await t.app.db('users').where({ org_id: other.orgId }).pluck('id');
    const [mine] = await addUsers(t, t.org.defaultProfileId, 1, 'strict');
    const res = await t.api('POST', `/api/v1/profiles/${p.id}/assign`, { body: { userIds: [mine, foreign] } });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('unknown_users');
    expect(res.data.error.details.userIds).toEqual([foreign]);
    expect((await t.app.db('users').where({ id: mine }).first()).profile_id).toBe(t.org.defaultProfileId);
  });

  it('summarises enabled and disabled settings for the hover preview', async () => {
    const p = await createProfile('Summary');
    await t.api('PUT', `/api/v1/profiles/${p.id}/activity`, { body: { intakeData: true, pushData: true } });
    await t.api('POST', `/api/v1/profiles/${p.id}/eligibility-groups`, {
      body: { objectType: 'Lead', conditions: [{ field: 'Status', operator: 'not_equals', value: 'Closed' }] },
    });
    const res = await t.api('GET', `/api/v1/profiles/${p.id}/summary`);
    expect(res.statusCode).toBe(200);
    expect(res.data.enabled).toEqual(['Intake Data', 'Push Data']);
    expect(res.data.disabled).toContain('Contact Role Creation');
    expect(res.data.disabled).toHaveLength(6);
    expect(res.data.eligibility).toEqual({ Opportunity: 'all', Account: 'all', Lead: 'filtered' });
  });

  it('stores notification settings and follow-up questions in the order given, replacing the old ones', async () => {
    const p = await createProfile('Notify');
    const questions = [
      { crmCategory: 'Opportunity', question: 'What is the next step?', answerField: 'NextStep' },
      { crmCategory: 'Account', question: 'Who else joined?', answerField: 'Attendees__c' },
    ];
    const first = await t.api('PUT', `/api/v1/profiles/${p.id}/notifications`, {
      body: {
        meetingCategoryField: 'Category__c',
        creationRecipients: 'owner_only',
        completionRecipients: 'all_participants',
        followUpQuestions: questions,
      },
    });
    expect(first.statusCode).toBe(200);
    expect(first.data.followUpQuestions).toEqual(questions);
    const second = await t.api('PUT', `/api/v1/profiles/${p.id}/notifications`, {
      body: {
        meetingCategoryField: null,
        creationRecipients: 'all_participants',
        completionRecipients: 'all_participants',
        followUpQuestions: [questions[1]],
      },
    });
    const stored = (await t.api('GET', `/api/v1/profiles/${p.id}`)).data.notifications;
    expect(stored).toEqual(second.data);
    expect(stored.followUpQuestions).toEqual([questions[1]]);
    expect(stored.creationRecipients).toBe('all_participants');
  });

  it('refuses notification recipients other than Owner Only or All Participants, and bad answer fields', async () => {
    const p = await createProfile('Notify bad');
    const res = await t.api('PUT', `/api/v1/profiles/${p.id}/notifications`, {
      body: {
        meetingCategoryField: null,
        creationRecipients: 'everyone',
        completionRecipients: 'owner_only',
        followUpQuestions: [],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.message).toContain('creationRecipients');
    const field = await t.api('PUT', `/api/v1/profiles/${p.id}/notifications`, {
      body: {
        meetingCategoryField: null,
        creationRecipients: 'owner_only',
        completionRecipients: 'owner_only',
        followUpQuestions: [{ crmCategory: 'X', question: 'Q?', answerField: "Name' OR Id != null" }],
      },
    });
    expect(field.statusCode).toBe(400);
    expect(field.data.error.message).toContain('answerField');
  });

  it("does not show or change another org's profiles", async () => {
    const other = await t.createOrg('Tenant B');
    const p = await createProfile('Private');
    expect((await t.api('GET', `/api/v1/profiles/${p.id}`, { org: other })).statusCode).toBe(404);
    expect(
      (await t.api('PATCH', `/api/v1/profiles/${p.id}`, { org: other, body: { name: 'Hijack' } })).statusCode,
    ).toBe(404);
    expect((await t.api('DELETE', `/api/v1/profiles/${p.id}`, { org: other })).statusCode).toBe(404);
  });
});
