import { createSign } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import jsforce from 'jsforce';
import type { FakeSalesforce } from './index.js';

export const VERSION = '62.0';

/** A jsforce connection as the integration user, holding a refresh token so jsforce can renew its session. */
export async function connect(fake: FakeSalesforce, opts: { refreshToken?: string } = {}): Promise<jsforce.Connection> {
  const { clientId, clientSecret } = fake.credentials;
  const refreshToken = opts.refreshToken ?? fake.credentials.refreshToken;
  const conn = new jsforce.Connection({
    oauth2: { loginUrl: fake.url, clientId, clientSecret },
    instanceUrl: fake.url,
    refreshToken,
    version: VERSION,
  });
  const token = await conn.oauth2.refreshToken(refreshToken);
  conn.accessToken = token.access_token;
  return conn;
}

/** A JWT bearer assertion signed with the fake's private key, with claims overridable for negative tests. */
export function jwtAssertion(
  fake: FakeSalesforce,
  claims: Record<string, unknown> = {},
  key = fake.credentials.privateKeyPem,
): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg: 'RS256' })}.${enc({ iss: fake.credentials.clientId, sub: fake.credentials.username, aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 180, ...claims })}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`;
}

/** Counts HTTP requests leaving this process to the fake, independently of the fake's own counter. */
export function countHttpRequests(fake: FakeSalesforce): { paths: string[]; stop(): void } {
  const port = new URL(fake.url).port;
  const paths: string[] = [];
  const onStart = (message: unknown) => {
    const { request } = message as { request: { host: string; path: string; getHeader(n: string): unknown } };
    if (String(request.getHeader('host')).endsWith(`:${port}`)) paths.push(request.path);
  };
  subscribe('http.client.request.start', onStart);
  return { paths, stop: () => unsubscribe('http.client.request.start', onStart) };
}
