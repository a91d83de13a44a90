import type { Knex } from 'knex';
import type { OrgScope } from '../db/scoped.js';

/** A row of the orgs table, as the database returns it (NUMERIC arrives as a number: see db/knex.ts). */
export interface OrgRow {
  id: string;
  name: string;
  management_mode: 'manual' | 'automatic';
  hierarchy_source: 'role' | 'manager';
  sync_poll_seconds: number;
  suspension_guard_share: number;
  api_budget_share: number;
  mailbox_probe_minutes: number;
  salesforce_mirror_refreshed_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** What an admin may change about their org. */
export type OrgChanges = Partial<
  Pick<
    OrgRow,
    | 'name'
    | 'hierarchy_source'
    | 'sync_poll_seconds'
    | 'suspension_guard_share'
    | 'api_budget_share'
    | 'mailbox_probe_minutes'
  >
>;

/** The orgs table is the one table not scoped by org_id: its rows are the orgs. */
export async function findOrg(db: Knex | Knex.Transaction, id: string, lock = false): Promise<OrgRow | undefined> {
  return db('orgs')
    .where({ id })
    .modify((q) => (lock ? q.forUpdate() : q))
    .first();
}

export async function updateOrg(db: Knex | Knex.Transaction, id: string, changes: OrgChanges): Promise<OrgRow> {
  const [row] = await db('orgs')
    .where({ id })
    .update({ ...changes, updated_at: db.fn.now() })
    .returning('*');
  return row;
}

export async function getManagementMode(scope: OrgScope): Promise<OrgRow['management_mode']> {
  const org: Pick<OrgRow, 'management_mode'> = await scope.db('orgs').where('id', scope.orgId).first('management_mode');
  return org.management_mode;
}

/** The org a (SHA-256 of an) API key belongs to, unless it was revoked. */
export async function orgOfApiKey(db: Knex, keyHash: string): Promise<string | null> {
  const row: { org_id: string } | undefined = await db('api_keys')
    .where({ key_hash: keyHash })
    .whereNull('revoked_at')
    .first('org_id');
  return row?.org_id ?? null;
}

export interface ApiKeyRow {
  id: string;
  name: string;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

/** The org's API keys, oldest first, as their prefix and dates (the keys themselves are never stored). */
export async function listApiKeyRows(scope: OrgScope): Promise<ApiKeyRow[]> {
  return scope
    .table('api_keys')
    .orderBy(['created_at', 'id'])
    .select('id', 'name', 'key_prefix', 'created_at', 'revoked_at');
}

/** Revokes the org's live keys with this prefix; returns their hashes. */
export async function revokeApiKeyRows(scope: OrgScope, prefix: string): Promise<{ id: string; key_hash: string }[]> {
  return scope
    .table('api_keys')
    .where('key_prefix', prefix)
    .whereNull('revoked_at')
    .update({ revoked_at: scope.db.fn.now() })
    .returning(['id', 'key_hash']);
}

/** Which of these (SHA-256s of) API keys are still live: not revoked, their org not deleted. */
export async function liveApiKeyHashes(db: Knex, keyHashes: readonly string[]): Promise<string[]> {
  return db('api_keys')
    .whereRaw('key_hash = ANY(?::text[])', [[...keyHashes]])
    .whereNull('revoked_at')
    .pluck('key_hash');
}

export async function insertApiKey(scope: OrgScope, key: { name: string; hash: string; prefix: string }) {
  await scope.insert('api_keys', { name: key.name, key_hash: key.hash, key_prefix: key.prefix });
}

export async function insertOrg(trx: Knex.Transaction, name: string): Promise<string> {
  const [org]: Pick<OrgRow, 'id'>[] = await trx('orgs').insert({ name }).returning('id');
  return org!.id;
}

/** Switches the management mode (and, given, the hierarchy source); the caller audits it. */
export async function setManagementMode(
  db: Knex | Knex.Transaction,
  id: string,
  mode: OrgRow['management_mode'],
  hierarchySource?: OrgRow['hierarchy_source'],
): Promise<void> {
  await db('orgs')
    .where({ id })
    .update({
      management_mode: mode,
      ...(hierarchySource && { hierarchy_source: hierarchySource }),
      updated_at: db.fn.now(),
    });
}

/** Notes that the Salesforce mirror was read in full just now. */
export async function markMirrorRefreshed(db: Knex | Knex.Transaction, id: string): Promise<void> {
  await db('orgs').where({ id }).update({ salesforce_mirror_refreshed_at: db.fn.now() });
}

/** Every org in Automatic Mode, with its poll interval. */
export async function automaticOrgs(db: Knex): Promise<Pick<OrgRow, 'id' | 'sync_poll_seconds'>[]> {
  return db('orgs').where('management_mode', 'automatic').select('id', 'sync_poll_seconds');
}
