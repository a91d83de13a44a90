import { generateKeyPairSync } from 'node:crypto';
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg, startFakeSalesforce, type FakeSalesforce } from './index.js';
import { connect, countHttpRequests, jwtAssertion, VERSION } from './harness.js';

let fake: FakeSalesforce;
beforeAll(async () => {
  fake = await startFakeSalesforce({ org: demoOrg });
});
afterAll(() => fake.close());

const JWT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const bare = () =>
  new jsforce.Connection({
    oauth2: { loginUrl: fake.url, clientId: fake.credentials.clientId, clientSecret: fake.credentials.clientSecret },
    version: VERSION,
  });

describe('OAuth', () => {
  it('logs in with a JWT bearer assertion signed by the configured key and learns the user and org ids', async () => {
    const conn = bare();
    const info = await conn.authorize({ grant_type: JWT, assertion: jwtAssertion(fake) });
    expect(info).toMatchObject({ id: fake.credentials.userId, organizationId: fake.credentials.orgId });
    expect(conn.instanceUrl).toBe(fake.url);
    const identity = await conn.request<{ username: string }>(
      `${fake.url}/id/${fake.credentials.orgId}/${fake.credentials.userId}`,
    );
    expect(identity.username).toBe(fake.credentials.username);
  });

  it('refuses UserInfo to a token without the openid scope, and serves it once the app grants openid', async () => {
    const conn = await connect(fake);
    const userinfo = `${fake.url}/services/oauth2/userinfo`;
    const refused = await fetch(userinfo, { headers: { Authorization: `Bearer ${conn.accessToken}` } });
    expect(refused.status).toBe(403);
    fake.control.setConnectedAppPolicy({ scopes: ['api', 'refresh_token', 'openid'] });
    try {
      const withOpenId = await connect(fake);
      const info = await withOpenId.request<{ preferred_username: string }>(userinfo);
      expect(info.preferred_username).toBe(fake.credentials.username);
    } finally {
      fake.control.setConnectedAppPolicy({ scopes: ['api', 'refresh_token'] });
    }
  });

  it('takes login.salesforce.com as the JWT audience of a production org, test.salesforce.com of a sandbox, never the My Domain', async () => {
    await expect(
      bare().authorize({ grant_type: JWT, assertion: jwtAssertion(fake, { aud: fake.url }) }),
    ).rejects.toMatchObject({ name: 'invalid_grant', message: 'audience is invalid' });
    const sandbox = await startFakeSalesforce({
      org: { ...demoOrg, organization: { ...demoOrg.organization, IsSandbox: true } },
    });
    try {
      const conn = () =>
        new jsforce.Connection({
          oauth2: { loginUrl: sandbox.url, clientId: sandbox.credentials.clientId },
          version: VERSION,
        });
      await expect(conn().authorize({ grant_type: JWT, assertion: jwtAssertion(sandbox) })).rejects.toMatchObject({
        message: 'audience is invalid',
      });
      const ok = await conn().authorize({
        grant_type: JWT,
        assertion: jwtAssertion(sandbox, { aud: 'https://test.salesforce.com' }),
      });
      expect(ok.id).toBe(sandbox.credentials.userId);
    } finally {
      await sandbox.close();
    }
  });

  it('refuses a refresh without the client secret while the app requires it, and accepts it once not required', async () => {
    const noSecret = new jsforce.Connection({
      oauth2: { loginUrl: fake.url, clientId: fake.credentials.clientId },
      version: VERSION,
    });
    await expect(noSecret.oauth2.refreshToken(fake.credentials.refreshToken)).rejects.toMatchObject({
      name: 'invalid_client',
    });
    fake.control.setConnectedAppPolicy({ requireSecretForRefresh: false });
    try {
      expect((await noSecret.oauth2.refreshToken(fake.credentials.refreshToken)).access_token).toBeTruthy();
    } finally {
      fake.control.setConnectedAppPolicy({ requireSecretForRefresh: true });
    }
  });

  it('with refresh-token rotation returns a new refresh token each time, and reusing a retired one revokes the family', async () => {
    fake.control.setConnectedAppPolicy({ refreshTokenRotation: true });
    try {
      const first = fake.control.issueRefreshToken(fake.credentials.userId);
      const oauth2 = bare().oauth2;
      const a = await oauth2.refreshToken(first);
      expect(a.refresh_token).toBeTruthy();
      expect(a.refresh_token).not.toBe(first);
      const b = await oauth2.refreshToken(a.refresh_token!);
      await expect(oauth2.refreshToken(first)).rejects.toMatchObject({ name: 'invalid_grant' });
      await expect(oauth2.refreshToken(b.refresh_token!)).rejects.toMatchObject({ name: 'invalid_grant' });
      const res = await fetch(`${fake.url}/services/data/v${VERSION}/limits`, {
        headers: { Authorization: `Bearer ${b.access_token}` },
      });
      expect(res.status).toBe(401);
    } finally {
      fake.control.setConnectedAppPolicy({ refreshTokenRotation: false });
    }
  });

  it('rejects a JWT signed by another key, for another audience, expired, or from an unknown client with OAuth error bodies', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const cases: [string, string, string][] = [
      [jwtAssertion(fake, {}, other), 'invalid_grant', 'invalid assertion'],
      [jwtAssertion(fake, { aud: 'https://evil.example.com' }), 'invalid_grant', 'audience is invalid'],
      [jwtAssertion(fake, { aud: fake.url }), 'invalid_grant', 'audience is invalid'],
      [jwtAssertion(fake, { exp: Math.floor(Date.now() / 1000) - 10 }), 'invalid_grant', 'expired authorization code'],
      [jwtAssertion(fake, { iss: 'someone-else' }), 'invalid_client_id', 'client identifier invalid'],
      [jwtAssertion(fake, { sub: 'nobody@example.com' }), 'invalid_grant', "user hasn't approved this consumer"],
    ];
    for (const [assertion, error, description] of cases) {
      await expect(bare().authorize({ grant_type: JWT, assertion })).rejects.toMatchObject({
        name: error,
        message: description,
      });
    }
    const res = await fetch(`${fake.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'grant type not supported',
    });
  });

  it('issues a token for the client credentials grant only with the right secret', async () => {
    const conn = bare();
    await conn.authorize({ grant_type: 'client_credentials' });
    expect((await conn.query('SELECT Id FROM Organization')).totalSize).toBe(1);
    const wrong = new jsforce.Connection({
      oauth2: { loginUrl: fake.url, clientId: fake.credentials.clientId, clientSecret: 'nope' },
      version: VERSION,
    });
    await expect(wrong.authorize({ grant_type: 'client_credentials' })).rejects.toMatchObject({
      name: 'invalid_client',
    });
  });

  it('refreshes the session through the refresh token when a call answers INVALID_SESSION_ID, then retries it', async () => {
    const conn = await connect(fake);
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    const before = conn.accessToken;
    fake.control.expireSessionAfter(1);
    await conn.query('SELECT Id FROM User LIMIT 1');
    const result = await conn.query('SELECT Id FROM User LIMIT 1');
    expect(result.totalSize).toBe(1);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).not.toBe(before);
  });

  it('expires access tokens after the configured lifetime on the fake clock', async () => {
    const short = await startFakeSalesforce({ org: demoOrg, tokenTtlSeconds: 60 });
    try {
      const conn = await connect(short);
      const token = conn.accessToken;
      short.control.advanceClock(61_000);
      await conn.query('SELECT Id FROM Organization');
      expect(conn.accessToken).not.toBe(token);
      const res = await fetch(`${short.url}/services/data/v${VERSION}/limits`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]');
    } finally {
      await short.close();
    }
  });

  it('fails a refresh with an unknown refresh token as invalid_grant', async () => {
    await expect(bare().oauth2.refreshToken('5Aep-not-a-token')).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'expired access/refresh token',
    });
  });
});

describe('API limits and the call counter', () => {
  it('counts one API call per data request, reports it in Sforce-Limit-Info, and matches the HTTP requests made', async () => {
    const conn = await connect(fake);
    fake.control.resetApiCalls();
    const { used: before } = fake.control.apiUsage();
    const http = countHttpRequests(fake);
    try {
      await conn.query('SELECT Id FROM User');
      await conn.sobject('User').describe();
      await conn.describeGlobal();
      await conn.request(`/services/data/v${VERSION}/limits`);
      await conn.requestPost(`/services/data/v${VERSION}/composite`, {
        compositeRequest: [
          { method: 'GET', url: `/services/data/v${VERSION}/query?q=SELECT+Id+FROM+UserRole`, referenceId: 'roles' },
          { method: 'GET', url: `/services/data/v${VERSION}/limits`, referenceId: 'limits' },
        ],
      });
    } finally {
      http.stop();
    }
    expect(http.paths).toHaveLength(5);
    expect(fake.control.apiCalls()).toBe(http.paths.length);
    expect(fake.control.apiCallsByRoute()).toEqual({
      query: 1,
      describe: 1,
      describeGlobal: 1,
      limits: 1,
      composite: 1,
    });
    expect(conn.limitInfo.apiUsage).toEqual({ used: before + 5, limit: 100_000 });
  });

  it('answers REQUEST_LIMIT_EXCEEDED with 403 once the daily allowance is spent, and jsforce does not retry it', async () => {
    const conn = await connect(fake);
    fake.control.setDailyApiLimit(1000, 999);
    await conn.query('SELECT Id FROM Organization');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 1000, limit: 1000 });
    fake.control.resetApiCalls();
    await expect(conn.query('SELECT Id FROM Organization')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
    expect(fake.control.requests().map((r) => r.status)).toEqual([403]);
    const limits = await fetch(`${fake.url}/services/data/v${VERSION}/limits`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(limits.status).toBe(403);
    expect(limits.headers.get('sforce-limit-info')).toBe('api-usage=1000/1000');
    fake.control.setDailyApiLimit(100_000, 0);
  });

  it('answers the concurrent long-request limit with the same code and its own message, without counting a call', async () => {
    const conn = await connect(fake);
    fake.control.fillConcurrentLongRequests(1);
    const before = fake.control.apiUsage().used;
    await expect(conn.query('SELECT Id FROM Organization')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'ConcurrentPerOrgLongTxn Limit exceeded.',
    });
    expect(fake.control.apiUsage().used).toBe(before);
    expect((await conn.query('SELECT Id FROM Organization')).totalSize).toBe(1);
  });

  it('answers API_CURRENTLY_DISABLED to every request of a user without API Enabled, a composite as a whole too', async () => {
    const userId = fake.control.addUser({
      FirstName: 'No',
      LastName: 'Api',
      Email: 'no.api@acme-robotics.example.com',
      ProfileId: demoOrg.profiles[3]!.Id,
    });
    const conn = await connect(fake, { refreshToken: fake.control.issueRefreshToken(userId) });
    const res = await fetch(`${fake.url}/services/data/v${VERSION}/query?q=SELECT+Id+FROM+User`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('[{"message":"API is disabled for this User","errorCode":"API_CURRENTLY_DISABLED"}]');
    const composite = await fetch(`${fake.url}/services/data/v${VERSION}/composite`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        compositeRequest: [{ method: 'GET', url: `/services/data/v${VERSION}/limits`, referenceId: 'l' }],
      }),
    });
    expect(composite.status).toBe(403);
  });

  it('lists API versions and 404s an unknown one', async () => {
    const versions = (await (await fetch(`${fake.url}/services/data`)).json()) as { version: string; label: string }[];
    expect(versions.at(-1)).toEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    const conn = await connect(fake);
    await expect(conn.request('/services/data/v99.0/limits')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });
});
