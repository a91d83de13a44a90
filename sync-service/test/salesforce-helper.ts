import { demoOrg, startFakeSalesforce, type FakeSalesforce, type OrgFixture } from '@roster/fake-salesforce';
import type { TestApp, TestOrg } from './helper.js';

export interface ConnectOptions {
  /** Which org of the test app to connect (default t.org). */
  org?: TestOrg;
  /** JWT bearer (default) or refresh token. */
  authKind?: 'jwt' | 'refresh_token';
  tokenTtlSeconds?: number;
}

/**
 * Starts the Salesforce fake (the demo org unless a fixture is given) and saves a connection to it for t.org through
 * the API, as an admin would; throws when the connection test on save fails. Close the returned fake after the test.
 */
export async function connectFakeOrg(
  t: TestApp,
  fixture: OrgFixture | string = demoOrg,
  opts: ConnectOptions = {},
): Promise<FakeSalesforce> {
  const fake = await startFakeSalesforce({
    org: fixture,
    ...(opts.tokenTtlSeconds ? { tokenTtlSeconds: opts.tokenTtlSeconds } : {}),
  });
  const c = fake.credentials;
  const body =
    opts.authKind === 'refresh_token'
      ? {
          authKind: 'refresh_token',
          loginUrl: c.loginUrl,
          clientId: c.clientId,
          clientSecret: c.clientSecret,
          refreshToken: c.refreshToken,
        }
      : {
          authKind: 'jwt',
          loginUrl: c.loginUrl,
          clientId: c.clientId,
          username: c.username,
          privateKey: c.privateKeyPem,
        };
  const res = await t.api('PUT', '/api/v1/salesforce/connection', { body, org: opts.org });
  if (res.statusCode !== 200 || !res.data?.test?.ok) {
    await fake.close();
    throw new Error(`Saving the fake Salesforce connection failed: ${res.statusCode} ${res.body}`);
  }
  return fake;
}
