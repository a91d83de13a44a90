import type { OrgScope } from '../db/scoped.js';
import { chunks } from '../shared/chunks.js';
import type { User } from './schemas.js';
import type { License, Role, Source, Visibility } from './vocabulary.js';

/**
 * The users table's row types and its reads. The user listing's queries are list-repo.ts, the CSV import's
 * import-repo.ts, the teams domain's (who sits in a team) team-members-repo.ts; writes, shared by the API, the CSV
 * import and the Salesforce sync, are write-repo.ts and assign-repo.ts.
 */

/** Everything a user is made of, already resolved to ids and codes. */
export interface UserFields {
  email: string;
  firstName: string;
  lastName: string;
  jobTitle: string;
  role: Role;
  teamId: string | null;
  objectVisibility: Visibility;
  licenses: License[];
  profileId: string;
}

export interface NewUserFields extends UserFields {
  sfUserId?: string | null;
  ruleId?: string | null;
}

/** A row of the users table, as the database returns it. */
export interface UserRow {
  id: string;
  org_id: string;
  email: string;
  first_name: string;
  last_name: string;
  job_title: string;
  sf_user_id: string | null;
  team_id: string | null;
  role: Role;
  licenses: License[];
  object_visibility: Visibility;
  profile_id: string;
  status: User['status'];
  source: Source;
  rule_id: string | null;
  suspension_reason: string | null;
  suspended_at: Date | string | null;
  permission_error_since: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export const fieldsOf = (row: UserRow): UserFields => ({
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  jobTitle: row.job_title,
  role: row.role,
  teamId: row.team_id,
  objectVisibility: row.object_visibility,
  licenses: row.licenses,
  profileId: row.profile_id,
});

export async function userExists(scope: OrgScope, id: string): Promise<boolean> {
  return !!(await scope.table('users').where('id', id).first('id'));
}

/** A user's row (`lock`: for update), or undefined. */
export async function findUserRow(scope: OrgScope, id: string, lock = false): Promise<UserRow | undefined> {
  return scope
    .table('users')
    .where('id', id)
    .modify((q) => (lock ? q.forUpdate() : q))
    .first();
}

/** What decides whose activity a user sees (users/visibility.ts). */
export type ViewerRow = Pick<UserRow, 'id' | 'object_visibility' | 'team_id' | 'status'>;

export async function findViewerRow(scope: OrgScope, id: string): Promise<ViewerRow | undefined> {
  return scope.table('users').where('id', id).first('id', 'object_visibility', 'team_id', 'status');
}

/** Whether a user other than `exceptId` has this email, whatever its case. */
export async function emailTaken(scope: OrgScope, email: string, exceptId?: string): Promise<boolean> {
  const taken: Pick<UserRow, 'id'> | undefined = await scope
    .table('users')
    .whereRaw('lower(email) = lower(?)', [email])
    .modify((q) => (exceptId ? q.whereNot('id', exceptId) : q))
    .first('id');
  return !!taken;
}

/** Which of these ids are users of the org. */
export async function existingUserIds(scope: OrgScope, ids: readonly string[]): Promise<Set<string>> {
  const rows: Pick<UserRow, 'id'>[] = await scope.table('users').whereIn('id', ids).select('id');
  return new Set(rows.map((u) => u.id));
}

export type UserNameRow = Pick<UserRow, 'id' | 'first_name' | 'last_name' | 'email'>;

/** Names and emails of these users (unknown ids are absent). */
export async function userNames(scope: OrgScope, ids: readonly string[]): Promise<UserNameRow[]> {
  if (ids.length === 0) return [];
  return scope.table('users').whereIn('id', ids).select('id', 'first_name', 'last_name', 'email');
}

/** What identifies an acting user. */
export type ActorRow = Pick<UserRow, 'id' | 'email' | 'role' | 'status'>;

export async function actorBySalesforceId(scope: OrgScope, sfUserId: string): Promise<ActorRow | undefined> {
  return scope.table('users').where('sf_user_id', sfUserId).first('id', 'email', 'role', 'status');
}

/**
 * The user whose email is one of `spellings` (lowercase), the one spelled `preferred` first; `unlinkedOnly`: only
 * among users not linked to a Salesforce user.
 */
export async function actorByEmail(
  scope: OrgScope,
  spellings: readonly [string, string],
  preferred: string,
  unlinkedOnly: boolean,
): Promise<ActorRow | undefined> {
  return scope
    .table('users')
    .modify((q) => (unlinkedOnly ? q.whereNull('sf_user_id') : q))
    .whereRaw('lower(email) in (?, ?)', [...spellings])
    .orderByRaw('lower(email) = ? desc', [preferred])
    .first('id', 'email', 'role', 'status');
}

/** The emails of these users by id (unknown ids are absent). */
export async function userEmails(scope: OrgScope, ids: readonly string[]): Promise<Map<string, string>> {
  const users: Pick<UserRow, 'id' | 'email'>[] = [];
  for (const part of chunks(ids, 1000))
    users.push(...(await scope.table('users').whereIn('id', part).select('id', 'email')));
  return new Map(users.map((u) => [u.id, u.email]));
}

/** How many users each profile has (of `profileIds`, or of every profile with users). */
export async function usersPerProfile(scope: OrgScope, profileIds?: string[]): Promise<Map<string, number>> {
  const q = scope.table('users').groupBy('profile_id').select('profile_id').count({ n: '*' });
  if (profileIds) q.whereIn('profile_id', profileIds);
  const rows: { profile_id: string; n: string | number }[] = await q;
  return new Map(rows.map((r) => [r.profile_id, Number(r.n)]));
}

/** The profile of each of these users that exists (absent ids are absent from the answer). */
export async function profilesOfUsers(
  scope: OrgScope,
  userIds: readonly string[],
): Promise<Pick<UserRow, 'id' | 'profile_id'>[]> {
  const users: Pick<UserRow, 'id' | 'profile_id'>[] = [];
  for (const part of chunks(userIds, 1000))
    users.push(...(await scope.table('users').whereIn('id', part).select('id', 'profile_id')));
  return users;
}

/** A user as re-applying the rules sees them: what the rules match on, and what they assign. */
export type ReapplyUser = Pick<
  UserRow,
  'id' | 'email' | 'job_title' | 'team_id' | 'profile_id' | 'role' | 'object_visibility' | 'licenses' | 'status'
>;

/** Every user of the org by email, as re-applying the rules sees them (`lock`: for update). */
export async function reapplyUsers(scope: OrgScope, lock = false): Promise<ReapplyUser[]> {
  return scope
    .table('users')
    .orderBy('email')
    .modify((q) => (lock ? q.forUpdate() : q))
    .select('id', 'email', 'job_title', 'team_id', 'profile_id', 'role', 'object_visibility', 'licenses', 'status');
}

/** The Roster user id of each of these Salesforce users who is not suspended. */
export async function activeUsersBySalesforceId(
  scope: OrgScope,
  sfUserIds: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks(sfUserIds)) {
    const rows: { id: string; sf_user_id: string }[] = await scope
      .table('users')
      .whereIn('sf_user_id', part)
      .whereNot('status', 'suspended')
      .select('id', 'sf_user_id');
    for (const u of rows) found.set(u.sf_user_id, u.id);
  }
  return found;
}

/** A member who could lead their team: Manager role, not suspended. */
export type ManagerCandidate = Pick<UserRow, 'id' | 'email' | 'sf_user_id'> & { team_id: string };

/** The teams' candidates for manager, earliest created first. */
export async function managerCandidates(scope: OrgScope, teamIds: readonly string[]): Promise<ManagerCandidate[]> {
  // One array parameter, not a binding per team (a full sync derives thousands at once).
  return scope
    .table('users')
    .whereRaw('team_id = ANY(?::uuid[])', [[...teamIds]])
    .where('role', 'manager')
    .whereNot('status', 'suspended')
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .select('id', 'team_id', 'email', 'sf_user_id');
}
