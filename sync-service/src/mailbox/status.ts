import type { OrgScope } from '../db/scoped.js';
import { SYSTEM_ACTOR } from '../shared/audit.js';
import { changeStatus } from '../users/status.js';
import type { UserStatus } from './state.js';

/** A probe's verdict on one user's mailbox access. */
export interface MailboxStatusChange {
  userId: string;
  to: UserStatus;
  /** When the failing started (a move to permission_error). */
  since?: Date | string | null;
  reason: string | null;
}

/**
 * Writes the probes' verdicts through the status writer, one statement per new status and start of failure.
 * Suspended and data users are never touched: the monitor does not own them.
 */
export async function writeMailboxStatuses(scope: OrgScope, changes: readonly MailboxStatusChange[]): Promise<void> {
  const groups = new Map<string, MailboxStatusChange[]>();
  for (const c of changes) {
    const since = c.to === 'permission_error' && c.since ? new Date(c.since).toISOString() : null;
    const key = `${c.to} ${since}`;
    groups.set(key, [...(groups.get(key) ?? []), { ...c, since }]);
  }
  for (const group of groups.values()) {
    const { to, since } = group[0]!;
    const reasons = new Map(group.map((c) => [c.userId, c.reason]));
    await changeStatus(scope, SYSTEM_ACTOR, {
      to,
      ids: group.map((c) => c.userId),
      eligible: (q) => q.whereNot('status', 'suspended').whereNot('role', 'data'),
      with: { permission_error_since: since },
      audit: (u) => ({
        action: 'user.mailbox_status',
        before: { status: u.status },
        after: { status: to, reason: reasons.get(u.id) ?? null },
      }),
    });
  }
}
