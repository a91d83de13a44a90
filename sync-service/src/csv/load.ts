import type { OrgScope } from '../db/scoped.js';
import { builtinTeamId, defaultProfileId, fieldsOf, type UserFields, type UserRow } from '../users/repo.js';
import { LICENSES, type License } from '../users/vocabulary.js';

/** A Roster user as an import row sees them: the file names them by email. */
export interface ImportedUser {
  id: string;
  status: string;
  fields: UserFields;
}

/** Everything an import is planned from: the org's users by email, and the names a file may use for teams and profiles. */
export interface ImportContext {
  /** By lower-cased email. */
  users: Map<string, ImportedUser>;
  /** By trimmed, lower-cased name: a name more than one team has is ambiguous. */
  teams: Map<string, string[]>;
  profiles: Map<string, string>;
  topTeamId: string;
  defaultProfileId: string;
}

export const canonicalLicenses = (licenses: readonly License[]) => LICENSES.filter((l) => licenses.includes(l));

const USER_COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'job_title',
  'role',
  'team_id',
  'object_visibility',
  'licenses',
  'profile_id',
  'status',
] as const;

export const importedUser = (row: UserRow): ImportedUser => {
  const fields = fieldsOf(row);
  return { id: row.id, status: row.status, fields: { ...fields, licenses: canonicalLicenses(fields.licenses) } };
};

/** Reads what planning an import needs; writes nothing. */
export async function loadImportContext(scope: OrgScope): Promise<ImportContext> {
  const users = new Map<string, ImportedUser>();
  for (const row of (await scope.table('users').select(...USER_COLUMNS)) as UserRow[])
    users.set(row.email.toLowerCase(), importedUser(row));
  return {
    users,
    teams: await loadTeamNames(scope),
    profiles: await loadProfileNames(scope),
    topTeamId: await builtinTeamId(scope, 'top'),
    defaultProfileId: await defaultProfileId(scope),
  };
}

/** The teams a file may name (custom teams are not a user's team). */
export async function loadTeamNames(scope: OrgScope): Promise<Map<string, string[]>> {
  const teams = new Map<string, string[]>();
  for (const t of await scope.table('teams').whereIn('kind', ['top', 'hierarchy', 'unassigned']).select('id', 'name')) {
    const key = t.name.trim().toLowerCase();
    teams.set(key, [...(teams.get(key) ?? []), t.id]);
  }
  return teams;
}

export async function loadProfileNames(scope: OrgScope): Promise<Map<string, string>> {
  const profiles = new Map<string, string>();
  for (const p of await scope.table('configuration_profiles').select('id', 'name'))
    profiles.set(p.name.trim().toLowerCase(), p.id);
  return profiles;
}

/** The users of `emails` (lower-cased) as they are now, locked until the transaction ends. */
export async function loadUsersByEmail(scope: OrgScope, emails: readonly string[]): Promise<Map<string, ImportedUser>> {
  const out = new Map<string, ImportedUser>();
  for (let i = 0; i < emails.length; i += 5000) {
    const part = emails.slice(i, i + 5000);
    const rows = (await scope
      .table('users')
      .whereRaw(`lower(email) IN (${part.map(() => '?').join(', ')})`, part)
      .forUpdate()
      .select(...USER_COLUMNS)) as UserRow[];
    for (const row of rows) out.set(row.email.toLowerCase(), importedUser(row));
  }
  return out;
}
