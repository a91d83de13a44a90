import type jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg, generateOrg, startFakeSalesforce, type FakeSalesforce } from './index.js';
import { connect, VERSION } from './harness.js';

let big: FakeSalesforce;
let demo: FakeSalesforce;
let bigConn: jsforce.Connection;
let conn: jsforce.Connection;
beforeAll(async () => {
  [big, demo] = await Promise.all([
    startFakeSalesforce({ org: generateOrg({ users: 4500, roles: 40, depth: 4, seed: 7 }) }),
    startFakeSalesforce({ org: demoOrg }),
  ]);
  [bigConn, conn] = await Promise.all([connect(big), connect(demo)]);
});
afterAll(() => Promise.all([big.close(), demo.close()]));

type Page = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Record<string, unknown>[] };
const ids = (page: Page) => page.records.map((r) => r.Id as string);

describe('pagination', () => {
  it('pages 4,500 users in pages of 2,000 through nextRecordsUrl, and jsforce fetches them all when told to', async () => {
    big.control.resetApiCalls();
    const first = await bigConn.request<Page>(
      `/services/data/v${VERSION}/query?q=${encodeURIComponent('SELECT Id FROM User')}`,
    );
    expect(first).toMatchObject({ totalSize: 4500, done: false });
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(new RegExp(`^/services/data/v${VERSION}/query/01g\\w{15}-2000$`));
    const second = await bigConn.request<Page>(first.nextRecordsUrl!);
    const third = await bigConn.request<Page>(second.nextRecordsUrl!);
    expect([second.records.length, third.records.length, third.done, third.nextRecordsUrl]).toEqual([
      2000,
      500,
      true,
      undefined,
    ]);
    expect(new Set([...ids(first), ...ids(second), ...ids(third)]).size).toBe(4500);

    const all = await bigConn.query('SELECT Id, Name FROM User', { autoFetch: true, maxFetch: 1_000_000 });
    expect(all.records).toHaveLength(4500);
    expect(big.control.apiCallsByRoute()).toEqual({ query: 2, queryMore: 4 });
  });

  it('honours the Sforce-Query-Options batch size, clamped to 200..2000', async () => {
    const q = `/services/data/v${VERSION}/query?q=${encodeURIComponent('SELECT Id FROM User ORDER BY Id')}`;
    const page = await bigConn.request<Page>({
      method: 'GET',
      url: q,
      headers: { 'Sforce-Query-Options': 'batchSize=500' },
    });
    expect(page.records).toHaveLength(500);
    expect(page.nextRecordsUrl).toMatch(/-500$/);
    const tiny = await bigConn.request<Page>({
      method: 'GET',
      url: q,
      headers: { 'Sforce-Query-Options': 'batchSize=10' },
    });
    expect(tiny.records).toHaveLength(200);
    const streamed = await bigConn.query('SELECT Id FROM User', {
      autoFetch: true,
      maxFetch: 10_000,
      headers: { 'Sforce-Query-Options': 'batchSize=1000' },
    });
    expect(streamed.records).toHaveLength(4500);
  });

  it('answers INVALID_QUERY_LOCATOR for an unknown or released cursor', async () => {
    const first = await bigConn.request<Page>(
      `/services/data/v${VERSION}/query?q=${encodeURIComponent('SELECT Id FROM User')}`,
    );
    big.control.expireQueryLocators();
    await expect(bigConn.request(first.nextRecordsUrl!)).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_LOCATOR',
      message: 'invalid query locator',
    });
    await expect(bigConn.request(`/services/data/v${VERSION}/query/01gZZZZZZZZZZZZZZZ-2000`)).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_LOCATOR',
    });
  });
});

