import type { OrgScope } from '../db/scoped.js';
import { chunks } from '../shared/chunks.js';
import type { ConflictDraft } from './plan-users.js';
import type { DriftRow, SyncApprovalRow, SyncConflictRow } from './rows.js';

/**
 * What sync runs leave for an admin and for the next runs: approvals, conflicts, drift and the users an invalid rule
 * holds back. The runs themselves and their cursors are runs-repo.ts; the mirror of Salesforce is mirror.ts.
 */

export async function findApproval(scope: OrgScope, id: string): Promise<SyncApprovalRow | undefined> {
  return scope.table('sync_approvals').where('id', id).first();
}

/** Newest first. */
export async function listApprovals(scope: OrgScope): Promise<SyncApprovalRow[]> {
  return scope.table('sync_approvals').orderBy('created_at', 'desc');
}

export async function hasPendingApproval(scope: OrgScope): Promise<boolean> {
  return !!(await scope.table('sync_approvals').where('status', 'pending').first('id'));
}

export async function pendingApprovalCount(scope: OrgScope): Promise<number> {
  return countWhere(scope, 'sync_approvals', 'pending');
}

export async function openConflictCount(scope: OrgScope): Promise<number> {
  return countWhere(scope, 'sync_conflicts', 'open');
}

async function countWhere(scope: OrgScope, table: string, status: string): Promise<number> {
  const row: { n: string | number } | undefined = await scope
    .table(table)
    .where('status', status)
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

/** A paused run waiting for an admin's decision on its suspensions. */
export async function createApproval(
  scope: OrgScope,
  approval: { syncRunId: string; suspendCount: number; totalUsers: number; plan: object },
): Promise<void> {
  await scope.insert('sync_approvals', {
    sync_run_id: approval.syncRunId,
    suspend_count: approval.suspendCount,
    total_users: approval.totalUsers,
    plan: JSON.stringify(approval.plan),
  });
}

/** Decides a pending approval; false when it is not pending (decided already, or absent). */
export async function decideApproval(
  scope: OrgScope,
  id: string,
  decision: 'approved' | 'rejected',
  actorId: string,
): Promise<boolean> {
  const updated: number = await scope
    .table('sync_approvals')
    .where({ id, status: 'pending' })
    .update({ status: decision, decided_by: actorId, decided_at: scope.db.fn.now() });
  return updated > 0;
}

/** Rejects every pending approval (leaving Automatic Mode). */
export async function rejectPendingApprovals(scope: OrgScope, actorId: string): Promise<void> {
  await scope
    .table('sync_approvals')
    .where('status', 'pending')
    .update({ status: 'rejected', decided_by: actorId, decided_at: scope.db.fn.now() });
}

/** Newest first; `status` 'all' for every one. */
export async function listConflicts(
  scope: OrgScope,
  status: SyncConflictRow['status'] | 'all',
): Promise<SyncConflictRow[]> {
  return scope
    .table('sync_conflicts')
    .modify((q) => (status === 'all' ? q : q.where('status', status)))
    .orderBy('created_at', 'desc');
}

/** A conflict (`lock`: for update), or undefined. */
export async function findConflict(scope: OrgScope, id: string, lock = false): Promise<SyncConflictRow | undefined> {
  return scope
    .table('sync_conflicts')
    .where('id', id)
    .modify((q) => (lock ? q.forUpdate() : q))
    .first();
}

export async function closeConflict(
  scope: OrgScope,
  id: string,
  status: 'resolved' | 'dismissed',
  actorId: string,
): Promise<void> {
  await scope
    .table('sync_conflicts')
    .where('id', id)
    .update({ status, resolved_by: actorId, resolved_at: scope.db.fn.now() });
}

/** Of these Salesforce users, those an open or dismissed conflict keeps out of Roster. */
export async function heldByConflict(scope: OrgScope, sfUserIds: readonly string[]): Promise<Set<string>> {
  // Open and dismissed conflicts are few: read once, not looked up per chunk of the users.
  const asked = new Set(sfUserIds);
  const held: SyncConflictRow['sf_user_id'][] = await scope
    .table('sync_conflicts')
    .whereIn('status', ['open', 'dismissed'])
    .distinct()
    .pluck('sf_user_id');
  return new Set(held.filter((id): id is string => !!id && asked.has(id)));
}

/** Opens a conflict for each draft, for an admin to link or dismiss. */
export async function recordConflicts(scope: OrgScope, conflicts: readonly ConflictDraft[]): Promise<void> {
  for (const part of chunks(conflicts))
    await scope.insert(
      'sync_conflicts',
      part.map((c) => ({
        kind: c.kind,
        sf_user_id: c.sfUserId,
        user_id: c.userId,
        email: c.email,
        details: JSON.stringify(c.details),
      })),
    );
}

/** Drift, with the user's name and link. */
export type DriftEntry = DriftRow & { email: string; first_name: string; last_name: string; sf_user_id: string | null };

/** Drift of users not suspended since, oldest first. */
export async function listDrift(scope: OrgScope): Promise<DriftEntry[]> {
  return scope
    .table('sync_drift')
    .join('users', 'users.id', 'sync_drift.user_id')
    .whereNot('users.status', 'suspended')
    .orderBy('sync_drift.since')
    .select('sync_drift.*', 'users.email', 'users.first_name', 'users.last_name', 'users.sf_user_id');
}

/** The Roster users in drift. */
export async function driftingUserIds(scope: OrgScope): Promise<Set<string>> {
  return new Set<string>(await scope.table('sync_drift').pluck('user_id'));
}

/**
 * Puts users whose suspension an admin rejected in drift (`approvalId`: the rejected approval); a user already in drift
 * keeps their first entry.
 */
export async function recordDrift(
  scope: OrgScope,
  users: readonly { id: string; reason: string }[],
  approvalId: string,
): Promise<void> {
  for (const part of chunks(users))
    await scope
      .db('sync_drift')
      .insert(part.map((u) => ({ org_id: scope.orgId, user_id: u.id, reason: u.reason, approval_id: approvalId })))
      .onConflict(['org_id', 'user_id'])
      .ignore();
}

/** Ends the drift of these Roster users (back in Salesforce). */
export async function endDrift(scope: OrgScope, userIds: readonly string[]): Promise<void> {
  for (const part of chunks(userIds)) await scope.table('sync_drift').whereIn('user_id', part).delete();
}

/** Of these Salesforce users, lets go of those held back: they are no longer looked at again at every run. */
export async function releaseHeldSfUsers(scope: OrgScope, sfUserIds: readonly string[]): Promise<void> {
  if (sfUserIds.length === 0) return;
  // Held users are few: only those actually held are deleted (a full sync settles every user it creates).
  const wasHeld = new Set(await heldSfUserIds(scope));
  const released = sfUserIds.filter((id) => wasHeld.has(id));
  for (const part of chunks(released)) await scope.table('sync_held_users').whereIn('sf_user_id', part).delete();
}

/** The Salesforce users held back for another look at every run. */
export async function heldSfUserIds(scope: OrgScope): Promise<string[]> {
  return scope.table('sync_held_users').pluck('sf_user_id');
}

/** Holds Salesforce users back for another look at the next runs (already held: kept). */
export async function holdSfUsers(scope: OrgScope, sfUserIds: readonly string[]): Promise<void> {
  for (const part of chunks(sfUserIds))
    await scope
      .db('sync_held_users')
      .insert(part.map((id) => ({ org_id: scope.orgId, sf_user_id: id })))
      .onConflict(['org_id', 'sf_user_id'])
      .ignore();
}

/**
 * Rewrites every approval whose plan names one of `patterns` (a text[] literal of regular expressions, matched
 * case-insensitively) with what `rewrite` makes of the plan: forgetting a deleted user (users/forget.ts).
 */
export async function scrubApprovalPlans(
  scope: OrgScope,
  patterns: string,
  rewrite: (plan: SyncApprovalRow['plan']) => unknown,
): Promise<void> {
  const naming: Pick<SyncApprovalRow, 'id' | 'plan'>[] = await scope
    .table('sync_approvals')
    .whereRaw('plan::text ~* ANY(?::text[])', [patterns])
    .select('id', 'plan');
  for (const r of naming)
    await scope
      .table('sync_approvals')
      .where('id', r.id)
      .update({ plan: JSON.stringify(rewrite(r.plan)) });
}
