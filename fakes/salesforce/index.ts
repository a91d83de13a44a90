import type { AddressInfo } from 'node:net';
import { DataApi } from './api.js';
import { createControl, type CallLog, type FakeControl } from './control.js';
import { Faults } from './faults.js';
import { loadFixture, type OrgFixture } from './fixture.js';
import { Auth, jwtKeys } from './oauth.js';
import { OrgStore } from './org.js';
import { createFakeServer } from './server.js';
import { FileStore } from './files.js';

export { demoOrg } from './demo.js';
export { generateOrg, PROFILES, standardSetup, type GenerateOptions } from './generate.js';
export { makeId } from './ids.js';
export { FixtureError, loadFixture, OrgFixtureSchema, type OrgFixture } from './fixture.js';
export type { FakeControl } from './control.js';
export type { FaultSpec } from './faults.js';

export interface FakeCredentials {
  loginUrl: string;
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
  /** The integration user's username: the JWT bearer `sub`. */
  username: string;
  userId: string;
  orgId: string;
  /** Signs JWT bearer assertions; the fake verifies them with publicKeyPem. */
  privateKeyPem: string;
  publicKeyPem: string;
  /** A refresh token for the integration user. */
  refreshToken: string;
}

export interface FakeSalesforce {
  /** http://127.0.0.1:PORT: both the login URL and the instance URL. */
  url: string;
  control: FakeControl;
  credentials: FakeCredentials;
  /** Salesforce Files: `files.upload(userId, { pathOnClient, data })` stands in for lightning-file-upload. */
  files: FileStore;
  close(): Promise<void>;
}

export interface StartOptions {
  org: OrgFixture | string;
  port?: number;
  /** Access tokens expire after this long (default two hours, on the fake's clock). */
  tokenTtlSeconds?: number;
  /** The newest API version served (default 62.0); older ones down to 31.0 work too. */
  apiVersion?: string;
  /** Verify JWT assertions with this key instead of the generated pair. */
  jwtPublicKeyPem?: string;
}

/** Starts a Salesforce REST API on 127.0.0.1 serving the given org (fixture object or JSON path). */
export async function startFakeSalesforce(opts: StartOptions): Promise<FakeSalesforce> {
  const org = new OrgStore(loadFixture(opts.org));
  const keys = jwtKeys();
  let url = '';
  const auth = new Auth(
    org,
    () => url,
    (opts.tokenTtlSeconds ?? 7200) * 1000,
    opts.jwtPublicKeyPem ?? keys.publicKeyPem,
  );
  const api = new DataApi(org);
  const faults = new Faults();
  const calls: CallLog = { total: 0, byRoute: new Map(), requests: [] };
  const control = createControl(org, api, auth, faults, calls);
  const files = new FileStore();
  const integrationUser = org.require(org.integrationUserId).rec;
  const credentials: FakeCredentials = {
    loginUrl: '',
    instanceUrl: '',
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    username: integrationUser.Username as string,
    userId: org.integrationUserId,
    orgId: org.orgId,
    privateKeyPem: keys.privateKeyPem,
    publicKeyPem: opts.jwtPublicKeyPem ?? keys.publicKeyPem,
    refreshToken: auth.issueRefreshToken(org.integrationUserId),
  };
  const server = createFakeServer({
    org,
    api,
    auth,
    faults,
    calls,
    control,
    files,
    apiVersion: opts.apiVersion ?? '62.0',
    credentials: () => credentials,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  credentials.loginUrl = url;
  credentials.instanceUrl = url;
  return {
    url,
    control,
    credentials,
    files,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
