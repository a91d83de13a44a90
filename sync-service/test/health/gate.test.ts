import { afterEach, describe, expect, it } from 'vitest';
import { checkSyncGate, gateBlockedMessage } from '../../src/health/gate.js';
import { startFakeSalesforce, type FakeSalesforce } from '@roster/fake-salesforce';
import { ID, connectAsIntegrationUser, healthOrg, type OrgOptions } from './orgs.js';

let fake: FakeSalesforce;
afterEach(() => fake?.close());

async function connect(opts: OrgOptions = {}) {
  fake = await startFakeSalesforce({ org: healthOrg(opts) });
  const conn = await connectAsIntegrationUser(fake);
  fake.control.resetApiCalls();
  return conn;
}

describe('the sync gate', () => {
  it('lets a sync through when every required field is readable, in one API call', async () => {
    const conn = await connect();
    const gate = await checkSyncGate(conn, ['User', 'UserRole', 'Contact', 'Task']);
    expect(gate).toMatchObject({ blocked: false, missingRequired: [], missingRecommended: [], apiCalls: 1 });
    expect(fake.control.apiCalls()).toBe(1);
    expect(gate.selectList('User')).toEqual([
      'CreatedDate',
      'Id',
      'IsActive',
      'ProfileId',
      'SystemModstamp',
      'TimeZoneSidKey',
    ]);
    expect(gate.selectList('Task')).toEqual([
      'CreatedById',
      'OwnerId',
      'peopleai__Created_by_PeopleAI__c',
      'WhatId',
      'WhoId',
      'Priority',
      'Status',
      'TaskSubtype',
    ]);
  });

  it('blocks while a required field is unreadable, naming it, and lets the next run through once it is readable again', async () => {
    const conn = await connect();
    fake.control.revokeFieldPermission(ID.custom, 'Contact.Title');
    const blocked = await checkSyncGate(conn, ['Contact']);
    expect(blocked.blocked).toBe(true);
    expect(blocked.missingRequired).toEqual(['Contact.Title']);
    expect(blocked.selectList('Contact')).not.toContain('Title');
    expect(gateBlockedMessage(blocked)).toMatch(
      /cannot read this required field: Contact\.Title\. .*resumes by itself/,
    );

    fake.control.grantFieldPermission(ID.custom, 'Contact.Title');
    const resumed = await checkSyncGate(conn, ['Contact']);
    expect(resumed.blocked).toBe(false);
    expect(resumed.selectList('Contact')).toContain('Title');
  });

  it('names every missing required field, across objects', async () => {
    const conn = await connect();
    fake.control.revokeFieldPermission(ID.custom, 'Task.WhatId');
    fake.control.revokeFieldPermission(ID.custom, 'Event.peopleai__Created_by_PeopleAI__c');
    const gate = await checkSyncGate(conn, ['Task', 'Event']);
    expect(gate.missingRequired).toEqual(['Task.WhatId', 'Event.peopleai__Created_by_PeopleAI__c']);
    expect(gateBlockedMessage(gate)).toMatch(
      /these required fields: Task\.WhatId, Event\.peopleai__Created_by_PeopleAI__c/,
    );
  });

  it('only warns about an unreadable recommended field, and leaves it out of the SELECT list', async () => {
    const conn = await connect();
    fake.control.revokeFieldPermission(ID.custom, 'Account.Industry');
    const gate = await checkSyncGate(conn, ['Account']);
    expect(gate.blocked).toBe(false);
    expect(gate.missingRecommended).toEqual(['Account.Industry']);
    expect(gate.selectList('Account')).not.toContain('Industry');
    expect(gate.selectList('Account')).toContain('Website');
    // The SELECT list works as a query even with the field hidden.
    const rows = await conn.query(`SELECT ${gate.selectList('Account').join(', ')} FROM Account`);
    expect(rows.done).toBe(true);
  });

  it('blocks on the sync’s own required fields too', async () => {
    const conn = await connect();
    fake.control.revokeFieldPermission(ID.custom, 'Contact.Email');
    const gate = await checkSyncGate(conn, ['Contact'], {
      extra: { Contact: { required: ['Email'], recommended: ['Department'] } },
    });
    expect(gate.missingRequired).toEqual(['Contact.Email']);
    expect(gate.selectList('Contact')).toContain('Department');
  });

  it('blocks every required field of an object the user cannot see at all', async () => {
    // View All Data would show every object, so it goes too.
    const conn = await connect({
      permissions: { PermissionsViewAllData: false, PermissionsViewSetup: true },
      objectPermissions: { Lead: {} },
    });
    const gate = await checkSyncGate(conn, ['Lead']);
    expect(gate.missingRequired).toEqual(
      expect.arrayContaining(['Lead.Company', 'Lead.Name', 'Lead.Id', 'Lead.SystemModstamp']),
    );
    expect(gate.selectList('Lead')).toEqual([]);
  });

  it('reads CurrencyType only with multi-currency on', async () => {
    const off = await checkSyncGate(await connect({ multiCurrency: false }), ['CurrencyType']);
    expect(off).toMatchObject({ blocked: false, missingRequired: [] });
    expect(off.selectList('CurrencyType')).toEqual([]);
    await fake.close();
    const on = await checkSyncGate(await connect({ multiCurrency: true }), ['CurrencyType', 'DatedConversionRate']);
    expect(on.blocked).toBe(false);
    expect(on.selectList('CurrencyType')).toContain('IsoCode');
    expect(on.apiCalls).toBe(1);
  });
});