describe('SOQL', () => {
  const query = async (soql: string) =>
    (await conn.query(soql, { autoFetch: true, maxFetch: 100_000 })).records as Record<string, any>[];

  it('nests parent relationships like the REST API, with attributes and nulls for missing parents', async () => {
    const [u] = await query(
      "SELECT Id, Name, UserRole.Name, Profile.UserLicense.Name, Manager.Name FROM User WHERE Username = 'pat.contractor@acme-robotics.example.com'",
    );
    expect(u).toEqual({
      attributes: { type: 'User', url: `/services/data/v${VERSION}/sobjects/User/${u!.Id}` },
      Id: u!.Id,
      Name: 'Pat Contractor',
      UserRole: null,
      Profile: {
        attributes: { type: 'Profile', url: expect.stringMatching(/\/sobjects\/Profile\/00e/) },
        UserLicense: { attributes: expect.objectContaining({ type: 'UserLicense' }), Name: 'Salesforce' },
      },
      Manager: { attributes: expect.objectContaining({ type: 'User' }), Name: 'Riya Kapoor' },
    });
  });

  it('filters with comparison, IN, NOT IN, LIKE, NULL, booleans, datetimes, AND, OR and NOT', async () => {
    const count = async (where: string) => (await query(`SELECT Id FROM User WHERE ${where}`)).length;
    expect(await count('IsActive = false')).toBe(3);
    expect(await count('UserRoleId = null')).toBe(2);
    expect(await count("UserType != 'Standard'")).toBe(2);
    expect(await count("UserRole.Name IN ('CEO', 'VP Sales')")).toBe(4);
    expect(await count("UserRole.Name NOT IN ('Account Executive West', 'Account Executive East')")).toBe(31);
    expect(await count("Name LIKE 'o%'")).toBe(2);
    expect(await count("(Title LIKE '%Executive%' AND IsActive = true) OR NOT (UserType = 'Standard')")).toBe(29);
    expect(await count('SystemModstamp >= 2024-01-15T09:00:00Z AND SystemModstamp < 2024-01-15T09:00:00.001Z')).toBe(
      59,
    );
    expect(await count('CreatedDate > 2024-01-15T09:00:00Z')).toBe(0);
    expect(
      await count("Id IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Sales_Ops')"),
    ).toBe(1);
  });

  it('orders by several keys with NULLS FIRST/LAST, and applies LIMIT and OFFSET', async () => {
    const rows = await query(
      'SELECT Name, UserRole.Name FROM User ORDER BY UserRole.Name DESC NULLS FIRST, Name ASC LIMIT 4 OFFSET 1',
    );
    expect(rows.map((r) => [r.UserRole?.Name ?? null, r.Name])).toEqual([
      [null, 'Pat Contractor'],
      ['VP Sales', 'Riya Kapoor'],
      ['VP Marketing', 'Chris Observer'],
      ['VP Marketing', 'Tom Becker'],
    ]);
  });

  it('counts with COUNT() and aggregates with GROUP BY', async () => {
    const res = await conn.query('SELECT COUNT() FROM User WHERE IsActive = true');
    expect(res).toMatchObject({ totalSize: 56, done: true, records: [] });
    const groups = await query('SELECT IsActive, COUNT(Id) total FROM User GROUP BY IsActive');
    expect(groups.map((g) => [g.IsActive, g.total])).toEqual([
      [true, 56],
      [false, 3],
    ]);
  });

  it('rejects bad SOQL with MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE, pointing at the culprit', async () => {
    await expect(conn.query('SELECT Id FRM User')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringContaining('ERROR at Row:1:Column:'),
    });
    await expect(conn.query('SELECT Id, Nickname FROM User')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message:
        "\nSELECT Id, Nickname FROM User\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nickname' on entity 'User'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    });
    await expect(conn.query('SELECT Id FROM Widget__c')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("sObject type 'Widget__c' is not supported."),
    });
    await expect(conn.query("SELECT Id FROM User WHERE CreatedDate > '2024-01-01'")).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
    });
    // Booleans are not ordered: `<` and `>` are refused, pointing at the field.
    await expect(conn.query('SELECT Id FROM User WHERE IsActive < TRUE')).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      message: expect.stringMatching(/Column:27\ninvalid operator on boolean field$/),
    });
    const res = await fetch(`${demo.url}/services/data/v${VERSION}/query?q=SELECT+Id+FROM+Widget`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(await res.text())).toEqual([{ message: expect.any(String), errorCode: 'INVALID_TYPE' }]);
  });

  it('hides soft-deleted records from query but not from queryAll, and reports them to /deleted once their minute has passed', async () => {
    demo.control.setNow('2030-06-01T08:00:10Z');
    const accountId = demo.control.addRecord('Account', { Name: 'Short-lived Inc', OwnerId: demo.credentials.userId });
    demo.control.deleteRecord(accountId);
    expect(await query(`SELECT Id FROM Account WHERE Id = '${accountId}'`)).toHaveLength(0);
    const all = await conn.request<Page>(
      `/services/data/v${VERSION}/queryAll?q=${encodeURIComponent(`SELECT Id, IsDeleted FROM Account WHERE Id = '${accountId}'`)}`,
    );
    expect(all.records.map((r) => r.IsDeleted)).toEqual([true]);
    expect(
      (await conn.sobject('Account').deleted('2030-06-01T07:59:00Z', '2030-06-01T08:05:00Z')).deletedRecords,
    ).toEqual([]);
    demo.control.advanceClock(60_000);
    const deleted = await conn.sobject('Account').deleted('2030-06-01T07:59:00Z', '2030-06-01T08:05:00Z');
    expect(deleted.deletedRecords).toEqual([{ id: accountId, deletedDate: '2030-06-01T08:00:10.000+0000' }]);
    await expect(conn.sobject('Account').deleted('2030-04-01T00:00:00Z', '2030-06-01T08:05:00Z')).rejects.toMatchObject(
      { errorCode: 'INVALID_REPLICATION_DATE' },
    );
    // /deleted keeps 15 days, /updated 30.
    await expect(conn.sobject('Account').deleted('2030-05-12T00:00:00Z', '2030-06-01T08:05:00Z')).rejects.toMatchObject(
      { errorCode: 'INVALID_REPLICATION_DATE', message: expect.stringContaining('15 days') },
    );
    expect((await conn.sobject('Account').updated('2030-05-12T00:00:00Z', '2030-06-01T08:05:00Z')).ids).toEqual([]);
    demo.control.setNow(null);
  });

  it('lists records changed in a window through /updated, moving SystemModstamp on each control mutation', async () => {
    const userId = demo.credentials.userId;
    demo.control.setNow('2030-05-01T10:00:30Z');
    const roleId = demo.control.addRole({ Name: 'Solutions Engineering', ParentRoleId: null });
    demo.control.updateUser(userId, { Title: 'Integration (moved)' });
    demo.control.advanceClock(120_000);
    const updatedUsers = await conn.sobject('User').updated('2030-05-01T09:59:00Z', '2030-05-01T10:05:00Z');
    const updatedRoles = await conn.sobject('UserRole').updated('2030-05-01T09:59:00Z', '2030-05-01T10:05:00Z');
    expect(updatedUsers.ids).toEqual([userId]);
    expect(updatedRoles).toEqual({ ids: [roleId], latestDateCovered: '2030-05-01T10:02:00.000+0000' });
    const [u] = await query(`SELECT SystemModstamp FROM User WHERE Id = '${userId}'`);
    expect(u!.SystemModstamp).toBe('2030-05-01T10:00:30.000+0000');
    demo.control.setNow(null);
  });
});
