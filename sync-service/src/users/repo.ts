import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { OrgScope } from '../db/scoped.js';
import { forgetUsers } from './forget.js';
import { DEFAULT_PROFILE_NAME } from '../orgs/builtins.js';
import { recordAudit, type Actor, type AuditEntry } from '../shared/audit.js';
import { releaseHandSetManagers } from '../teams/managers-repo.js';
import { touchManagers } from '../teams/managers.js';
import type { User } from './schemas.js';
import type { License, Role, Source, Visibility } from './vocabulary.js';
import { CHUNK, chunks } from '../shared/chunks.js';

// The org's mode is the orgs table's; csv/ and sync/ ask for it here.
export { getManagementMode } from '../orgs/repo.js';

/**
 * The user-writing building blocks, shared by the API, the CSV import and the Salesforce sync. Each takes a
 * scope (pass the transaction's) and an actor, works on many users at once in chunked statements, keeps team
 * membership history and derived team managers up to date, and audits every change.
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

export async function defaultProfileId(scope: OrgScope): Promise<string> {
  const row = await scope
    .table('configuration_profiles')
    .where({ is_builtin: true, name: DEFAULT_PROFILE_NAME })
    .first('id');
  return row.id;
}

export async function builtinTeamId(scope: OrgScope, kind: 'top' | 'unassigned'): Promise<string> {
  const row = await scope.table('teams').where('kind', kind).first('id');
  return row.id;
}

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
  for (const part of chunks(ids, 1000)) users.push(...(await scope.table('users').whereIn('id', part).select('id', 'email')));
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

/** The org's first admin, in the top-level team with an open membership (the org's creation audits them). */
export async function insertFirstAdmin(
  scope: OrgScope,
  admin: { email: string; firstName: string; lastName: string; sfUserId?: string | undefined },
  topTeamId: string,
  profileId: string,
): Promise<string> {
  const [row]: Pick<UserRow, 'id'>[] = await scope
    .insert('users', {
      email: admin.email,
      first_name: admin.firstName,
      last_name: admin.lastName,
      sf_user_id: admin.sfUserId ?? null,
      team_id: topTeamId,
      role: 'admin',
      licenses: ['foundation'],
      profile_id: profileId,
      source: 'manual',
    })
    .returning('id');
  await scope.insert('team_memberships', { user_id: row!.id, team_id: topTeamId });
  return row!.id;
}

/** Creates users with an open team membership each, audited; returns their ids in input order. */
export async function createUsers(
  scope: OrgScope,
  actor: Actor,
  users: readonly NewUserFields[],
  source: Source,
): Promise<string[]> {
  // The ids are chosen here, so the user, their membership and their audit entry come from the same row of one
  // statement per chunk: nothing is sent back and matched up again. Each user travels once, as the JSON their audit
  // entry keeps ('after').
  const ids = users.map(() => randomUUID());
  for (const [i, part] of chunks(users).entries()) {
    await scope.db.raw(
      `WITH v AS MATERIALIZED (
         SELECT e.id, e.ord, e.after, r.* FROM ROWS FROM (unnest(?::uuid[]), jsonb_array_elements(?::jsonb))
             WITH ORDINALITY AS e(id, after, ord),
           jsonb_to_record(e.after) AS r(email text, "firstName" text, "lastName" text, "jobTitle" text,
             "sfUserId" text, "teamId" uuid, role text, licenses text[], "objectVisibility" text, "profileId" uuid, "ruleId" uuid)
       ), mem AS (
         INSERT INTO team_memberships (org_id, user_id, team_id)
         SELECT ?, id, "teamId" FROM v WHERE "teamId" IS NOT NULL ORDER BY ord
       ), audit AS (
         INSERT INTO audit_log (org_id, actor, action, target_type, target_id, after)
         SELECT ?, ?, 'user.create', 'user', id::text, after FROM v ORDER BY ord
       )
       INSERT INTO users (id, org_id, email, first_name, last_name, job_title, sf_user_id, team_id, role, licenses,
         object_visibility, profile_id, rule_id, source)
       SELECT id, ?, email, "firstName", "lastName", "jobTitle", "sfUserId", "teamId", role, licenses, "objectVisibility",
         "profileId", "ruleId", ? FROM v ORDER BY ord`,
      [
        `{${ids.slice(i * CHUNK, i * CHUNK + part.length).join(',')}}`,
        JSON.stringify(part.map((u) => ({ ...u, source }))),
        scope.orgId,
        scope.orgId,
        actor.id,
        scope.orgId,
        source,
      ],
    );
  }
  await touchManagers(
    scope,
    users.filter((u) => u.role === 'manager').map((u) => u.teamId),
    actor,
  );
  return ids;
}

