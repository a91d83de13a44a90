import type { OrgScope } from '../db/scoped.js';
import { defaultProfileId, listProfileRows } from '../profiles/repo.js';
import { builtinTeamId, hierarchyTeams } from '../teams/repo.js';
import { lockUsersByEmail, userPages, type ImportUserRow } from '../users/import-repo.js';
import type { UserFields } from '../users/repo.js';
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

/** One array per set of licenses: the many users and rows with the same licenses share it (nothing mutates it). */
const licenseSets = new Map<string, License[]>();

/** `licenses` in the vocabulary's order, as the set's shared array. */
export function canonicalLicenses(licenses: readonly License[]): License[] {
  const set = LICENSES.filter((l) => licenses.includes(l));
  const key = set.join(';');
  const known = licenseSets.get(key);
  if (known) return known;
  licenseSets.set(key, set);
  return set;
}

/**
 * Keeps each distinct value once: the driver gives every row its own copy of a team id, profile id, role or job
 * title, and a 100k-user org would hold each of those 100k times.
 */
export function interning() {
  const kept = new Map<string, string>();
  return <T extends string | null>(value: T): T => {
    if (value === null) return value;
    const known = kept.get(value);
    if (known !== undefined) return known as T;
    kept.set(value, value);
    return value;
  };
}

type Intern = ReturnType<typeof interning>;

export const importedUser = (row: ImportUserRow, intern: Intern = (v) => v): ImportedUser => ({
  id: row.id,
  status: intern(row.status),
  fields: {
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    jobTitle: intern(row.job_title),
    role: intern(row.role),
    teamId: intern(row.team_id),
    objectVisibility: intern(row.object_visibility),
    licenses: canonicalLicenses(row.licenses),
    profileId: intern(row.profile_id),
  },
});

/** Reads what planning an import needs; writes nothing. */
export async function loadImportContext(scope: OrgScope): Promise<ImportContext> {
  const users = new Map<string, ImportedUser>();
  const intern = interning();
  // A page at a time, so the driver's rows for a 100k-user org are never all in memory beside the compact copies.
  for await (const page of userPages(scope))
    for (const row of page) users.set(row.email.toLowerCase(), importedUser(row, intern));
  return {
    users,
    teams: await loadTeamNames(scope),
    profiles: await loadProfileNames(scope),
    topTeamId: await builtinTeamId(scope, 'top'),
    defaultProfileId: await defaultProfileId(scope),
  };
}

/** The teams a file may name (custom teams are not a user's team), by name; a name's ids in id order. */
export async function loadTeamNames(scope: OrgScope): Promise<Map<string, string[]>> {
  const teams = new Map<string, string[]>();
  for (const t of await hierarchyTeams(scope)) {
    const key = t.name.trim().toLowerCase();
    teams.set(key, [...(teams.get(key) ?? []), t.id].sort());
  }
  return teams;
}

export async function loadProfileNames(scope: OrgScope): Promise<Map<string, string>> {
  const profiles = new Map<string, string>();
  for (const p of await listProfileRows(scope)) profiles.set(p.name.trim().toLowerCase(), p.id);
  return profiles;
}

/** The users of `emails` (lower-cased) as they are now, locked until the transaction ends. */
export async function loadUsersByEmail(scope: OrgScope, emails: readonly string[]): Promise<Map<string, ImportedUser>> {
  const out = new Map<string, ImportedUser>();
  for (const row of await lockUsersByEmail(scope, emails)) out.set(row.email.toLowerCase(), importedUser(row));
  return out;
}
