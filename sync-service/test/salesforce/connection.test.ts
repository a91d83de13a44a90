import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg, startFakeSalesforce, type FakeSalesforce } from '@roster/fake-salesforce';
import { build, setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';

describe('Salesforce connection', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  beforeAll(async () => {
    fake = await startFakeSalesforce({ org: demoOrg });
  });
  afterAll(async () => fake?.close());

  const jwtBody = (over: Record<string, unknown> = {}) => ({
    authKind: 'jwt',
    loginUrl: fake.url,
    clientId: fake.credentials.clientId,
    username: fake.credentials.username,
    privateKey: fake.credentials.privateKeyPem,
    ...over,
  });

  it('reports that no connection exists yet, without secrets', async () => {
    const res = await t.api('GET', '/api/v1/salesforce/connection');
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({ connected: false, status: 'not_connected', hasSecret: false });
  });

  it('refuses to test a connection that was never saved', async () => {
    const res = await t.api('POST', '/api/v1/salesforce/connection/test');
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('salesforce_not_connected');
  });

  it('saves a JWT bearer connection, tests it on save, and never returns the key', async () => {
    const res = await t.api('PUT', '/api/v1/salesforce/connection', { body: jwtBody() });
    expect(res.statusCode).toBe(200);
    expect(res.data.test).toMatchObject({ ok: true, problem: null });
    expect(res.data.connection).toMatchObject({
      connected: true,
      status: 'ok',
      authKind: 'jwt',
      instanceUrl: fake.url,
      hasSecret: true,
    });
    expect(res.body).not.toContain('PRIVATE KEY');
    const row = await t.app.db('salesforce_connections').where({ org_id: t.org.orgId }).first();
    expect(row.encrypted_secret).not.toContain('PRIVATE KEY');
    expect(t.app.secrets.open(row.encrypted_secret)).toBe(fake.credentials.privateKeyPem);
  });

  it('re-tests the saved connection and counts the API calls it spent', async () => {
    const res = await t.api('POST', '/api/v1/salesforce/connection/test');
    expect(res.statusCode).toBe(200);
    expect(res.data.ok).toBe(true);
    expect(res.data.apiCalls).toBe(2);
    expect(res.data.limit).toMatchObject({ used: expect.any(Number), max: expect.any(Number) });
  });

  it('saves a refresh-token connection too', async () => {
    const c = fake.credentials;
    const res = await t.api('PUT', '/api/v1/salesforce/connection', {
      body: {
        authKind: 'refresh_token',
        loginUrl: c.loginUrl,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        refreshToken: c.refreshToken,
      },
    });
    expect(res.data.test.ok).toBe(true);
    expect(res.data.connection.authKind).toBe('refresh_token');
  });

  it("reports bad credentials in the admin's words", async () => {
    const res = await t.api('PUT', '/api/v1/salesforce/connection', {
      body: jwtBody({ username: 'nobody@example.com' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.test).toMatchObject({ ok: false, problem: 'not_pre_authorized' });
    const wrongApp = await t.api('PUT', '/api/v1/salesforce/connection', {
      body: jwtBody({ clientId: 'not-the-app' }),
    });
    expect(wrongApp.data.test.problem).toBe('bad_credentials');
    expect(wrongApp.data.test.message).toMatch(/consumer key/);
    expect(wrongApp.data.connection.status).toBe('failed');
  });

  it('answers a Salesforce screen 409 with what to fix while the saved credentials are refused, never a 5xx', async () => {
    const saved = await t.api('PUT', '/api/v1/salesforce/connection', { body: jwtBody({ clientId: 'not-the-app' }) });
    expect(saved.data.test.ok).toBe(false);
    const roles = await t.api('GET', '/api/v1/salesforce/objects/Opportunity/fields');
    expect(roles.statusCode, roles.body).toBe(409);
    expect(roles.data.error).toMatchObject({ code: 'salesforce_bad_credentials' });
    expect(roles.data.error.message).toMatch(/consumer key/);
  });

  it('refuses a certificate pasted where the private key belongs', async () => {
    const res = await t.api('PUT', '/api/v1/salesforce/connection', {
      body: jwtBody({ privateKey: fake.credentials.publicKeyPem }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('invalid_private_key');
  });

  it('says when the API is disabled for the org', async () => {
    await t.api('PUT', '/api/v1/salesforce/connection', { body: jwtBody() });
    const id = fake.control.injectFault({
      route: /\/query/,
      status: 403,
      errorCode: 'API_DISABLED_FOR_ORG',
      message: 'The REST API is not enabled for this Organization.',
    });
    const res = await t.api('POST', '/api/v1/salesforce/connection/test');
    fake.control.clearFaults(id);
    expect(res.data).toMatchObject({ ok: false, problem: 'api_disabled' });
    expect((await t.api('GET', '/api/v1/salesforce/connection')).data.status).toBe('failed');
  });

  it('says when Salesforce restricts the login by IP', async () => {
    const id = fake.control.injectFault({
      route: /oauth2\/token/,
      status: 400,
      errorCode: 'invalid_grant',
      message: 'ip restricted or invalid login hours',
    });
    const res = await t.api('PUT', '/api/v1/salesforce/connection', { body: jwtBody() });
    fake.control.clearFaults(id);
    expect(res.data.test).toMatchObject({ ok: false, problem: 'ip_restricted' });
  });

  it('retries 503s and connection resets, and refreshes an expired session once', async () => {
    await t.api('PUT', '/api/v1/salesforce/connection', { body: jwtBody() });
    fake.control.injectFault({
      route: /\/query/,
      status: 503,
      errorCode: 'SERVER_UNAVAILABLE',
      message: 'down',
      onCall: 1,
      times: 2,
    });
    fake.control.injectFault({ route: /\/query/, reset: true, onCall: 3, times: 1 });
    const flaky = await t.api('POST', '/api/v1/salesforce/connection/test');
    fake.control.clearFaults();
    expect(flaky.data.ok).toBe(true);
    fake.control.expireAllSessions();
    const expired = await t.api('POST', '/api/v1/salesforce/connection/test');
    expect(expired.data.ok).toBe(true);
  });

  it('two replicas that find the session expired refresh it once between them', async () => {
    await t.api('PUT', '/api/v1/salesforce/connection', { body: jwtBody() });
    const replica = await build({ database: t.database });
    try {
      const asAdmin = { authorization: `Bearer ${t.org.apiKey}`, 'x-roster-actor': t.org.adminEmail };
      await replica.app.inject({ method: 'POST', url: '/api/v1/salesforce/connection/test', headers: asAdmin });
      fake.control.expireAllSessions();
      const tokenCalls = () => fake.control.requests().filter((r) => r.route === 'token').length;
      const before = tokenCalls();
      const [a, b] = await Promise.all([
        t.api('POST', '/api/v1/salesforce/connection/test'),
        replica.app.inject({ method: 'POST', url: '/api/v1/salesforce/connection/test', headers: asAdmin }),
      ]);
      expect(a.data.ok).toBe(true);
      expect(b.json().ok).toBe(true);
      expect(tokenCalls() - before).toBe(1);
    } finally {
      await replica.close();
    }
  });

  it('the test helper connects an org to a fresh fake', async () => {
    const other = await t.createOrg('Other');
    const f = await connectFakeOrg(t, demoOrg, { org: other });
    try {
      const res = await t.api('GET', '/api/v1/salesforce/connection', { org: other });
      expect(res.data).toMatchObject({ connected: true, status: 'ok', instanceUrl: f.url });
    } finally {
      await f.close();
    }
  });
});