/** Moves users to a team: closes their open membership and opens a new one, so history keeps the dates. */
export async function moveUsersToTeam(
  scope: OrgScope,
  actor: Actor,
  userIds: readonly string[],
  teamId: string,
): Promise<string[]> {
  const moved: { id: string; team_id: string | null }[] = [];
  for (const part of chunks(userIds)) {
    const rows = await scope
      .table('users')
      .whereIn('id', part)
      .whereRaw('team_id IS DISTINCT FROM ?', [teamId])
      .select('id', 'team_id');
    if (rows.length === 0) continue;
    const ids = rows.map((r: { id: string }) => r.id);
    await scope.table('users').whereIn('id', ids).update({ team_id: teamId, updated_at: scope.db.fn.now() });
    await scope
      .table('team_memberships')
      .whereIn('user_id', ids)
      .whereNull('ended_at')
      .update({ ended_at: scope.db.fn.now() });
    await scope.insert(
      'team_memberships',
      ids.map((id: string) => ({ user_id: id, team_id: teamId })),
    );
    moved.push(...rows);
  }
  if (moved.length === 0) return [];
  await recordAudit(
    scope,
    actor,
    moved.map((m) => ({
      action: 'user.move',
      targetType: 'user',
      targetId: m.id,
      before: { teamId: m.team_id },
      after: { teamId },
    })),
  );
  await touchManagers(scope, [teamId, ...moved.map((m) => m.team_id)], actor);
  return moved.map((m) => m.id);
}

const EDITABLE: [keyof UserFields, string][] = [
  ['email', 'email'],
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['jobTitle', 'job_title'],
  ['role', 'role'],
  ['objectVisibility', 'object_visibility'],
  ['licenses', 'licenses'],
  ['profileId', 'profile_id'],
];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Writes the changed fields of many users (team changes go through moveUsersToTeam); returns the ids changed. */
export async function updateUsers(
  scope: OrgScope,
  actor: Actor,
  edits: readonly { id: string; before: UserFields; after: UserFields }[],
): Promise<string[]> {
  const changed = edits
    .map((e) => ({ ...e, fields: EDITABLE.filter(([key]) => !same(e.before[key], e.after[key])).map(([key]) => key) }))
    .filter((e) => e.fields.length > 0 || e.before.teamId !== e.after.teamId);
  const fieldEdits = changed.filter((e) => e.fields.length > 0);
  for (const part of chunks(fieldEdits)) {
    const records = part.map((e) => ({
      id: e.id,
      ...Object.fromEntries(EDITABLE.map(([key, column]) => [column, e.after[key]])),
    }));
    await scope.db.raw(
      `UPDATE users u SET email = v.email, first_name = v.first_name, last_name = v.last_name, job_title = v.job_title,
         role = v.role, object_visibility = v.object_visibility, licenses = v.licenses, profile_id = v.profile_id, updated_at = now()
       FROM jsonb_to_recordset(?::jsonb) AS v(id uuid, email text, first_name text, last_name text, job_title text, role text,
         object_visibility text, licenses text[], profile_id uuid)
       WHERE u.org_id = ? AND u.id = v.id`,
      [JSON.stringify(records), scope.orgId],
    );
  }
  const audits: AuditEntry[] = fieldEdits.map((e) => ({
    action: 'user.update',
    targetType: 'user',
    targetId: e.id,
    before: Object.fromEntries(e.fields.map((f) => [f, e.before[f]])),
    after: Object.fromEntries(e.fields.map((f) => [f, e.after[f]])),
  }));
  if (audits.length) await recordAudit(scope, actor, audits);

  const byTeam = new Map<string, string[]>();
  for (const e of changed) {
    if (e.after.teamId && e.before.teamId !== e.after.teamId)
      byTeam.set(e.after.teamId, [...(byTeam.get(e.after.teamId) ?? []), e.id]);
  }
  for (const [teamId, ids] of byTeam) await moveUsersToTeam(scope, actor, ids, teamId);
  const roleChanged = fieldEdits.filter((e) => e.fields.includes('role'));
  await touchManagers(
    scope,
    roleChanged.flatMap((e) => [e.before.teamId, e.after.teamId]),
    actor,
  );
  return changed.map((e) => e.id);
}

