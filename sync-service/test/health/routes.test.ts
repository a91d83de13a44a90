import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg, type FakeSalesforce } from '@roster/fake-salesforce';
import { setupApp, type TestOrg } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { ID, healthOrg } from './orgs.js';

const t = setupApp();

describe('integration health endpoints without a Salesforce connection', () => {
  it('answers null while no check has run yet', async () => {
    const res = await t.api('GET', '/api/v1/integration-health');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('null');
  });

  it('refuses a re-run with salesforce_not_connected until Salesforce is connected', async () => {
    const res = await t.api('POST', '/api/v1/integration-health');
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('salesforce_not_connected');
  });

  it('has an empty history, and rejects a bad page size', async () => {
    const res = await t.api('GET', '/api/v1/integration-health/history');
    expect(res.statusCode).toBe(200);
    expect(res.data).toEqual({ results: [] });
    const bad = await t.api('GET', '/api/v1/integration-health/history?limit=0');
    expect(bad.statusCode).toBe(400);
  });

  it('needs an admin to re-run', async () => {
    const res = await t.api('POST', '/api/v1/integration-health', { as: null });
    expect(res.statusCode).toBe(403);
  });
});

describe('integration health endpoints with Salesforce connected', () => {
  let fake: FakeSalesforce;
  let org: TestOrg;
  const c = {
    api: (method: 'GET' | 'POST', url: string, opts: { org?: TestOrg } = {}) => t.api(method, url, { org, ...opts }),
    createOrg: (name: string) => t.createOrg(name),
  };
  beforeAll(async () => {
    org = await t.createOrg('Connected');
    fake = await connectFakeOrg(t, healthOrg(), { org });
  });
  afterAll(() => fake?.close());

  it('runs the check, keeps each result with its time, and serves the latest and the history', async () => {
    const first = await c.api('POST', '/api/v1/integration-health');
    expect(first.statusCode).toBe(201);
    expect(first.data).toMatchObject({
      overall: 'healthy',
      unavailable: null,
      user: { profile: 'Custom: Roster Integration' },
    });
    expect(first.data.apiCalls).toBeLessThanOrEqual(12);
    expect(Date.parse(first.data.checkedAt)).toBeGreaterThan(Date.now() - 60_000);

    fake.control.revokeFieldPermission(ID.custom, 'Task.WhoId');
    const second = await c.api('POST', '/api/v1/integration-health');
    expect(second.data.overall).toBe('blocked');
    const whoId = second.data.items.find((i: { id: string }) => i.id === 'field.Task.WhoId');
    expect(whoId).toMatchObject({
      status: 'missing',
      severity: 'required',
      fix: expect.stringContaining('enable Read Access for WhoId'),
    });

    const latest = await c.api('GET', '/api/v1/integration-health');
    expect(latest.statusCode).toBe(200);
    expect(latest.data).toEqual(second.data);

    const status = await c.api('GET', '/api/v1/health');
    expect(status.data.integration).toEqual({ overall: 'blocked', checkedAt: second.data.checkedAt });

    const history = await c.api('GET', '/api/v1/integration-health/history');
    expect(history.data.results.map((r: { id: string; overall: string }) => [r.id, r.overall])).toEqual([
      [second.data.id, 'blocked'],
      [first.data.id, 'healthy'],
    ]);
    expect(history.data.results[0].summary.requiredMissing).toBe(1);
    const page = await c.api(
      'GET',
      `/api/v1/integration-health/history?limit=1&before=${encodeURIComponent(second.data.checkedAt)}`,
    );
    expect(page.data.results.map((r: { id: string }) => r.id)).toEqual([first.data.id]);
  });

  it('keeps one org’s results from another', async () => {
    const other = await c.createOrg('Other');
    const res = await c.api('GET', '/api/v1/integration-health/history', { org: other });
    expect(res.data.results).toEqual([]);
  });
});

describe('field-level security on CurrencyType fields (multi-currency orgs)', () => {
  let fake: FakeSalesforce;
  let org: TestOrg;
  beforeAll(async () => {
    org = await t.createOrg('Multi-currency');
    fake = await connectFakeOrg(t, healthOrg({ multiCurrency: true }), { org });
  });
  afterAll(() => fake?.close());

  it('reports a CurrencyType field hidden from the integration user as missing', async () => {
    const ok = await t.api('POST', '/api/v1/integration-health', { org });
    const item = (r: any, id: string) => r.data.items.find((i: { id: string }) => i.id === id);
    expect(item(ok, 'field.CurrencyType.DecimalPlaces')).toMatchObject({ status: 'ok' });
    fake.control.revokeFieldPermission(ID.custom, 'CurrencyType.DecimalPlaces');
    const res = await t.api('POST', '/api/v1/integration-health', { org });
    expect(item(res, 'field.CurrencyType.DecimalPlaces')).toMatchObject({ status: 'missing' });
    expect(item(res, 'field.CurrencyType.IsoCode')).toMatchObject({ status: 'ok' });
  });
});

describe('integration health when a query locator expires mid-pagination', () => {
  let fake: FakeSalesforce;
  let org: TestOrg;
  beforeAll(async () => {
    org = await t.createOrg('Many packages');
    const installedPackages = [{ NamespacePrefix: 'peopleai' }];
    for (let i = 0; i < 2100; i++) installedPackages.push({ NamespacePrefix: `pkg${i}` });
    fake = await connectFakeOrg(t, healthOrg({ installedPackages }), { org });
  });
  afterAll(() => fake?.close());

  it('reads that query again from its start, inside /composite too, and reports as usual', async () => {
    fake.control.injectFault({
      route: 'queryMore',
      status: 400,
      errorCode: 'INVALID_QUERY_LOCATOR',
      message: 'invalid query locator',
      onCall: 1,
      times: 1,
    });
    const res = await t.api('POST', '/api/v1/integration-health', { org });
    fake.control.clearFaults();
    expect(res.statusCode).toBe(201);
    expect(res.data).toMatchObject({ overall: 'healthy', unavailable: null });
  });
});

describe('integration health on the demo org', () => {
  let fake: FakeSalesforce;
  let org: TestOrg;
  beforeAll(async () => {
    org = await t.createOrg('Demo');
    fake = await connectFakeOrg(t, demoOrg, { org });
  });
  afterAll(() => fake?.close());

  it('is healthy enough to sync out of the box: not Blocked, with a realistic recommended gap and its fix', async () => {
    const res = await t.api('POST', '/api/v1/integration-health', { org });
    expect(res.statusCode).toBe(201);
    expect(res.data.overall).toBe('degraded');
    expect(res.data.summary.requiredMissing).toBe(0);
    const gaps = res.data.items.filter((i: { status: string }) => i.status === 'missing');
    expect(gaps.map((i: { id: string; severity: string }) => [i.id, i.severity])).toEqual([
      ['field.Account.AnnualRevenue', 'recommended'],
      ['field.Lead.Rating', 'recommended'],
      ['field.Opportunity.ExpectedRevenue', 'recommended'],
    ]);
    expect(gaps[0].fix).toContain('enable Read Access for AnnualRevenue');
    expect(res.data.apiCalls).toBeLessThanOrEqual(12);
  });
});
