import type { OrgScope } from '../db/scoped.js';

const TABLE = 'salesforce_connections';

/** A row of salesforce_connections: an org's one connection (secrets sealed by shared/secrets.ts). */
export interface ConnectionRow {
  org_id: string;
  login_url: string;
  instance_url: string | null;
  auth_kind: 'jwt' | 'refresh_token';
  client_id: string;
  username: string | null;
  /** The private key (JWT) or the refresh token. */
  encrypted_secret: string;
  encrypted_client_secret: string | null;
  /** Null: derived from the login URL. */
  jwt_audience: string | null;
  identity_url: string | null;
  api_version: string;
  status: 'untested' | 'ok' | 'failed';
  last_error: string | null;
  last_tested_at: Date | string | null;
  /** The current access token, shared by every replica. */
  encrypted_access_token: string | null;
  access_token_at: Date | string | null;
  refresh_lease_owner: string | null;
  refresh_lease_until: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** What a save writes: the admin's connection as tested just now, with the session the test opened (or none). */
export type SavedConnection = Pick<
  ConnectionRow,
  | 'login_url'
  | 'instance_url'
  | 'auth_kind'
  | 'client_id'
  | 'username'
  | 'encrypted_secret'
  | 'encrypted_client_secret'
  | 'jwt_audience'
  | 'identity_url'
  | 'api_version'
  | 'status'
  | 'last_error'
  | 'encrypted_access_token'
>;

/** The stored session a replica starts from. */
export type StoredSession = Pick<ConnectionRow, 'encrypted_access_token' | 'instance_url' | 'identity_url'>;

/** The test's outcome, as the connection screen shows it. */
export interface TestOutcome {
  ok: boolean;
  message: string;
}

export async function findConnection(scope: OrgScope): Promise<ConnectionRow | undefined> {
  return scope.table(TABLE).first();
}

export async function findStoredSession(scope: OrgScope): Promise<StoredSession | undefined> {
  return scope.table(TABLE).first('encrypted_access_token', 'instance_url', 'identity_url');
}

/**
 * Saves the org's connection, replacing any earlier one; a save ends any refresh lease, and the access token (when
 * the test opened a session) is as fresh as the test.
 */
export async function saveConnection(scope: OrgScope, connection: SavedConnection): Promise<void> {
  const now = scope.db.fn.now();
  await scope
    .insert(TABLE, {
      ...connection,
      last_tested_at: now,
      access_token_at: connection.encrypted_access_token ? now : null,
      refresh_lease_owner: null,
      refresh_lease_until: null,
      updated_at: now,
    })
    .onConflict('org_id')
    .merge();
}

/** Records a re-test's outcome. */
export async function recordConnectionTest(scope: OrgScope, outcome: TestOutcome): Promise<void> {
  await scope.table(TABLE).update({
    status: outcome.ok ? 'ok' : 'failed',
    last_error: outcome.ok ? null : outcome.message,
    last_tested_at: scope.db.fn.now(),
  });
}

/**
 * Takes the org's refresh lease for `owner` for `seconds`, unless another holder's lease still runs; returns the
 * session and secret as stored when taken, or undefined when the lease is held elsewhere.
 */
export async function takeRefreshLease(
  scope: OrgScope,
  owner: string,
  seconds: number,
): Promise<(StoredSession & Pick<ConnectionRow, 'encrypted_secret'>) | undefined> {
  const { db } = scope;
  const [taken]: (StoredSession & Pick<ConnectionRow, 'encrypted_secret'>)[] = await scope
    .table(TABLE)
    .where((q) => q.whereNull('refresh_lease_until').orWhere('refresh_lease_until', '<', db.fn.now()))
    .update({ refresh_lease_owner: owner, refresh_lease_until: db.raw(`now() + interval '${seconds} seconds'`) })
    .returning(['encrypted_access_token', 'instance_url', 'identity_url', 'encrypted_secret']);
  return taken;
}

/** Gives the lease back (a no-op once another save or owner replaced it). */
export async function releaseRefreshLease(scope: OrgScope, owner: string): Promise<void> {
  await scope
    .table(TABLE)
    .where({ refresh_lease_owner: owner })
    .update({ refresh_lease_owner: null, refresh_lease_until: null });
}

/**
 * Stores the session the lease holder was issued, and with refresh-token rotation the new refresh token
 * (`encrypted_secret`), ending the lease; nothing is written once the lease was lost.
 */
export async function storeRefreshedSession(
  scope: OrgScope,
  owner: string,
  session: {
    encrypted_access_token: string;
    instance_url: string;
    identity_url: string | null;
    encrypted_secret?: string;
  },
): Promise<void> {
  await scope
    .table(TABLE)
    .where({ refresh_lease_owner: owner })
    .update({
      ...session,
      access_token_at: scope.db.fn.now(),
      refresh_lease_owner: null,
      refresh_lease_until: null,
    });
}
