import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg, startFakeSalesforce, type FakeSalesforce, makeId } from '@roster/fake-salesforce';
import { build, type TestApp } from '../helper.js';

let t: TestApp;
let fake: FakeSalesforce;

beforeAll(async () => {
  const org = generateOrg({ users: 3, roles: 2, depth: 2 });
  fake = await startFakeSalesforce({
    org: {
      ...org,
      customFields: { Account: [{ name: 'Regions__c', type: 'multipicklist' }] },
      records: {
        Account: [
          { Id: makeId('001', 1), Name: 'Acme', Regions__c: 'EMEA;APAC' },
          { Id: makeId('001', 2), Name: 'Globex', Regions__c: 'EMEA' },
        ],
        Opportunity: [{ Id: makeId('006', 1), Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-12-01' }],
      },
    },
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

/** A profile whose one eligibility group holds `conditions` (written as saved, whatever the save-time checks). */
async function profileWith(name: string, objectType: string, conditions: unknown[]) {
  const id = (await t.api('POST', '/api/v1/profiles', { body: { name } })).data.id as string;
  const group = await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
    body: { objectType, conditions: [{ field: 'Name', operator: 'equals', value: 'x' }] },
  });
  expect(group.statusCode, group.body).toBe(201);
  await t.app
    .db('eligibility_groups')
    .where({ id: group.data.id })
    .update({ conditions: JSON.stringify(conditions) });
  return id;
}

describe('an operator Salesforce refuses for the field type', () => {
  it('is a 422 naming the multi-select picklist condition, not a Salesforce failure', async () => {
    const id = await profileWith('Regions', 'Account', [
      { field: 'Name', operator: 'contains', value: 'c' },
      { field: 'Regions__c', operator: 'contains', value: 'EMEA' },
    ]);
    const res = await t.api('GET', `/api/v1/profiles/${id}/eligibility-preview`);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.error).toMatchObject({
      code: 'invalid_condition',
      details: { objectType: 'Account', field: 'Regions__c', operator: 'contains' },
    });
    expect(res.data.error.message).toContain('Regions__c contains "EMEA"');
    expect(res.data.error.message).toContain('invalid operator on multipicklist field');
  });

  it('is a 422 naming a checkbox compared with less than', async () => {
    const id = await profileWith('Won', 'Opportunity', [
      { field: 'StageName', operator: 'equals', value: 'Prospecting' },
      { field: 'IsWon', operator: 'less_than', value: true },
    ]);
    const res = await t.api('GET', `/api/v1/profiles/${id}/eligibility-preview`);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.error.details).toMatchObject({ field: 'IsWon', operator: 'less_than' });
    expect(res.data.error.message).toContain('IsWon is less than true');
  });

  it('still counts what Salesforce accepts on those fields (equals on the multi-select picklist)', async () => {
    const id = await profileWith('Exact regions', 'Account', [
      { field: 'Regions__c', operator: 'equals', value: 'EMEA' },
    ]);
    const res = await t.api('GET', `/api/v1/profiles/${id}/eligibility-preview`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.counts.find((c: any) => c.objectType === 'Account').eligible).toBe(1);
  });
});
