import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg, startFakeSalesforce, type FakeSalesforce, makeId } from '@roster/fake-salesforce';
import { build, type TestApp } from '../helper.js';

let t: TestApp;
let fake: FakeSalesforce;

const accounts = [
  { Name: "O'Brien Partners", Type: 'Partner', Industry: 'Retail' },
  { Name: 'Acme', Type: 'Partner', Industry: 'Banking' },
  { Name: 'Globex', Type: 'Customer', Industry: 'Retail' },
  { Name: 'Initech \\ Sons', Type: 'Prospect', Industry: null },
].map((a, i) => ({ Id: makeId('001', i + 1), ...a }));
const opportunities = [1, 2, 3].map((i) => ({
  Id: makeId('006', i),
  Name: `Deal ${i}`,
  StageName: i === 3 ? 'Closed Lost' : 'Prospecting',
  CloseDate: '2026-12-01',
  Amount: i * 1000,
}));
const leads = [1, 2].map((i) => ({ Id: makeId('00Q', i), LastName: `Lead ${i}`, Company: 'X', Status: 'Open' }));

beforeAll(async () => {
  const org = generateOrg({ users: 3, roles: 2, depth: 2 });
  fake = await startFakeSalesforce({
    org: { ...org, records: { Account: accounts, Opportunity: opportunities, Lead: leads } },
  });
  t = await build();
  const { clientId, username, privateKeyPem } = fake.credentials;
  const saved = await t.api('PUT', '/api/v1/salesforce/connection', {
    body: { authKind: 'jwt', loginUrl: fake.url, clientId, username, privateKey: privateKeyPem },
  });
  expect(saved.statusCode, saved.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function profileWith(name: string, groups: { objectType: string; conditions: unknown[] }[]) {
  const id = (await t.api('POST', '/api/v1/profiles', { body: { name } })).data.id as string;
  for (const g of groups)
    expect((await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, { body: g })).statusCode).toBe(201);
  return id;
}
const preview = async (id: string) => {
  const res = await t.api('GET', `/api/v1/profiles/${id}/eligibility-preview`);
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries(res.data.counts.map((c: any) => [c.objectType, c]));
};

describe('eligibility preview against the org', () => {
  it('counts every record of a type with no groups, and the records any group admits', async () => {
    const id = await profileWith('Preview partners', [
      {
        objectType: 'Account',
        conditions: [
          { field: 'Type', operator: 'equals', value: 'Partner' },
          { field: 'Industry', operator: 'equals', value: 'Retail' },
        ],
      },
      { objectType: 'Account', conditions: [{ field: 'Industry', operator: 'is_empty' }] },
      {
        objectType: 'Opportunity',
        conditions: [
          { field: 'StageName', operator: 'not_equals', value: 'Closed Lost' },
          { field: 'Amount', operator: 'greater_than', value: 1500 },
        ],
      },
    ]);
    const counts = await preview(id);
    expect(counts.Account).toMatchObject({ state: 'filtered', eligible: 2 });
    expect(counts.Opportunity).toMatchObject({ state: 'filtered', eligible: 1 });
    expect(counts.Lead).toEqual({ objectType: 'Lead', state: 'all', eligible: 2, soql: 'SELECT COUNT() FROM Lead' });
  });

  it('counts nothing, without asking Salesforce, for a type whose last group was removed', async () => {
    const id = await profileWith('Preview none', [
      { objectType: 'Lead', conditions: [{ field: 'Status', operator: 'equals', value: 'Open' }] },
    ]);
    const group = (await t.api('GET', `/api/v1/profiles/${id}`)).data.eligibility.Lead.groups[0];
    await t.api('DELETE', `/api/v1/profiles/${id}/eligibility-groups/${group.id}`);
    expect((await preview(id)).Lead).toEqual({ objectType: 'Lead', state: 'none', eligible: 0, soql: null });
  });

  it('matches values with quotes and backslashes literally, and hostile values match nothing', async () => {
    const quoted = await profileWith('Preview quotes', [
      { objectType: 'Account', conditions: [{ field: 'Name', operator: 'equals', value: "O'Brien Partners" }] },
    ]);
    expect((await preview(quoted)).Account.eligible).toBe(1);
    const backslash = await profileWith('Preview backslash', [
      { objectType: 'Account', conditions: [{ field: 'Name', operator: 'contains', value: 'h \\ S' }] },
    ]);
    expect((await preview(backslash)).Account.eligible).toBe(1);
    const hostile = await profileWith('Preview injection', [
      { objectType: 'Account', conditions: [{ field: 'Name', operator: 'equals', value: "x' OR Name != 'x" }] },
      {
        objectType: 'Account',
        conditions: [{ field: 'Name', operator: 'contains', value: "%' OR Id != null OR Name LIKE '%" }],
      },
      {
        objectType: 'Account',
        conditions: [{ field: 'Type', operator: 'in', value: ["Partner') OR (Id != null", '\\'] }],
      },
    ]);
    expect((await preview(hostile)).Account.eligible).toBe(0);
  });

  it('reports a field the org no longer has (saved when it existed) as 422 naming its condition, not the query', async () => {
    const id = await profileWith('Preview bad field', [
      { objectType: 'Account', conditions: [{ field: 'Industry', operator: 'equals', value: 'Gold' }] },
    ]);
    // Saving refuses unknown fields; one can still disappear from the org afterwards.
    await t.app
      .db('eligibility_groups')
      .where({ profile_id: id })
      .update({ conditions: JSON.stringify([{ field: 'Tier__c', operator: 'equals', value: 'Gold' }]) });
    const res = await t.api('GET', `/api/v1/profiles/${id}/eligibility-preview`);
    expect(res.statusCode).toBe(422);
    expect(res.data.error.code).toBe('unknown_field');
    expect(res.data.error.details.conditions).toMatchObject([{ index: 0, field: 'Tier__c', problem: 'missing' }]);
    expect(res.body).not.toContain('SELECT');
  });
});

it('refuses an eligibility condition on a field the object does not have when the group is saved, naming it', async () => {
  const id = (await t.api('POST', '/api/v1/profiles', { body: { name: 'Field check' } })).data.id;
  const bad = await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
    body: {
      objectType: 'Account',
      conditions: [{ field: 'Tier__c', operator: 'equals', value: 'Gold' }],
    },
  });
  expect(bad.statusCode, bad.body).toBe(422);
  expect(bad.data.error).toMatchObject({ code: 'unknown_field', details: { unknownFields: ['Tier__c'] } });
  const good = await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
    body: { objectType: 'Account', conditions: [{ field: 'Type', operator: 'equals', value: 'Partner' }] },
  });
  expect(good.statusCode, good.body).toBe(201);
  const edit = await t.api('PATCH', `/api/v1/profiles/${id}/eligibility-groups/${good.data.id}`, {
    body: { conditions: [{ field: 'Nope', operator: 'equals', value: 'x' }] },
  });
  expect(edit.statusCode).toBe(422);
});
