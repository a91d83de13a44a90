import type jsforce from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoOrg, startFakeSalesforce, type FakeSalesforce } from './index.js';
import { connect, VERSION } from './harness.js';

let fake: FakeSalesforce;
let conn: jsforce.Connection;
beforeAll(async () => {
  fake = await startFakeSalesforce({ org: demoOrg });
  conn = await connect(fake);
});
beforeEach(() => fake.control.clearFaults());
afterAll(() => fake.close());

const base = `/services/data/v${VERSION}`;
const q = (soql: string) => `${base}/query?q=${encodeURIComponent(soql)}`;
type Composite = {
  compositeResponse: { body: any; httpHeaders: object; httpStatusCode: number; referenceId: string }[];
};
const composite = (compositeRequest: object[], allOrNone = false) =>
  conn.requestPost<Composite>(`${base}/composite`, { allOrNone, compositeRequest });

describe('composite', () => {
  it('runs subrequests in order, resolves @{reference} values, and counts as one API call', async () => {
    fake.control.resetApiCalls();
    const res = await composite([
      { method: 'GET', url: q("SELECT Id FROM UserRole WHERE Name = 'CEO'"), referenceId: 'ceo' },
      {
        method: 'GET',
        url: q("SELECT Name FROM User WHERE UserRoleId = '@{ceo.records[0].Id}' ORDER BY Name"),
        referenceId: 'top',
      },
      { method: 'GET', url: `${base}/sobjects/User/${fake.credentials.userId}?fields=Username`, referenceId: 'me' },
    ]);
    expect(res.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['ceo', 200],
      ['top', 200],
      ['me', 200],
    ]);
    expect(res.compositeResponse[1]!.body.records.map((r: { Name: string }) => r.Name)).toEqual([
      'Dana Admin',
      'Morgan Blake',
      'Roster Integration User',
    ]);
    expect(res.compositeResponse[2]!.body.Username).toBe(fake.credentials.username);
    expect(fake.control.apiCalls()).toBe(1);
  });

  it('reports a failing subrequest in place, and with allOrNone halts the rest', async () => {
    const partial = await composite([
      { method: 'GET', url: q('SELECT Bogus FROM User'), referenceId: 'bad' },
      { method: 'GET', url: q('SELECT Id FROM Organization'), referenceId: 'good' },
    ]);
    expect(partial.compositeResponse[0]).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'INVALID_FIELD' }] });
    expect(partial.compositeResponse[1]).toMatchObject({ httpStatusCode: 200, body: { totalSize: 1 } });
    const all = await composite(
      partial.compositeResponse.map((r, i) => ({
        method: 'GET',
        url: i ? q('SELECT Id FROM Organization') : q('SELECT Bogus FROM User'),
        referenceId: r.referenceId,
      })),
      true,
    );
    expect(all.compositeResponse[1]).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] });
  });

  it('refuses more than 25 subrequests or more than 5 queries', async () => {
    const get = (n: number, url: (i: number) => string) =>
      Array.from({ length: n }, (_, i) => ({ method: 'GET', url: url(i), referenceId: `r${i}` }));
    await expect(composite(get(26, () => `${base}/limits`))).rejects.toMatchObject({ errorCode: 'INVALID_INPUT' });
    await expect(composite(get(6, () => q('SELECT Id FROM Organization')))).rejects.toMatchObject({
      errorCode: 'INVALID_INPUT',
    });
    const ok = await composite([
      ...get(5, () => q('SELECT Id FROM Organization')),
      ...get(20, () => `${base}/limits`).map((s, i) => ({ ...s, referenceId: `l${i}` })),
    ]);
    expect(ok.compositeResponse).toHaveLength(25);
  });
});

describe('fault injection', () => {
  it('fails the Nth call of a route with the given error, and only that call', async () => {
    fake.control.injectFault({ route: 'query', onCall: 2, errorCode: 'SERVER_UNAVAILABLE' });
    await conn.query('SELECT Id FROM Organization');
    const res = await fetch(`${fake.url}${q('SELECT Id FROM Organization')}`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(res.status).toBe(503);
    expect(await res.text()).toBe(
      '[{"message":"Server temporarily unavailable. Please try again later.","errorCode":"SERVER_UNAVAILABLE"}]',
    );
    expect((await conn.query('SELECT Id FROM Organization')).totalSize).toBe(1);
  });

  it('lets jsforce retry a GET through a connection reset and a 503', async () => {
    fake.control.injectFault({ route: 'query', errorCode: 'SERVER_UNAVAILABLE', times: 1 });
    const id = fake.control.injectFault({ route: 'limits', reset: true, times: 1 });
    const limits = await conn.request<{ DailyApiRequests: { Max: number } }>(`${base}/limits`);
    expect(limits.DailyApiRequests.Max).toBe(100_000);
    expect((await conn.query('SELECT Id FROM Organization')).totalSize).toBe(1);
    fake.control.clearFaults(id);
  });

  it('injects latency, a rate of failures, and INVALID_SESSION_ID that jsforce answers by refreshing', async () => {
    fake.control.injectFault({ route: 'limits', latencyMs: 150 });
    const started = Date.now();
    await conn.request(`${base}/limits`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    fake.control.clearFaults();

    fake.control.injectFault({ route: '/services/data/', rate: 0.5, seed: 3, errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        conn.request(`${base}/limits`).then(
          () => 'ok',
          (e: { errorCode: string }) => e.errorCode,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThan(3);
    expect(outcomes.filter((o) => o === 'REQUEST_LIMIT_EXCEEDED').length).toBeGreaterThan(3);
    fake.control.clearFaults();

    fake.control.injectFault({ route: 'query', onCall: 1, errorCode: 'INVALID_SESSION_ID' });
    const before = conn.accessToken;
    expect((await conn.query('SELECT Id FROM Organization')).totalSize).toBe(1);
    expect(conn.accessToken).not.toBe(before);
  });

  it('serves the control API over HTTP for other processes', async () => {
    const call = (name: string, ...args: unknown[]) =>
      fetch(`${fake.url}/__fake/control/${name}`, { method: 'POST', body: JSON.stringify(args) }).then(
        (r) => r.json() as Promise<{ result: unknown }>,
      );
    const { result: roleId } = await call('addRole', { Name: 'Partners', ParentRoleId: null });
    await call('renameRole', roleId, 'Partner Team');
    expect((await conn.query(`SELECT Name FROM UserRole WHERE Id = '${roleId}'`)).records[0]).toMatchObject({
      Name: 'Partner Team',
    });
    await call('injectFault', { route: 'query', onCall: 1, errorCode: 'MALFORMED_QUERY', message: 'injected' });
    await expect(conn.query('SELECT Id FROM Organization')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: 'injected',
    });
    const creds = (await (await fetch(`${fake.url}/__fake/credentials`)).json()) as { clientId: string };
    expect(creds.clientId).toBe(fake.credentials.clientId);
    expect((await call('deleteRole', demoOrg.roles[0]!.Id)) as unknown).toEqual({
      error: 'Cannot delete a role that has users assigned',
    });
  });
});
