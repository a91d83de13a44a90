import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();

async function newProfile(name: string) {
  const res = await t.api('POST', '/api/v1/profiles', { body: { name } });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}
const partner = { field: 'Type', operator: 'equals', value: 'Partner' };

describe('eligibility filter groups', () => {
  it('moves a type from all eligible to filtered when its first group is added', async () => {
    const id = await newProfile('Elig add');
    const res = await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
      body: { objectType: 'Account', name: 'Partners', conditions: [partner] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.data).toMatchObject({ objectType: 'Account', name: 'Partners', position: 0, conditions: [partner] });
    const profile = (await t.api('GET', `/api/v1/profiles/${id}`)).data;
    expect(profile.eligibility.Account.state).toBe('filtered');
    expect(profile.eligibility.Opportunity.state).toBe('all');
  });

  it('leaves none eligible when the last group of a type is removed, and all eligible again after a reset', async () => {
    const id = await newProfile('Elig none');
    const a = (
      await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
        body: { objectType: 'Lead', conditions: [partner] },
      })
    ).data;
    const b = (
      await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
        body: { objectType: 'Lead', conditions: [{ field: 'Rating', operator: 'is_empty' }] },
      })
    ).data;
    expect(b.position).toBe(1);
    expect((await t.api('DELETE', `/api/v1/profiles/${id}/eligibility-groups/${a.id}`)).statusCode).toBe(204);
    let lead = (await t.api('GET', `/api/v1/profiles/${id}`)).data.eligibility.Lead;
    expect(lead.state).toBe('filtered');
    expect(lead.groups.map((g: any) => [g.id, g.position])).toEqual([[b.id, 0]]);
    await t.api('DELETE', `/api/v1/profiles/${id}/eligibility-groups/${b.id}`);
    lead = (await t.api('GET', `/api/v1/profiles/${id}`)).data.eligibility.Lead;
    expect(lead).toEqual({ state: 'none', groups: [] });
    const reset = await t.api('POST', `/api/v1/profiles/${id}/eligibility/Lead/reset`);
    expect(reset.statusCode).toBe(200);
    expect(reset.data).toEqual({ objectType: 'Lead', state: 'all', groups: [] });
  });

  it('reset removes the groups of that type only', async () => {
    const id = await newProfile('Elig reset');
    await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
      body: { objectType: 'Opportunity', conditions: [partner] },
    });
    await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
      body: { objectType: 'Account', conditions: [partner] },
    });
    await t.api('POST', `/api/v1/profiles/${id}/eligibility/Opportunity/reset`);
    const e = (await t.api('GET', `/api/v1/profiles/${id}`)).data.eligibility;
    expect(e.Opportunity).toEqual({ state: 'all', groups: [] });
    expect(e.Account.state).toBe('filtered');
    expect(e.Account.groups).toHaveLength(1);
  });

  it('edits a group in place', async () => {
    const id = await newProfile('Elig edit');
    const g = (
      await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
        body: { objectType: 'Account', conditions: [partner] },
      })
    ).data;
    const res = await t.api('PATCH', `/api/v1/profiles/${id}/eligibility-groups/${g.id}`, {
      body: {
        name: 'Big accounts',
        conditions: [{ field: 'AnnualRevenue', operator: 'greater_than', value: 1000000 }],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({
      id: g.id,
      name: 'Big accounts',
      conditions: [{ field: 'AnnualRevenue', operator: 'greater_than', value: 1000000 }],
    });
  });

  it.each([
    ['an unknown field syntax', { field: "Type' OR Name != '", operator: 'equals', value: 'x' }, 'field'],
    ['a SOQL keyword as field', { field: 'WHERE', operator: 'equals', value: 'x' }, 'field'],
    ['Contains with two values', { field: 'Name', operator: 'contains', value: ['a', 'b'] }, 'exactly one value'],
    ['in without a list', { field: 'Type', operator: 'in', value: 'Partner' }, 'list of values'],
    ['is_empty with a value', { field: 'Type', operator: 'is_empty', value: 'x' }, 'takes no value'],
    ['an unknown operator', { field: 'Type', operator: 'resembles', value: 'x' }, 'operator'],
    ['a control character', { field: 'Type', operator: 'equals', value: 'a\u0000b' }, 'NUL character'],
  ])('refuses a condition with %s, naming the problem', async (_label, condition, expected) => {
    const id = await newProfile(`Bad ${_label}`);
    const res = await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
      body: { objectType: 'Account', conditions: [condition] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.message).toContain(expected);
    expect((await t.api('GET', `/api/v1/profiles/${id}`)).data.eligibility.Account.state).toBe('all');
  });

  it('refuses an object type other than Opportunity, Account or Lead', async () => {
    const id = await newProfile('Bad type');
    const res = await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
      body: { objectType: 'Contact', conditions: [partner] },
    });
    expect(res.statusCode).toBe(400);
    expect((await t.api('POST', `/api/v1/profiles/${id}/eligibility/Contact/reset`)).statusCode).toBe(400);
  });

  it('answers 404 for a group of another profile', async () => {
    const a = await newProfile('Owner A');
    const b = await newProfile('Owner B');
    const g = (
      await t.api('POST', `/api/v1/profiles/${a}/eligibility-groups`, {
        body: { objectType: 'Account', conditions: [partner] },
      })
    ).data;
    expect((await t.api('DELETE', `/api/v1/profiles/${b}/eligibility-groups/${g.id}`)).statusCode).toBe(404);
  });
});

