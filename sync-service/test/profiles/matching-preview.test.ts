import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg, type FakeSalesforce, makeId } from '@roster/fake-salesforce';
import { build, type TestApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';

let t: TestApp;
let fake: FakeSalesforce;

const ACME = makeId('001', 1);
const GLOBEX = makeId('001', 2);
const accounts = [
  { Id: ACME, Name: 'Acme', Type: 'Partner', Industry: 'Banking' },
  { Id: GLOBEX, Name: 'Globex', Type: 'Customer', Industry: 'Retail' },
];
const contacts = [
  { Id: makeId('003', 1), FirstName: 'Ann', LastName: 'Lee', Email: 'ann@acme.example', AccountId: ACME },
  { Id: makeId('003', 2), FirstName: 'Bob', LastName: 'Ray', Email: 'bob@acme.example', AccountId: ACME },
  { Id: makeId('003', 3), FirstName: 'Cat', LastName: 'Vo', Email: 'cat@globex.example', AccountId: GLOBEX },
];
const leads = [
  {
    Id: makeId('00Q', 1),
    FirstName: 'Dan',
    LastName: 'Cho',
    Email: 'dan@initech.example',
    Company: 'Initech',
    Status: 'Open - Not Contacted',
    IsConverted: false,
  },
  {
    Id: makeId('00Q', 2),
    FirstName: 'Eve',
    LastName: 'Old',
    Email: 'eve@initech.example',
    Company: 'Initech',
    Status: 'Closed - Converted',
    IsConverted: true,
  },
];
const opp = (i: number, Name: string, AccountId: string, CloseDate: string, IsClosed = false) => ({
  Id: makeId('006', i),
  Name,
  AccountId,
  CloseDate,
  StageName: IsClosed ? 'Closed Won' : 'Prospecting',
  IsClosed,
  IsWon: IsClosed,
  Amount: i * 1000,
});
const opportunities = [
  opp(1, 'Acme Renewal', ACME, '2026-11-01'),
  opp(2, 'Acme Expansion', ACME, '2026-12-15'),
  opp(3, 'Acme Old Deal', ACME, '2025-01-01', true),
  opp(4, 'Globex Pilot', GLOBEX, '2026-10-01'),
];
// Cat (Globex) is on the Acme Renewal deal: it is found through her role, whatever its Account.
const contactRoles = [
  { Id: makeId('00K', 1), OpportunityId: makeId('006', 1), ContactId: makeId('003', 3), Role: 'Evaluator' },
];
const EVERYONE = [
  'Ann@Acme.example',
  'bob@acme.example',
  'cat@globex.example',
  'dan@initech.example',
  'eve@initech.example',
  'nobody@nowhere.example',
];

beforeAll(async () => {
  t = await build();
  const org = generateOrg({ users: 3, roles: 2, depth: 2 });
  fake = await connectFakeOrg(t, {
    ...org,
    records: {
      Account: accounts,
      Contact: contacts,
      Lead: leads,
      Opportunity: opportunities,
      OpportunityContactRole: contactRoles,
    },
  });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const newProfile = async (name: string) => {
  const res = await t.api('POST', '/api/v1/profiles', { body: { name } });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
};
const add = async (id: string, kind: 'eligibility-groups' | 'ranking-groups', body: unknown) => {
  const res = await t.api('POST', `/api/v1/profiles/${id}/${kind}`, { body });
  expect(res.statusCode, res.body).toBe(201);
  return res.data;
};
const preview = async (id: string, body: { participants: string[]; subject?: string }) => {
  const res = await t.api('POST', `/api/v1/profiles/${id}/matching-preview`, { body });
  expect(res.statusCode, res.body).toBe(200);
  return res.data;
};
const byName = (result: any, name: string) => result.candidates.find((c: any) => c.name === name);
const order = (result: any) => result.candidates.filter((c: any) => c.outcome === 'kept').map((c: any) => c.name);

describe('matching preview', () => {
  it("finds the participants' Contacts and Leads, their Accounts and open Opportunities, ranked by score", async () => {
    const id = await newProfile('Preview everything');
    const result = await preview(id, { participants: EVERYONE });
    expect(
      result.participants.map((p: any) => [p.email, p.records.map((r: any) => `${r.objectType} ${r.name}`)]),
    ).toEqual([
      ['ann@acme.example', ['Contact Ann Lee']],
      ['bob@acme.example', ['Contact Bob Ray']],
      ['cat@globex.example', ['Contact Cat Vo']],
      ['dan@initech.example', ['Lead Dan Cho']],
      ['eve@initech.example', []],
      ['nobody@nowhere.example', []],
    ]);
    expect(order(result)).toEqual(['Acme Renewal', 'Dan Cho', 'Acme', 'Acme Expansion', 'Globex', 'Globex Pilot']);
    expect(result.candidates.some((c: any) => c.name === 'Acme Old Deal')).toBe(false);
    expect(byName(result, 'Acme')).toMatchObject({
      outcome: 'kept',
      rank: 3,
      score: 10,
      signals: [
        { points: 5, reason: 'ann@acme.example is a Contact at Acme.' },
        { points: 5, reason: 'bob@acme.example is a Contact at Acme.' },
      ],
      why: ['Every Account is eligible (no eligibility group for Accounts).', 'Score 10 meets the minimum score of 0.'],
      placement: ['Score 10 orders the list, highest first.'],
    });
  });

  it('applies the eligibility groups and the minimum score, saying why each candidate was dropped', async () => {
    const id = await newProfile('Preview partners only');
    await add(id, 'eligibility-groups', {
      objectType: 'Account',
      name: 'Partners',
      conditions: [{ field: 'Type', operator: 'equals', value: 'Partner' }],
    });
    const leadGroup = await add(id, 'eligibility-groups', {
      objectType: 'Lead',
      conditions: [{ field: 'Status', operator: 'equals', value: 'Open - Not Contacted' }],
    });
    expect((await t.api('DELETE', `/api/v1/profiles/${id}/eligibility-groups/${leadGroup.id}`)).statusCode).toBe(204);
    expect((await t.api('PATCH', `/api/v1/profiles/${id}`, { body: { minScore: 6 } })).statusCode).toBe(200);

    const result = await preview(id, { participants: EVERYONE });
    expect(order(result)).toEqual(['Acme Renewal', 'Acme', 'Acme Expansion']);
    expect(byName(result, 'Acme').why[0]).toBe('Eligible through the Account group "Partners".');
    expect(byName(result, 'Globex')).toMatchObject({
      outcome: 'dropped',
      rank: null,
      why: [
        'Not eligible: group "Partners" needs Type equals "Partner" (it is "Customer").',
        'Score 5 is below the minimum score of 6.',
      ],
      placement: [],
    });
    expect(byName(result, 'Globex Pilot').why).toEqual([
      'Every Opportunity is eligible (no eligibility group for Opportunities).',
      'Score 5 is below the minimum score of 6.',
    ]);
    expect(byName(result, 'Dan Cho').why).toEqual(['No Lead is eligible: the last Lead group was removed.']);
  });

  it('ranks with the ranking groups in priority order and says what placed each record', async () => {
    const id = await newProfile('Preview ranking');
    await add(id, 'ranking-groups', {
      name: 'Soonest close',
      target: 'Opportunity',
      conditions: [{ kind: 'sort', field: 'CloseDate', direction: 'asc' }],
    });
    await add(id, 'ranking-groups', {
      name: 'Partners first',
      target: 'Account',
      conditions: [{ kind: 'select', field: 'Type', operator: 'equals', value: 'Partner' }],
    });
    const result = await preview(id, {
      participants: ['cat@globex.example', 'ann@acme.example', 'dan@initech.example'],
    });
    expect(order(result)).toEqual(['Globex Pilot', 'Acme Renewal', 'Acme Expansion', 'Acme', 'Globex', 'Dan Cho']);
    expect(byName(result, 'Globex Pilot').placement).toEqual([
      'Ranking group 1 is for Opportunities: they come before types with a later ranking group or none.',
      'Ranking group 1 "Soonest close" orders by CloseDate ascending (2026-10-01).',
      'Score 5 breaks remaining ties, highest first.',
    ]);
    expect(byName(result, 'Acme').placement[1]).toBe(
      'Ranking group 2 "Partners first" put it ahead: Type equals "Partner".',
    );
    expect(byName(result, 'Globex').placement[1]).toBe(
      'Ranking group 2 "Partners first" did not put it ahead: not Type equals "Partner".',
    );
    expect(byName(result, 'Dan Cho').placement[0]).toBe(
      'No ranking group is for Leads: they come after the types that have one.',
    );
  });

  it('scores a record higher when the subject names it', async () => {
    const id = await newProfile('Preview subject');
    const result = await preview(id, { participants: ['ann@acme.example'], subject: 'Kickoff: Acme Expansion' });
    expect(byName(result, 'Acme Expansion').signals).toContainEqual({
      points: 3,
      reason: 'The subject mentions "Acme Expansion".',
    });
    expect(order(result).indexOf('Acme Expansion')).toBeLessThan(order(result).indexOf('Acme Renewal'));
  });

  it('names the condition whose field left the org after the save, never the query', async () => {
    const id = await newProfile('Preview lost field');
    await add(id, 'eligibility-groups', {
      objectType: 'Account',
      name: 'Gold',
      conditions: [
        { field: 'Type', operator: 'equals', value: 'Partner' },
        { field: 'Industry', operator: 'equals', value: 'Banking' },
      ],
    });
    // Saving refuses unknown fields; one can still disappear from the org afterwards.
    await t.app
      .db('eligibility_groups')
      .where({ profile_id: id })
      .update({
        conditions: JSON.stringify([
          { field: 'Type', operator: 'equals', value: 'Partner' },
          { field: 'Tier__c', operator: 'equals', value: 'Gold' },
        ]),
      });
    for (const res of [
      await t.api('POST', `/api/v1/profiles/${id}/matching-preview`, { body: { participants: ['ann@acme.example'] } }),
      await t.api('GET', `/api/v1/profiles/${id}/eligibility-preview`),
    ]) {
      expect(res.statusCode).toBe(422);
      expect(res.data.error.message).toBe(
        'The Account group "Gold", condition 2: Account has no field "Tier__c" in this Salesforce org.',
      );
      expect(res.data.error.details.conditions).toEqual([
        {
          index: 1,
          field: 'Tier__c',
          problem: 'missing',
          message: 'Account has no field "Tier__c" in this Salesforce org.',
        },
      ]);
      expect(res.body).not.toMatch(/SELECT|FROM Account/);
    }
  });

  it("says when the profile's activity settings keep the match from Salesforce", async () => {
    const id = await newProfile('Preview toggles');
    const off = await preview(id, { participants: ['ann@acme.example'] });
    expect(off.notes).toEqual([
      'Intake Data is off: Roster does not collect activity for users on this profile.',
      'Push Data is off: matched activity is not synced to Salesforce.',
      'Email Sync is off: matched emails are not synced to Salesforce.',
    ]);
    const on = await t.api('PUT', `/api/v1/profiles/${id}/activity`, {
      body: { intakeData: true, pushData: true, emailSync: true },
    });
    expect(on.statusCode, on.body).toBe(200);
    expect((await preview(id, { participants: ['ann@acme.example'] })).notes).toEqual([]);
    const meeting = await t.api('POST', `/api/v1/profiles/${id}/matching-preview`, {
      body: { participants: ['ann@acme.example'], activity: 'meeting' },
    });
    expect(meeting.data.notes).toEqual(['Meeting Sync is off: matched meetings are not synced to Salesforce.']);
  });

  it('refuses participants that are not email addresses, and an unknown profile', async () => {
    const id = await newProfile('Preview bad input');
    const bad = await t.api('POST', `/api/v1/profiles/${id}/matching-preview`, {
      body: { participants: ['not an email'] },
    });
    expect(bad.statusCode).toBe(400);
    const none = await t.api('POST', `/api/v1/profiles/${id}/matching-preview`, { body: { participants: [] } });
    expect(none.statusCode).toBe(400);
    const missing = await t.api('POST', '/api/v1/profiles/00000000-0000-4000-8000-000000000000/matching-preview', {
      body: { participants: ['ann@acme.example'] },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.paths['/api/v1/profiles/{id}/matching-preview'].post).toBeDefined();
    expect(doc.paths['/api/v1/salesforce/objects/{objectType}/fields'].get).toBeDefined();
  });
});

describe('conditions checked against the org when saved', () => {
  it('refuses a condition on a field the object lacks, naming the condition by its number', async () => {
    const id = await newProfile('Save check missing');
    const res = await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
      body: {
        objectType: 'Account',
        conditions: [
          { field: 'Type', operator: 'equals', value: 'Partner' },
          { field: 'Tier__c', operator: 'equals', value: 'Gold' },
        ],
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.data.error).toMatchObject({
      code: 'unknown_field',
      message: 'This Account group, condition 2: Account has no field "Tier__c" in this Salesforce org.',
      details: { unknownFields: ['Tier__c'], conditions: [{ index: 1, field: 'Tier__c', problem: 'missing' }] },
    });
  });

  it("refuses an operator or value that does not fit the field's type", async () => {
    const id = await newProfile('Save check types');
    const contains = await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
      body: { objectType: 'Opportunity', conditions: [{ field: 'Amount', operator: 'contains', value: '5' }] },
    });
    expect(contains.statusCode).toBe(422);
    expect(contains.data.error.message).toBe(
      'This Opportunity group, condition 1: Amount (Amount): "contains" does not apply to a currency field.',
    );
    const text = await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
      body: {
        objectType: 'Opportunity',
        conditions: [{ field: 'CloseDate', operator: 'greater_than', value: 'soon' }],
      },
    });
    expect(text.statusCode).toBe(422);
    expect(text.data.error.details.conditions[0]).toMatchObject({ index: 0, field: 'CloseDate', problem: 'type' });
    const owner = await t.api('POST', `/api/v1/profiles/${id}/eligibility-groups`, {
      body: { objectType: 'Opportunity', conditions: [{ field: 'Owner.Name', operator: 'equals', value: 'Ann' }] },
    });
    expect(owner.statusCode, owner.body).toBe(201);
  });

  it('refuses a ranking condition on a field its record type lacks; for All, a field one type has is fine', async () => {
    const id = await newProfile('Save check ranking');
    const bad = await t.api('POST', `/api/v1/profiles/${id}/ranking-groups`, {
      body: { target: 'Account', conditions: [{ kind: 'sort', field: 'CloseDate', direction: 'asc' }] },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.data.error.message).toBe(
      'This ranking group, condition 1: Account has no field "CloseDate" in this Salesforce org.',
    );
    const all = await t.api('POST', `/api/v1/profiles/${id}/ranking-groups`, {
      body: { target: 'All', conditions: [{ kind: 'sort', field: 'CloseDate', direction: 'asc' }] },
    });
    expect(all.statusCode, all.body).toBe(201);
    const nowhere = await t.api('PATCH', `/api/v1/profiles/${id}/ranking-groups/${all.data.id}`, {
      body: { conditions: [{ kind: 'sort', field: 'Nope__c', direction: 'asc' }] },
    });
    expect(nowhere.statusCode).toBe(422);
  });
});

describe('org fields for the pickers', () => {
  it("lists an object's fields with labels, types and picklist values", async () => {
    const res = await t.api('GET', '/api/v1/salesforce/objects/Account/fields');
    expect(res.statusCode, res.body).toBe(200);
    const type = res.data.fields.find((f: any) => f.name === 'Type');
    expect(type).toMatchObject({ label: 'Type', type: 'picklist', filterable: true, sortable: true });
    expect(type.picklistValues).toContainEqual({ value: 'Partner', label: 'Partner' });
    const events = await t.api('GET', '/api/v1/salesforce/objects/Event/fields');
    expect(events.data.fields.map((f: any) => f.name)).toContain('Type');
    expect((await t.api('GET', '/api/v1/salesforce/objects/User/fields')).statusCode).toBe(400);
  });

  it('answers 409 when the org has no Salesforce connection yet', async () => {
    const other = await t.createOrg('Unconnected');
    const res = await t.api('GET', '/api/v1/salesforce/objects/Account/fields', { org: other });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('salesforce_not_connected');
  });
});

describe('notification fields checked against the org when saved', () => {
  const settings = (over: object) => ({
    meetingCategoryField: 'Type',
    creationRecipients: 'owner_only',
    completionRecipients: 'all_participants',
    followUpQuestions: [{ crmCategory: 'Meeting', question: 'What is the next step?', answerField: 'Description' }],
    ...over,
  });

  it('saves an Event category field and answer fields the org has', async () => {
    const id = await newProfile('Notify good');
    const res = await t.api('PUT', `/api/v1/profiles/${id}/notifications`, { body: settings({}) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.meetingCategoryField).toBe('Type');
  });

  it('refuses a category field Events lack and an answer field neither Events nor Tasks have, naming each', async () => {
    const id = await newProfile('Notify bad');
    const res = await t.api('PUT', `/api/v1/profiles/${id}/notifications`, {
      body: settings({
        meetingCategoryField: 'Category__c',
        followUpQuestions: [
          { crmCategory: 'Meeting', question: 'Next step?', answerField: 'Description' },
          { crmCategory: 'Meeting', question: 'Budget?', answerField: 'Budget__c' },
        ],
      }),
    });
    expect(res.statusCode).toBe(422);
    expect(res.data.error.message).toBe(
      'Meeting category field: Event has no field "Category__c" in this Salesforce org. Follow-up question 2: Event or Task has no field "Budget__c" in this Salesforce org.',
    );
    expect(res.data.error.details.fields.map((f: any) => f.setting)).toEqual([
      'meetingCategoryField',
      'followUpQuestions.1.answerField',
    ]);
    const kept = await t.api('GET', `/api/v1/profiles/${id}`);
    expect(kept.data.notifications.meetingCategoryField).toBeNull();
  });

  it('refuses an answer field that is read-only', async () => {
    const id = await newProfile('Notify read-only');
    const res = await t.api('PUT', `/api/v1/profiles/${id}/notifications`, {
      body: settings({
        followUpQuestions: [{ crmCategory: 'Meeting', question: 'When?', answerField: 'CreatedDate' }],
      }),
    });
    expect(res.statusCode).toBe(422);
    expect(res.data.error.message).toBe(
      'Follow-up question 1: Created Date (CreatedDate) is read-only on Event or Task.',
    );
  });
});
