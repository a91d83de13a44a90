import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';
import { seedHierarchy } from './fixtures.js';

const t = setupApp();
let h: Awaited<ReturnType<typeof seedHierarchy>>;
const ids: Record<string, string> = {};

async function addRule(name: string, filters: unknown[], assignments: Record<string, unknown>) {
  const res = await t.api('POST', '/api/v1/rules', { body: { name, filters, assignments } });
  expect(res.statusCode, res.body).toBe(201);
  ids[name] = res.data.id;
}

describe('rule simulator', () => {
  it('shows for one Roster user which rule matches, which clause decided and which rules were passed over', async () => {
    h = await seedHierarchy(t);
    await addRule('Support', [{ field: 'team_name', operator: 'is', value: h.support }], {
      profileId: h.salesProfileId,
      role: 'member',
      visibility: 'individual',
      licenses: ['foundation'],
    });
    await addRule(
      'EMEA AEs',
      [
        { field: 'team_name', operator: 'is_under', value: h.emea },
        { field: 'job_title', operator: 'contains', value: 'account executive' },
      ],
      {
        profileId: h.salesProfileId,
        role: 'member',
        visibility: 'team',
        licenses: ['foundation', 'forecasting'],
      },
    );
    ids.ae = await h.user('ae@example.com', 'Senior Account Executive', h.emea);
    const res = await t.api('POST', '/api/v1/rules/simulate', { body: { userId: ids.ae } });
    expect(res.statusCode, res.body).toBe(200);
    const [r] = res.data.results;
    expect(r.rule).toMatchObject({ id: ids['EMEA AEs'], name: 'EMEA AEs', isCatchAll: false });
    expect(r.decidingClause).toMatchObject({ index: 1, text: 'Job Title contains "account executive"' });
    expect(r.passedOver).toEqual([
      {
        ruleId: ids.Support,
        ruleName: 'Support',
        failedClause: expect.objectContaining({ text: 'Team Name is "Support"' }),
      },
    ]);
    expect(r.assignments.visibility).toBe('team');
    expect(r.subject).toMatchObject({ email: 'ae@example.com', teamName: 'EMEA Sales' });
  });

  it('simulates a Salesforce user of the snapshot, placing them in the team of their role', async () => {
    await t.app.db('salesforce_users').insert([
      {
        org_id: t.org.orgId,
        sf_user_id: '005000000000AAA',
        email: 'new.ae@example.com',
        first_name: 'New',
        last_name: 'AE',
        title: 'Account Executive',
        sf_role_id: '00E000000000002',
        is_active: true,
      },
      {
        org_id: t.org.orgId,
        sf_user_id: '005000000000BBB',
        email: 'agent@example.com',
        first_name: 'Sue',
        last_name: 'Agent',
        title: 'Agent',
        sf_role_id: '00E000000000004',
        is_active: true,
      },
      {
        org_id: t.org.orgId,
        sf_user_id: '005000000000CCC',
        email: 'gone@example.com',
        first_name: 'Old',
        last_name: 'Timer',
        title: 'Account Executive',
        sf_role_id: '00E000000000002',
        is_active: false,
      },
      {
        org_id: t.org.orgId,
        sf_user_id: '005000000000DDD',
        email: 'norole@example.com',
        first_name: 'No',
        last_name: 'Role',
        title: 'Account Executive',
        sf_role_id: null,
        is_active: true,
      },
    ]);
    const one = await t.api('POST', '/api/v1/rules/simulate', { body: { sfUserId: '005000000000AAA' } });
    expect(one.statusCode).toBe(200);
    expect(one.data.results[0].subject).toMatchObject({
      sfUserId: '005000000000AAA',
      teamId: h.emea,
      teamName: 'EMEA Sales',
    });
    expect(one.data.results[0].rule.name).toBe('EMEA AEs');
  });

  it('simulates every active user of the snapshot with a count per rule', async () => {
    const res = await t.api('POST', '/api/v1/rules/simulate', { body: { all: true } });
    expect(res.statusCode).toBe(200);
    const byEmail = Object.fromEntries(res.data.results.map((r: any) => [r.subject.email, r.rule.name]));
    expect(byEmail).toEqual({
      'new.ae@example.com': 'EMEA AEs',
      'agent@example.com': 'Support',
      'norole@example.com': 'Catch-all',
    });
    expect(res.data.summary).toEqual([
      { ruleId: ids.Support, ruleName: 'Support', users: 1 },
      { ruleId: ids['EMEA AEs'], ruleName: 'EMEA AEs', users: 1 },
      expect.objectContaining({ ruleName: 'Catch-all', users: 1 }),
    ]);
  });

  it('simulates a draft order and draft edits without saving them', async () => {
    const draft = [
      { id: ids['EMEA AEs'], filters: [{ field: 'job_title', operator: 'contains', value: 'agent' }] },
      {
        name: 'Everyone in Sales',
        filters: [{ field: 'team_name', operator: 'is_under', value: h.sales }],
        assignments: { profileId: h.salesProfileId, role: 'manager', visibility: 'full', licenses: [] },
      },
      { id: ids.Support },
    ];
    const res = await t.api('POST', '/api/v1/rules/simulate', { body: { all: true, rules: draft } });
    expect(res.statusCode, res.body).toBe(200);
    const byEmail = Object.fromEntries(res.data.results.map((r: any) => [r.subject.email, r.rule.name]));
    expect(byEmail).toEqual({
      'new.ae@example.com': 'Everyone in Sales',
      'agent@example.com': 'EMEA AEs',
      'norole@example.com': 'Catch-all',
    });
    const saved = (await t.api('GET', '/api/v1/rules')).data.rules.map((r: any) => r.name);
    expect(saved).toEqual(['Support', 'EMEA AEs', 'Catch-all']);
  });

  it('refuses a draft that moves the catch-all, and a request naming no one', async () => {
    const catchAll = (await t.api('GET', '/api/v1/rules')).data.rules.at(-1).id;
    const moved = await t.api('POST', '/api/v1/rules/simulate', {
      body: { all: true, rules: [{ id: catchAll }, { id: ids.Support }] },
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.data.error.code).toBe('catch_all_must_be_last');
    const nobody = await t.api('POST', '/api/v1/rules/simulate', { body: {} });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.data.error.message).toContain('exactly one of userId, sfUserId or all');
    const unknown = await t.api('POST', '/api/v1/rules/simulate', { body: { sfUserId: '005000000000ZZZ' } });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('re-applying rules to existing users', () => {
  it('previews the diff without changing anyone', async () => {
    const before = await t.app
      .db('users')
      .where({ org_id: t.org.orgId })
      .orderBy('email')
      .select('id', 'profile_id', 'role', 'object_visibility', 'licenses');
    const res = await t.api('POST', '/api/v1/rules/reapply/preview');
    expect(res.statusCode, res.body).toBe(200);
    const ae = res.data.changes.find((c: any) => c.email === 'ae@example.com');
    expect(ae.rule.name).toBe('EMEA AEs');
    expect(ae.changes).toEqual([
      { field: 'profileId', from: t.org.defaultProfileId, to: h.salesProfileId },
      { field: 'visibility', from: 'full', to: 'team' },
      { field: 'licenses', from: ['foundation', 'engagement_dashboard'], to: ['foundation', 'forecasting'] },
    ]);
    expect(res.data.total).toBe(res.data.unchanged + res.data.changes.length);
    expect(
      await t.app
        .db('users')
        .where({ org_id: t.org.orgId })
        .orderBy('email')
        .select('id', 'profile_id', 'role', 'object_visibility', 'licenses'),
    ).toEqual(before);
  });

  it('refuses to apply without confirm: true', async () => {
    const res = await t.api('POST', '/api/v1/rules/reapply', { body: {} });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.message).toContain('confirm');
  });

  it('refuses an apply that would leave the org without an active admin', async () => {
    const preview = (await t.api('POST', '/api/v1/rules/reapply/preview')).data;
    expect(preview.warnings[0]).toContain('no active admin');
    const res = await t.api('POST', '/api/v1/rules/reapply', { body: { confirm: true } });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('no_admin_left');
  });

  it('refuses a stale preview saying what changed, then applies the confirmed diff exactly, recording the rule and auditing each user', async () => {
    await addRule('Admins stay admins', [{ field: 'job_title', operator: 'equals', value: 'Administrator' }], {
      profileId: t.org.defaultProfileId,
      role: 'admin',
      visibility: 'full',
      licenses: ['foundation'],
    });
    await t.app.db('users').where({ id: t.org.adminUserId }).update({ job_title: 'Administrator' });
    const preview = (await t.api('POST', '/api/v1/rules/reapply/preview')).data;
    expect(preview.warnings).toEqual([]);
    const count = (p: any, key: string) => p.summary.find((c: any) => c.key === key).count;
    expect(count(preview, 'users')).toBe(preview.changes.length);
    await h.user('late@example.com', 'Account Executive', h.emea);
    const users = () =>
      t.app
        .db('users')
        .where({ org_id: t.org.orgId })
        .orderBy('email')
        .select('id', 'profile_id', 'role', 'object_visibility', 'licenses', 'rule_id');
    const before = await users();
    const stale = await t.api('POST', '/api/v1/rules/reapply', {
      body: { confirm: true, previewToken: preview.previewToken },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.data.error.code).toBe('preview_stale');
    const n = preview.changes.length;
    // In the admin's words: each category that changed, before -> now; the late user changes profile and licenses.
    expect(stale.data.error.message).toContain(`users to change: ${n} -> ${n + 1}`);
    expect(stale.data.error.message).toContain(
      `users whose licenses change: ${count(preview, 'licenses')} -> ${count(preview, 'licenses') + 1}`,
    );
    expect(stale.data.error.message).not.toContain('users whose role changes');
    expect(stale.data.error.details.changed).toContainEqual({
      key: 'users',
      label: 'users to change',
      before: n,
      now: n + 1,
    });
    // Nothing was written, and the new preview came with the refusal.
    expect(await users()).toEqual(before);
    expect(await t.app.db('audit_log').where({ org_id: t.org.orgId, action: 'rules.reapply' })).toEqual([]);
    const fresh = (await t.api('POST', '/api/v1/rules/reapply/preview')).data;
    expect(stale.data.error.details.preview).toEqual(fresh);
    expect(fresh.changes.map((c: any) => c.email)).toContain('late@example.com');
    const res = await t.api('POST', '/api/v1/rules/reapply', {
      body: { confirm: true, previewToken: fresh.previewToken },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toEqual({ applied: fresh.changes.length, unchanged: fresh.unchanged, excluded: 0 });
    const ae = await t.app.db('users').where({ id: ids.ae }).first();
    expect(ae).toMatchObject({ profile_id: h.salesProfileId, object_visibility: 'team', rule_id: ids['EMEA AEs'] });
    expect(ae.licenses).toEqual(['foundation', 'forecasting']);
    const audits = await t.app.db('audit_log').where({ org_id: t.org.orgId, action: 'user.rules_reapplied' });
    expect(audits).toHaveLength(fresh.changes.length);
    expect((await t.api('POST', '/api/v1/rules/reapply/preview')).data.changes).toEqual([]);
  });

  it('leaves the users the admin excluded as they are and applies the rest of the reviewed diff', async () => {
    const kept = await h.user('kept@example.com', 'Account Executive', h.emea);
    const changed = await h.user('changed@example.com', 'Account Executive', h.emea);
    const preview = (await t.api('POST', '/api/v1/rules/reapply/preview')).data;
    expect(preview.changes.map((c: any) => c.email)).toEqual(['changed@example.com', 'kept@example.com']);
    const before = await t.app.db('users').where({ id: kept }).first();
    const res = await t.api('POST', '/api/v1/rules/reapply', {
      body: { confirm: true, previewToken: preview.previewToken, excludeUserIds: [kept] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toEqual({ applied: 1, unchanged: preview.unchanged, excluded: 1 });
    expect(await t.app.db('users').where({ id: kept }).first()).toMatchObject({
      profile_id: before.profile_id,
      object_visibility: before.object_visibility,
      rule_id: before.rule_id,
    });
    expect(await t.app.db('users').where({ id: changed }).first()).toMatchObject({ rule_id: ids['EMEA AEs'] });
    const left = (await t.api('POST', '/api/v1/rules/reapply/preview')).data.changes;
    expect(left.map((c: any) => c.email)).toEqual(['kept@example.com']);
  });

  it('will not take away the acting admin’s own Admin role: the preview says so, the apply refuses until they leave themselves out', async () => {
    const org = await t.createOrg('Two admins');
    const rule = await t.api('POST', '/api/v1/rules', {
      org,
      body: {
        name: 'Administrators',
        filters: [{ field: 'job_title', operator: 'equals', value: 'Administrator' }],
        assignments: { profileId: org.defaultProfileId, role: 'admin', visibility: 'full', licenses: ['foundation'] },
      },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const other = await t.api('POST', '/api/v1/users', {
      org,
      body: {
        email: 'grace@example.com',
        firstName: 'Grace',
        lastName: 'Hopper',
        role: 'admin',
        jobTitle: 'Administrator',
      },
    });
    expect(other.statusCode, other.body).toBe(201);
    // The catch-all rule makes the acting admin (no job title) a Member.
    const preview = (await t.api('POST', '/api/v1/rules/reapply/preview', { org })).data;
    expect(preview.warnings).toEqual([expect.stringContaining(`make you (${org.adminEmail})`)]);
    const refused = await t.api('POST', '/api/v1/rules/reapply', {
      org,
      body: { confirm: true, previewToken: preview.previewToken },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.data.error.code).toBe('cannot_demote_self');
    const leftOut = await t.api('POST', '/api/v1/rules/reapply', {
      org,
      body: { confirm: true, previewToken: preview.previewToken, excludeUserIds: [org.adminUserId] },
    });
    expect(leftOut.statusCode, leftOut.body).toBe(200);
    expect(await t.app.db('users').where({ id: org.adminUserId }).first('role')).toEqual({ role: 'admin' });
  });

  it('refuses to exclude what is not a user id', async () => {
    const res = await t.api('POST', '/api/v1/rules/reapply', {
      body: { confirm: true, excludeUserIds: ['ae@example.com'] },
    });
    expect(res.statusCode).toBe(400);
  });
});