/** What the assignment rules give one user, with the rule that decided and what changed (for the audit). */
export interface RuleAssignment {
  id: string;
  profileId: string;
  role: Role;
  objectVisibility: Visibility;
  licenses: License[];
  ruleId: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  roleChanged: boolean;
}

/**
 * Writes what the rules assign many users, one statement per chunk, audited as `user.rules_reapplied` each (then
 * `summary`, if given); re-derives the managers of the teams whose people changed role.
 */
export async function assignFromRules(
  scope: OrgScope,
  actor: Actor,
  assignments: readonly RuleAssignment[],
  summary?: AuditEntry,
): Promise<void> {
  const teamOf = new Map<string, string | null>();
  for (const part of chunks(assignments)) {
    const records = part.map((a) => ({
      id: a.id,
      profile_id: a.profileId,
      role: a.role,
      object_visibility: a.objectVisibility,
      licenses: a.licenses,
      rule_id: a.ruleId,
    }));
    const { rows } = await scope.db.raw(
      `UPDATE users u SET profile_id = v.profile_id, role = v.role, object_visibility = v.object_visibility,
         licenses = v.licenses, rule_id = v.rule_id, updated_at = now()
       FROM jsonb_to_recordset(?::jsonb) AS v(id uuid, profile_id uuid, role text, object_visibility text,
         licenses text[], rule_id uuid)
       WHERE u.org_id = ? AND u.id = v.id
       RETURNING u.id, u.team_id`,
      [JSON.stringify(records), scope.orgId],
    );
    for (const r of rows as { id: string; team_id: string | null }[]) teamOf.set(r.id, r.team_id);
  }
  await recordAudit(scope, actor, [
    ...assignments.map((a) => ({
      action: 'user.rules_reapplied',
      targetType: 'user',
      targetId: a.id,
      before: a.before,
      after: a.after,
    })),
    ...(summary ? [summary] : []),
  ]);
  // A team's derived manager is its Manager-role member: a role change can hand the team to someone else.
  await touchManagers(
    scope,
    assignments.filter((a) => a.roleChanged).map((a) => teamOf.get(a.id)),
    actor,
  );
}

/** Links a Roster user to their Salesforce user (an admin resolving a sync conflict), audited. */
export async function linkSalesforceUser(scope: OrgScope, actor: Actor, userId: string, sfUserId: string) {
  await scope.table('users').where('id', userId).update({ sf_user_id: sfUserId, updated_at: scope.db.fn.now() });
  await recordAudit(scope, actor, {
    action: 'user.link_salesforce',
    targetType: 'user',
    targetId: userId,
    after: { sfUserId },
  });
}

/** Puts users on a configuration profile; `users` carry the profile each had, for the audit. */
export async function assignProfile(
  scope: OrgScope,
  actor: Actor,
  users: readonly { id: string; profile_id: string }[],
  profileId: string,
): Promise<void> {
  for (const part of chunks(users)) {
    await scope
      .table('users')
      .whereIn(
        'id',
        part.map((u) => u.id),
      )
      .update({ profile_id: profileId, updated_at: scope.db.fn.now() });
  }
  await recordAudit(
    scope,
    actor,
    users.map((u) => ({
      action: 'user.profile_assign',
      targetType: 'user',
      targetId: u.id,
      before: { profileId: u.profile_id },
      after: { profileId },
    })),
  );
}

/**
 * Deletes users for good; their memberships, custom-team places, mailbox state and results go with them (FK cascades).
 * The audit keeps only who deleted which user id and when: the person's data is gone.
 */
export async function deleteUsers(scope: OrgScope, actor: Actor, userIds: readonly string[]): Promise<string[]> {
  const done: { id: string; team_id: string | null }[] = [];
  const managed: string[] = [];
  for (const part of chunks(userIds)) {
    const rows = await scope.table('users').whereIn('id', part).select('id', 'team_id', 'email');
    if (rows.length === 0) continue;
    const ids = rows.map((r: { id: string }) => r.id);
    await forgetUsers(scope, rows);
    // A hand-set manager who is deleted hands the team back to derivation.
    managed.push(...(await releaseHandSetManagers(scope, ids)));
    await scope.table('users').whereIn('id', ids).delete();
    done.push(...rows);
  }
  if (done.length === 0) return [];
  await recordAudit(
    scope,
    actor,
    done.map((u) => ({ action: 'user.delete', targetType: 'user', targetId: u.id })),
  );
  await touchManagers(scope, [...managed, ...done.map((u) => u.team_id)], actor);
  return done.map((u) => u.id);
}
