import type { Knex } from 'knex';
import type { OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { touchManagers } from '../teams/managers.js';
import type { Status } from './vocabulary.js';
import { chunks } from '../shared/chunks.js';

/**
 * The one writer of `users.status` and the columns that go with it. Every status change (an admin's suspend or
 * reactivate, one user or a bulk selection, the CSV import, the sync, the mailbox monitor) is one set-based UPDATE
 * that reads each user's previous state under a row lock, one audit entry per user changed, and, when a suspension
 * starts or ends, the teams' derived managers marked for re-derivation (a suspended member leads no team). The
 * status counts follow by themselves: statement triggers on `users` keep them in the same transaction.
 */

/** A user's state before the change, as the audit and the manager re-derivation need it. */
export interface StatusRow {
  id: string;
  status: Status;
  team_id: string | null;
  suspension_reason: string | null;
}

/** The columns that move with a status; a value of `scope.db.fn.now()` stamps the statement's time. */
export type StatusColumns = Partial<
  Record<'suspension_reason' | 'suspended_at' | 'permission_error_since', Knex.Value>
>;

export interface StatusChange {
  to: Status;
  /** The users asked for (chunked); omitted, every user of the org that `eligible` keeps. */
  ids?: readonly string[];
  /** Narrows the org's users to those the change applies to (their current status, role, mailbox state). */
  eligible: (q: Knex.QueryBuilder) => Knex.QueryBuilder;
  with?: StatusColumns;
  audit: (before: StatusRow) => { action: string; before: unknown; after: unknown };
}

/** Applies `change`; returns the previous state of each user it changed. Call inside the change's transaction. */
export async function changeStatus(scope: OrgScope, actor: Actor, change: StatusChange): Promise<StatusRow[]> {
  const set: Record<string, Knex.Value> = { status: change.to, ...change.with };
  const assignments = Object.keys(set)
    .map(() => '?? = ?')
    .join(', ');
  const parts = change.ids ? chunks(change.ids) : [null];
  const done: StatusRow[] = [];
  for (const part of parts) {
    if (part?.length === 0) continue;
    const users = scope.table('users');
    if (part) users.whereIn('id', part);
    const before = change
      .eligible(users)
      .select('id', 'status', 'team_id', 'suspension_reason')
      .orderBy('id')
      .forUpdate();
    const { rows } = await scope.db.raw(
      `UPDATE users u SET ${assignments}, updated_at = now() FROM (?) prev WHERE u.id = prev.id
       RETURNING prev.id, prev.status, prev.team_id, prev.suspension_reason`,
      [...Object.entries(set).flat(), before],
    );
    done.push(...(rows as StatusRow[]));
  }
  if (done.length === 0) return [];
  await recordAudit(
    scope,
    actor,
    done.map((u) => ({ ...change.audit(u), targetType: 'user', targetId: u.id })),
  );
  const leadershipChanged = done.filter((u) => (u.status === 'suspended') !== (change.to === 'suspended'));
  await touchManagers(
    scope,
    leadershipChanged.map((u) => u.team_id),
    actor,
  );
  return done;
}

/** Suspends users (probing stops: the mailbox monitor skips status 'suspended'); returns the ids that changed. */
export async function suspendUsers(
  scope: OrgScope,
  actor: Actor,
  userIds: readonly string[],
  reason: string,
): Promise<string[]> {
  const done = await changeStatus(scope, actor, {
    to: 'suspended',
    ids: userIds,
    eligible: (q) => q.whereNot('status', 'suspended'),
    with: { suspension_reason: reason, suspended_at: scope.db.fn.now() },
    audit: (u) => ({ action: 'user.suspend', before: { status: u.status }, after: { status: 'suspended', reason } }),
  });
  return done.map((u) => u.id);
}

/** Brings suspended users back; they queue for onboarding again ('pending') so the mailbox monitor re-checks them. */
export async function reactivateUsers(scope: OrgScope, actor: Actor, userIds: readonly string[]): Promise<string[]> {
  const done = await changeStatus(scope, actor, {
    to: 'pending',
    ids: userIds,
    eligible: (q) => q.where('status', 'suspended'),
    with: { suspension_reason: null, suspended_at: null },
    audit: (u) => ({
      action: 'user.reactivate',
      before: { status: 'suspended', reason: u.suspension_reason },
      after: { status: 'pending' },
    }),
  });
  return done.map((u) => u.id);
}