describe('ranking groups', () => {
  const sortGroup = (field: string) => ({
    target: 'Opportunity',
    name: field,
    conditions: [{ kind: 'sort', field, direction: 'desc' }],
  });

  it('adds sort-based and select-based groups in priority order', async () => {
    const id = await newProfile('Rank add');
    const sort = await t.api('POST', `/api/v1/profiles/${id}/ranking-groups`, { body: sortGroup('CloseDate') });
    expect(sort.statusCode).toBe(201);
    expect(sort.data).toMatchObject({ kind: 'sort', position: 0, target: 'Opportunity' });
    const select = await t.api('POST', `/api/v1/profiles/${id}/ranking-groups`, {
      body: {
        target: 'All',
        conditions: [
          { kind: 'select', field: 'Type', operator: 'equals', value: 'Customer' },
          { kind: 'select', field: 'IsClosed', operator: 'equals', value: false },
        ],
      },
    });
    expect(select.data).toMatchObject({ kind: 'select', position: 1, target: 'All' });
  });

  it('refuses mixing sort-based and select-based conditions in one group', async () => {
    const id = await newProfile('Rank mixed');
    const res = await t.api('POST', `/api/v1/profiles/${id}/ranking-groups`, {
      body: {
        target: 'Account',
        conditions: [
          { kind: 'sort', field: 'CreatedDate', direction: 'asc' },
          { kind: 'select', field: 'Type', operator: 'equals', value: 'Customer' },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('mixed_ranking_kinds');
    expect((await t.api('GET', `/api/v1/profiles/${id}`)).data.rankingGroups).toEqual([]);
  });

  it('refuses turning a sort group into a mixed one by an edit', async () => {
    const id = await newProfile('Rank mixed edit');
    const g = (await t.api('POST', `/api/v1/profiles/${id}/ranking-groups`, { body: sortGroup('Amount') })).data;
    const res = await t.api('PATCH', `/api/v1/profiles/${id}/ranking-groups/${g.id}`, {
      body: {
        conditions: [
          { kind: 'select', field: 'Type', operator: 'equals', value: 'New' },
          { kind: 'sort', field: 'Amount', direction: 'asc' },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('mixed_ranking_kinds');
    const ok = await t.api('PATCH', `/api/v1/profiles/${id}/ranking-groups/${g.id}`, {
      body: {
        target: 'Lead',
        conditions: [{ kind: 'select', field: 'Status', operator: 'in', value: ['Open', 'Working'] }],
      },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.data).toMatchObject({ kind: 'select', target: 'Lead' });
  });

  it('reorders all groups at once and refuses an order that leaves one out', async () => {
    const id = await newProfile('Rank order');
    const ids: string[] = [];
    for (const f of ['A__c', 'B__c', 'C__c'])
      ids.push((await t.api('POST', `/api/v1/profiles/${id}/ranking-groups`, { body: sortGroup(f) })).data.id);
    const reversed = [...ids].reverse();
    const res = await t.api('PUT', `/api/v1/profiles/${id}/ranking-groups/order`, { body: { ids: reversed } });
    expect(res.statusCode).toBe(200);
    expect(res.data.map((g: any) => g.id)).toEqual(reversed);
    const partial = await t.api('PUT', `/api/v1/profiles/${id}/ranking-groups/order`, {
      body: { ids: reversed.slice(0, 2) },
    });
    expect(partial.statusCode).toBe(400);
    expect(partial.data.error.code).toBe('order_mismatch');
    const stored = (await t.api('GET', `/api/v1/profiles/${id}`)).data.rankingGroups;
    expect(stored.map((g: any) => g.id)).toEqual(reversed);
    expect(stored.map((g: any) => g.position)).toEqual([0, 1, 2]);
  });

  it('closes the gap when a group is deleted', async () => {
    const id = await newProfile('Rank delete');
    const a = (await t.api('POST', `/api/v1/profiles/${id}/ranking-groups`, { body: sortGroup('A__c') })).data;
    const b = (await t.api('POST', `/api/v1/profiles/${id}/ranking-groups`, { body: sortGroup('B__c') })).data;
    expect((await t.api('DELETE', `/api/v1/profiles/${id}/ranking-groups/${a.id}`)).statusCode).toBe(204);
    const stored = (await t.api('GET', `/api/v1/profiles/${id}`)).data.rankingGroups;
    expect(stored.map((g: any) => [g.id, g.position])).toEqual([[b.id, 0]]);
  });

  it('audits every change to a profile', async () => {
    const id = await newProfile('Rank audit');
    await t.api('POST', `/api/v1/profiles/${id}/ranking-groups`, { body: sortGroup('A__c') });
    const actions = await t.app.db('audit_log').where({ target_id: id }).orderBy('id').pluck('action');
    expect(actions).toEqual(['profile.create', 'profile.ranking_group.create']);
  });
});

describe('eligibility preview without Salesforce', () => {
  it('answers 409 salesforce_not_connected when the org has no Salesforce connection', async () => {
    const id = await newProfile('Preview');
    const res = await t.api('GET', `/api/v1/profiles/${id}/eligibility-preview`);
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('salesforce_not_connected');
  });
});
