import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg, startFakeSalesforce, type FakeSalesforce } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';

/** The connection as a real org answers it: JWT audience, refresh with the secret and rotation, identity, errors. */
describe('Salesforce OAuth as a real org answers it', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  beforeAll(async () => {
    fake = await startFakeSalesforce({ org: demoOrg });
  });
  afterAll(async () => fake?.close());

  const jwt = (f: FakeSalesforce, over: Record<string, unknown> = {}) => ({
    authKind: 'jwt',
    loginUrl: f.url,
    clientId: f.credentials.clientId,
    username: f.credentials.username,
    privateKey: f.credentials.privateKeyPem,
    ...over,
  });
  const refresh = (over: Record<string, unknown> = {}) => ({
    authKind: 'refresh_token',
    loginUrl: fake.url,
    clientId: fake.credentials.clientId,
    clientSecret: fake.credentials.clientSecret,
    refreshToken: fake.credentials.refreshToken,
    ...over,
  });
  const save = async (body: unknown) => {
    const res = await t.api('PUT', '/api/v1/salesforce/connection', { body });
    expect(res.statusCode, res.body).toBe(200);
    return res.data;
  };
  const tokenRequests = () => fake.control.requests().filter((r) => r.route === 'token');

  it('signs the JWT for login.salesforce.com while posting it to the saved My Domain login URL', async () => {
    const before = tokenRequests().length;
    const saved = await save(jwt(fake));
    expect(saved.test).toMatchObject({ ok: true });
    expect(saved.connection.audience).toBe('https://login.salesforce.com');
    expect(tokenRequests().length).toBe(before + 1);
  });

  it('needs test.salesforce.com for a sandbox, and says so when the audience is wrong', async () => {
    const sandbox = await startFakeSalesforce({
      org: { ...demoOrg, organization: { ...demoOrg.organization, IsSandbox: true } },
    });
    try {
      const wrong = await save(jwt(sandbox));
      expect(wrong.test).toMatchObject({ ok: false, problem: 'bad_audience' });
      expect(wrong.test.message).toMatch(/https:\/\/test\.salesforce\.com/);
      expect(wrong.test.message).toMatch(/never a My Domain/);
      const right = await save(jwt(sandbox, { audience: 'https://test.salesforce.com' }));
      expect(right.test).toMatchObject({ ok: true });
      expect(right.connection.audience).toBe('https://test.salesforce.com');
      sandbox.control.expireAllSessions();
      const retest = await t.api('POST', '/api/v1/salesforce/connection/test');
      expect(retest.data.ok).toBe(true);
    } finally {
      await sandbox.close();
    }
  });

  it('signs the JWT for the Experience Cloud site the admin names as audience, still posting it to the login URL', async () => {
    const site = 'https://acme-partners.my.site.com';
    const withSite = await startFakeSalesforce({ org: { ...demoOrg, experienceSites: [site] } });
    try {
      const saved = await save(jwt(withSite, { audience: `${site}/` }));
      expect(saved.test).toMatchObject({ ok: true });
      expect(saved.connection.audience).toBe(site);
      expect(withSite.control.requests().filter((r) => r.route === 'token')).toHaveLength(1);
    } finally {
      await withSite.close();
    }
  });

  it('refuses to save an audience Salesforce would refuse with 400 naming audience, and keeps the saved connection', async () => {
    const before = await t.api('GET', '/api/v1/salesforce/connection');
    for (const [audience, why] of [
      ['https://acme.my.salesforce.com', /My Domain/],
      ['https://acme.lightning.force.com', /not a host Salesforce serves sites on/],
      ['https://acme-partners.my.site.com/partners/s/login', /not a page of it/],
    ] as const) {
      const res = await t.api('PUT', '/api/v1/salesforce/connection', { body: jwt(fake, { audience }) });
      expect(res.statusCode, audience).toBe(400);
      expect(res.data.error).toMatchObject({ code: 'validation_error', details: [{ path: 'audience' }] });
      expect(res.data.error.details[0].message).toMatch(why);
    }
    expect((await t.api('GET', '/api/v1/salesforce/connection')).data).toEqual(before.data);
  });

  it('sends the client secret on refresh, and without one says the External Client App requires it', async () => {
    const { clientSecret: _, ...noSecret } = refresh();
    const missing = await save(noSecret);
    expect(missing.test).toMatchObject({ ok: false, problem: 'secret_required' });
    expect(missing.test.message).toMatch(/External Client App requires its consumer secret/);
    const wrong = await save(refresh({ clientSecret: 'not-the-secret' }));
    expect(wrong.test).toMatchObject({ ok: false, problem: 'bad_secret' });
    const ok = await save(refresh());
    expect(ok.test.ok).toBe(true);
    expect(ok.connection.hasClientSecret).toBe(true);
    fake.control.expireAllSessions();
    expect((await t.api('POST', '/api/v1/salesforce/connection/test')).data.ok).toBe(true);
  });

  it('without rotation keeps the refresh token it was given', async () => {
    const token = fake.control.issueRefreshToken(fake.credentials.userId);
    await save(refresh({ refreshToken: token }));
    for (let i = 0; i < 2; i++) {
      fake.control.expireAllSessions();
      expect((await t.api('POST', '/api/v1/salesforce/connection/test')).data.ok).toBe(true);
    }
    const row = await t.app.db('salesforce_connections').where({ org_id: t.org.orgId }).first();
    expect(t.app.secrets.open(row.encrypted_secret)).toBe(token);
  });

  it('with rotation stores each new refresh token, so every later refresh uses the live one', async () => {
    fake.control.setConnectedAppPolicy({ refreshTokenRotation: true });
    try {
      const token = fake.control.issueRefreshToken(fake.credentials.userId);
      const saved = await save(refresh({ refreshToken: token }));
      expect(saved.test.ok).toBe(true);
      const stored = async () =>
        t.app.secrets.open(
          (await t.app.db('salesforce_connections').where({ org_id: t.org.orgId }).first()).encrypted_secret,
        );
      const first = await stored();
      expect(first).not.toBe(token);
      // Using a rotated-out token would make Salesforce revoke the live one: three refreshes in a row all work.
      for (let i = 0; i < 3; i++) {
        fake.control.expireAllSessions();
        const res = await t.api('POST', '/api/v1/salesforce/connection/test');
        expect(res.data, `refresh ${i + 1}`).toMatchObject({ ok: true });
      }
      expect(await stored()).not.toBe(first);
    } finally {
      fake.control.setConnectedAppPolicy({ refreshTokenRotation: false });
    }
  });

  it('knows the integration user from the identity URL, so the health check runs without the openid scope', async () => {
    const saved = await save(jwt(fake));
    expect(saved.connection.integrationUserId).toBe(fake.credentials.userId);
    const before = fake.control.requests().filter((r) => r.route === 'userinfo').length;
    const res = await t.api('POST', '/api/v1/integration-health');
    expect(res.statusCode).toBe(201);
    expect(res.data.overall).not.toBe('unavailable');
    expect(res.data.user).toMatchObject({ id: fake.credentials.userId, username: fake.credentials.username });
    expect(fake.control.requests().filter((r) => r.route === 'userinfo').length).toBe(before);
  });

  it('tells a user who is not pre-authorized, an IP restriction and a user without API Enabled apart', async () => {
    const notApproved = await save(jwt(fake, { username: 'nobody@acme-robotics.example.com' }));
    expect(notApproved.test).toMatchObject({ ok: false, problem: 'not_pre_authorized' });
    expect(notApproved.test.message).toMatch(/not pre-authorized for the External Client App/);

    const ip = fake.control.injectFault({
      route: 'token',
      status: 400,
      errorCode: 'invalid_grant',
      message: 'ip restricted',
    });
    const restricted = await save(jwt(fake));
    fake.control.clearFaults(ip);
    expect(restricted.test).toMatchObject({ ok: false, problem: 'ip_restricted' });
    expect(restricted.test.message).toMatch(/External Client App's OAuth policies/);

    const integration = fake.control.record(fake.credentials.userId) as { ProfileId: string };
    fake.control.setSystemPermission(integration.ProfileId, 'PermissionsApiEnabled', false);
    try {
      const noApi = await save(jwt(fake));
      expect(noApi.test).toMatchObject({ ok: false, problem: 'api_disabled' });
      expect(noApi.test.message).toMatch(/"API Enabled"/);
    } finally {
      fake.control.setSystemPermission(integration.ProfileId, 'PermissionsApiEnabled', true);
    }
  });
});
