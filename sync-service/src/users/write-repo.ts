import type { OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor, type AuditEntry } from '../shared/audit.js';
import { CHUNK, chunks } from '../shared/chunks.js';
import { orderedUuid } from '../shared/ids.js';
import { releaseHandSetManagers } from '../teams/managers-repo.js';
import { touchManagers } from '../teams/managers.js';
import { forgetUsers } from './forget.js';
import type { NewUserFields, UserFields, UserRow } from './repo.js';
import type { Source } from './vocabulary.js';

/**
 * The user-writing building blocks, shared by the API, the CSV import and the Salesforce sync. Each takes a
 * scope (pass the transaction's) and an actor, works on many users at once in chunked statements, keeps team
 * membership history and derived team managers up to date, and audits every change.
 */

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
  // entry keeps ('after'). Ids in creation order keep each index led by the id appending, not splitting random pages.
  const ids = users.map(() => orderedUuid());
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
