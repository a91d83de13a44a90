import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';
import { seedHierarchy } from './fixtures.js';

const t = setupApp();
let h: Awaited<ReturnType<typeof seedHierarchy>>;
const assignments = () => ({
  profileId: h.salesProfileId,
  role: 'member',
  visibility: 'team',
  licenses: ['foundation', 'forecasting'],
});
const newRule = async (name: string, filters: unknown[], extra: Record<string, unknown> = {}) => {
  const res = await t.api('POST', '/api/v1/rules', { body: { name, filters, assignments: assignments(), ...extra } });
  expect(res.statusCode, res.body).toBe(201);
  return res.data;
};
const names = async () => (await t.api('GET', '/api/v1/rules')).data.rules.map((r: any) => r.name);

describe('User Settings Rules', () => {
  it('starts with the catch-all: Default - Intake Off, Member, Full visibility, Foundation and Engagement Dashboard', async () => {
    h = await seedHierarchy(t);
    const res = await t.api('GET', '/api/v1/rules');
    expect(res.statusCode).toBe(200);
    expect(res.data.rules).toHaveLength(1);
    expect(res.data.rules[0]).toMatchObject({
      isCatchAll: true,
      valid: true,
      filters: [],
      assignments: {
        profileId: t.org.defaultProfileId,
        role: 'member',
        visibility: 'full',
        licenses: ['foundation', 'engagement_dashboard'],
      },
    });
  });

  it('adds rules above the catch-all, at the end or at a chosen position', async () => {
    await newRule('EMEA', [{ field: 'team_name', operator: 'is_under', value: h.emea }]);
    await newRule('AEs', [{ field: 'job_title', operator: 'contains', value: 'Account Executive' }]);
    await newRule('Managers of EMEA', [{ field: 'team_manager', operator: 'is', value: h.emeaManager }], {
      position: 0,
    });
    expect(await names()).toEqual(['Managers of EMEA', 'EMEA', 'AEs', 'Catch-all']);
  });

  it('refuses a duplicate rule name in any case', async () => {
    const res = await t.api('POST', '/api/v1/rules', {
      body: {
        name: 'emea',
        filters: [{ field: 'job_title', operator: 'equals', value: 'x' }],
        assignments: assignments(),
      },
    });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('duplicate_name');
  });

  it.each([
    [
      'Contains with two values',
      { field: 'job_title', operator: 'contains', value: ['Sales', 'Account'] },
      'exactly one value per clause',
    ],
    ['an unknown field', { field: 'department', operator: 'is', value: 'x' }, 'field'],
    [
      'an operator the field does not have',
      { field: 'team_manager', operator: 'is_under', value: '00000000-0000-4000-8000-000000000000' },
      'operator',
    ],
    ['an empty job title', { field: 'job_title', operator: 'starts_with', value: '' }, 'value'],
  ])('refuses a filter with %s, naming the problem', async (_label, filter, expected) => {
    const res = await t.api('POST', '/api/v1/rules', {
      body: { name: `Bad ${_label}`, filters: [filter], assignments: assignments() },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.message).toContain(expected);
  });

  it('refuses a rule without filters, a profile or team that does not exist, and unknown licenses', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const none = await t.api('POST', '/api/v1/rules', {
      body: { name: 'Everyone', filters: [], assignments: assignments() },
    });
    expect(none.statusCode).toBe(400);
    const profile = await t.api('POST', '/api/v1/rules', {
      body: {
        name: 'P',
        filters: [{ field: 'job_title', operator: 'equals', value: 'x' }],
        assignments: { ...assignments(), profileId: missing },
      },
    });
    expect(profile.statusCode).toBe(400);
    expect(profile.data.error.code).toBe('unknown_profile');
    const team = await t.api('POST', '/api/v1/rules', {
      body: {
        name: 'T',
        filters: [{ field: 'team_name', operator: 'is', value: missing }],
        assignments: assignments(),
      },
    });
    expect(team.data.error.code).toBe('unknown_team');
    const manager = await t.api('POST', '/api/v1/rules', {
      body: {
        name: 'M',
        filters: [{ field: 'team_manager', operator: 'is', value: missing }],
        assignments: assignments(),
      },
    });
    expect(manager.data.error.code).toBe('unknown_user');
    const license = await t.api('POST', '/api/v1/rules', {
      body: {
        name: 'L',
        filters: [{ field: 'job_title', operator: 'equals', value: 'x' }],
        assignments: { ...assignments(), licenses: ['platinum'] },
      },
    });
    expect(license.statusCode).toBe(400);
    expect(await names()).toEqual(['Managers of EMEA', 'EMEA', 'AEs', 'Catch-all']);
  });

  it('reorders atomically and refuses an order that moves the catch-all or leaves a rule out', async () => {
    const rules = (await t.api('GET', '/api/v1/rules')).data.rules;
    const [m, e, a, c] = rules.map((r: any) => r.id);
    const moved = await t.api('PUT', '/api/v1/rules/order', { body: { ids: [a, c, e, m] } });
    expect(moved.statusCode).toBe(400);
    expect(moved.data.error.code).toBe('catch_all_must_be_last');
    const partial = await t.api('PUT', '/api/v1/rules/order', { body: { ids: [a, e] } });
    expect(partial.statusCode).toBe(400);
    expect(partial.data.error.code).toBe('order_mismatch');
    expect(await names()).toEqual(['Managers of EMEA', 'EMEA', 'AEs', 'Catch-all']);
    const ok = await t.api('PUT', '/api/v1/rules/order', { body: { ids: [a, e, m] } });
    expect(ok.statusCode).toBe(200);
    expect(ok.data.rules.map((r: any) => r.name)).toEqual(['AEs', 'EMEA', 'Managers of EMEA', 'Catch-all']);
    const withCatchAll = await t.api('PUT', '/api/v1/rules/order', { body: { ids: [m, e, a, c] } });
    expect(withCatchAll.statusCode).toBe(200);
    expect(await names()).toEqual(['Managers of EMEA', 'EMEA', 'AEs', 'Catch-all']);
  });

  it('edits a rule and audits the change', async () => {
    const rule = (await t.api('GET', '/api/v1/rules')).data.rules.find((r: any) => r.name === 'AEs');
    const res = await t.api('PATCH', `/api/v1/rules/${rule.id}`, {
      body: { description: 'Closers', filters: [{ field: 'job_title', operator: 'starts_with', value: 'AE' }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({
      description: 'Closers',
      filters: [{ field: 'job_title', operator: 'starts_with', value: 'AE' }],
    });
    const audit = await t.app.db('audit_log').where({ action: 'rule.update', target_id: rule.id }).first();
    expect(audit.before.filters[0].operator).toBe('contains');
  });

  it('lets the catch-all be edited but never given filters, moved or deleted', async () => {
    const catchAll = (await t.api('GET', '/api/v1/rules')).data.rules.find((r: any) => r.isCatchAll);
    const edit = await t.api('PATCH', `/api/v1/rules/${catchAll.id}`, {
      body: { assignments: { ...catchAll.assignments, visibility: 'individual' } },
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.data.assignments.visibility).toBe('individual');
    const filters = await t.api('PATCH', `/api/v1/rules/${catchAll.id}`, {
      body: { filters: [{ field: 'job_title', operator: 'equals', value: 'x' }] },
    });
    expect(filters.statusCode).toBe(400);
    expect(filters.data.error.code).toBe('catch_all_filters');
    const del = await t.api('DELETE', `/api/v1/rules/${catchAll.id}`);
    expect(del.statusCode).toBe(409);
    expect(del.data.error.code).toBe('catch_all_undeletable');
  });

  it('flags a rule whose profile or team was deleted, and the evaluator refuses naming it', async () => {
    const [doomed] = await t.app
      .db('configuration_profiles')
      .insert({ org_id: t.org.orgId, name: 'Doomed' })
      .returning('id');
    const [gone] = await t.app
      .db('teams')
      .insert({ org_id: t.org.orgId, name: 'Gone team', kind: 'hierarchy', parent_id: t.org.topTeamId })
      .returning('id');
    const rule = await newRule('Fragile', [{ field: 'team_name', operator: 'is', value: gone.id }], {
      assignments: { ...assignments(), profileId: doomed.id },
    });
    expect(rule.valid).toBe(true);
    // Through the API the profile cannot go while the rule assigns it; removed underneath, the rule is flagged.
    expect((await t.api('DELETE', `/api/v1/profiles/${doomed.id}`)).statusCode).toBe(409);
    await t.app.db('configuration_profiles').where({ id: doomed.id }).delete();
    await t.app.db('teams').where({ id: gone.id }).delete();
    const list = (await t.api('GET', '/api/v1/rules')).data;
    const flagged = list.rules.find((r: any) => r.id === rule.id);
    expect(list.invalidCount).toBe(1);
    expect(flagged.valid).toBe(false);
    expect(flagged.problems.map((p: any) => p.code)).toEqual(['missing_profile', 'missing_team']);
    const sim = await t.api('POST', '/api/v1/rules/simulate', { body: { userId: h.emeaManager } });
    expect(sim.statusCode).toBe(422);
    expect(sim.data.error.code).toBe('invalid_rule');
    expect(sim.data.error.message).toContain('"Fragile"');
    expect(sim.data.error.details.ruleId).toBe(rule.id);
  });

  it('deletes an ordinary rule and closes the gap', async () => {
    const rule = (await t.api('GET', '/api/v1/rules')).data.rules.find((r: any) => r.name === 'Fragile');
    expect((await t.api('DELETE', `/api/v1/rules/${rule.id}`)).statusCode).toBe(204);
    const rules = (await t.api('GET', '/api/v1/rules')).data.rules;
    expect(rules.map((r: any) => r.position)).toEqual([0, 1, 2, 3]);
    expect(rules.every((r: any) => r.valid)).toBe(true);
  });

  it("keeps another org's rules out of reach", async () => {
    const other = await t.createOrg('Other rules');
    const mine = (await t.api('GET', '/api/v1/rules')).data.rules[0];
    expect((await t.api('PATCH', `/api/v1/rules/${mine.id}`, { org: other, body: { name: 'x' } })).statusCode).toBe(
      404,
    );
    expect((await t.api('GET', '/api/v1/rules', { org: other })).data.rules).toHaveLength(1);
  });
});
