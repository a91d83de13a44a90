import type { Knex } from 'knex';
import type { OrgScope } from '../db/scoped.js';
import type { UserRow } from './repo.js';
import type { User } from './schemas.js';

// The user listing's reads: users with their team's and profile's names, and a row as the API shows it.

/** The listing's row: the user plus their team's and profile's names. */
export type ListedUserRow = UserRow & { team_name?: string | null; profile_name: string };

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The user listing's select: the user plus the names of their team and profile. */
export function selectUsers(scope: OrgScope): Knex.QueryBuilder<ListedUserRow, ListedUserRow[]> {
  return scope
    .table('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .join('configuration_profiles as p', 'p.id', 'users.profile_id')
    .select<ListedUserRow[]>('users.*', 'teams.name as team_name', 'p.name as profile_name');
}

/** What toUser reads: a page parses every column of 50 rows or more, so none beyond these. */
export type PageUserRow = Omit<ListedUserRow, 'org_id' | 'rule_id'>;
const PAGE_COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'job_title',
  'sf_user_id',
  'team_id',
  'role',
  'licenses',
  'object_visibility',
  'profile_id',
  'status',
  'source',
  'suspension_reason',
  'suspended_at',
  'permission_error_since',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof PageUserRow)[];

/** The user listing's select for a page: selectUsers with only the columns a User is built from. */
export function selectUserPage(scope: OrgScope): Knex.QueryBuilder<PageUserRow, PageUserRow[]> {
  return scope
    .table('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .join('configuration_profiles as p', 'p.id', 'users.profile_id')
    .select<PageUserRow[]>(
      ...PAGE_COLUMNS.map((c) => `users.${c}`),
      'teams.name as team_name',
      'p.name as profile_name',
    );
}

/** Up to `limit` users as the listing shows them, by last name, first name and id, after `after` (keyset). */
export async function listedUsersByName(
  scope: OrgScope,
  after: [lastName: string, firstName: string, id: string] | null,
  limit: number,
): Promise<ListedUserRow[]> {
  const q = selectUsers(scope).orderBy(['users.last_name', 'users.first_name', 'users.id']).limit(limit);
  if (after) q.whereRaw('(users.last_name, users.first_name, users.id) > (?, ?, ?)', after);
  return q;
}

export async function findListedUser(scope: OrgScope, id: string): Promise<ListedUserRow | undefined> {
  return selectUsers(scope).where('users.id', id).first();
}

export function toUser(row: PageUserRow): User {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    jobTitle: row.job_title,
    sfUserId: row.sf_user_id,
    teamId: row.team_id,
    teamName: row.team_name ?? null,
    role: row.role,
    licenses: row.licenses,
    objectVisibility: row.object_visibility,
    profileId: row.profile_id,
    profileName: row.profile_name,
    status: row.status,
    source: row.source,
    suspensionReason: row.suspension_reason,
    suspendedAt: iso(row.suspended_at),
    permissionErrorSince: iso(row.permission_error_since),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}
