import type { Knex } from 'knex';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { BadRequestError } from '../shared/errors.js';
import type { SecretBox } from '../shared/secrets.js';
import { jwtAudience } from './audience.js';
import { identityOf, isPrivateKey, type SalesforceCredentials } from './auth.js';
import { DEFAULT_API_VERSION, type SalesforceClients, type SalesforceSession } from './connection.js';
import { explainSalesforceError } from './errors.js';
import { findConnection, recordConnectionTest, saveConnection } from './repo.js';
import type { Connection, ConnectionInput, ConnectionTest } from './schemas.js';

/** What the test reads: the objects the sync needs, so "insufficient access" shows up on save, not on the first sync. */
const PROBES = ['SELECT Id FROM User LIMIT 1', "SELECT Id FROM UserRole WHERE PortalType = 'None' LIMIT 1"];

export async function probe(session: SalesforceSession): Promise<ConnectionTest> {
  try {
    for (const soql of PROBES) await session.queryAll(soql);
    return {
      ok: true,
      problem: null,
      message: 'Connected: the integration user can read users and roles.',
      apiCalls: session.apiCalls(),
      limit: session.limitInfo(),
    };
  } catch (err) {
    const e = explainSalesforceError(err);
    return {
      ok: false,
      problem: e.problem,
      message: e.message,
      apiCalls: session.apiCalls(),
      limit: session.limitInfo(),
    };
  }
}

const failed = (err: unknown): ConnectionTest => {
  const e = explainSalesforceError(err);
  return { ok: false, problem: e.problem, message: e.message, apiCalls: 0, limit: null };
};

export function createConnectionService(deps: { db: Knex; secrets: SecretBox; salesforce: SalesforceClients }) {
  const { db, secrets, salesforce } = deps;

  async function get(scope: OrgScope): Promise<Connection> {
    const row = await findConnection(scope);
    return {
      connected: Boolean(row),
      loginUrl: row?.login_url ?? null,
      instanceUrl: row?.instance_url ?? null,
      authKind: row?.auth_kind ?? null,
      clientId: row?.client_id ?? null,
      username: row?.username ?? null,
      apiVersion: row?.api_version ?? null,
      hasSecret: Boolean(row?.encrypted_secret),
      hasClientSecret: Boolean(row?.encrypted_client_secret),
      audience: row?.auth_kind === 'jwt' ? jwtAudience(row.login_url, row.jwt_audience) : null,
      integrationUserId: identityOf(row?.identity_url)?.userId ?? null,
      status: row?.status ?? 'not_connected',
      lastError: row?.last_error ?? null,
      lastTestedAt: row?.last_tested_at ? new Date(row.last_tested_at).toISOString() : null,
    };
  }

  /** Saves the connection (even a failing one, so the admin can fix Salesforce and re-test) and reports the test. */
  async function save(orgId: string, actor: Actor, input: ConnectionInput) {
    const secret = input.authKind === 'jwt' ? input.privateKey : input.refreshToken;
    if (input.authKind === 'jwt' && !isPrivateKey(secret)) {
      throw new BadRequestError(
        'invalid_private_key',
        'The private key is not a PEM private key (paste the key, not the certificate).',
      );
    }
    const creds: SalesforceCredentials = {
      loginUrl: input.loginUrl,
      authKind: input.authKind,
      clientId: input.clientId,
      clientSecret: input.authKind === 'refresh_token' ? (input.clientSecret ?? null) : null,
      audience: input.authKind === 'jwt' ? (input.audience ?? null) : null,
      username: input.username ?? null,
      secret,
    };
    // Salesforce is called before the transaction opens: never hold a transaction across HTTP.
    let test: ConnectionTest;
    let token: { accessToken: string; instanceUrl: string; identityUrl: string | null } | null = null;
    try {
      const session = await salesforce.forCredentials(creds);
      test = await probe(session);
      token = {
        accessToken: session.conn.accessToken!,
        instanceUrl: session.conn.instanceUrl,
        identityUrl: session.identity()?.url ?? null,
      };
    } catch (err) {
      test = failed(err);
    }
    await inOrgTransaction(db, orgId, async (scope) => {
      const before = await get(scope);
      await saveConnection(scope, {
        login_url: input.loginUrl,
        instance_url: token?.instanceUrl ?? input.instanceUrl ?? null,
        auth_kind: input.authKind,
        client_id: input.clientId,
        username: input.username ?? null,
        // With refresh-token rotation the test's refresh replaced the token the admin pasted: keep the live one.
        encrypted_secret: secrets.seal(creds.secret),
        encrypted_client_secret: creds.clientSecret ? secrets.seal(creds.clientSecret) : null,
        jwt_audience: creds.audience ?? null,
        identity_url: token?.identityUrl ?? null,
        api_version: DEFAULT_API_VERSION,
        status: test.ok ? 'ok' : 'failed',
        last_error: test.ok ? null : test.message,
        encrypted_access_token: token && test.ok ? secrets.seal(token.accessToken) : null,
      });
      await recordAudit(scope, actor, {
        action: 'salesforce.connection.save',
        targetType: 'salesforce_connection',
        targetId: orgId,
        before,
        after: await get(scope),
      });
    });
    salesforce.forget(orgId);
    return { connection: await get(scoped(db, orgId)), test };
  }

  /** Re-tests the saved connection and records the outcome. */
  async function test(orgId: string): Promise<ConnectionTest> {
    let result: ConnectionTest;
    try {
      result = await probe(await salesforce.forOrg(orgId));
    } catch (err) {
      if ((err as { code?: string }).code === 'salesforce_not_connected') throw err;
      result = failed(err);
    }
    await recordConnectionTest(scoped(db, orgId), result);
    return result;
  }

  return { get, save, test };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
