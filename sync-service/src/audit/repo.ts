import type { OrgScope } from '../db/scoped.js';

/** A row of audit_log, as the database returns it. */
export interface AuditRow {
  id: string | number;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
  at: Date | string;
}

export interface AuditFilter {
  targetType?: string;
  targetId?: string;
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  /** Entries older than this id (the previous page's last). */
  cursor?: string;
}

/** Up to `limit` entries, newest first. */
export function listAudit(scope: OrgScope, filter: AuditFilter, limit: number): Promise<AuditRow[]> {
  const { targetType, targetId, action, actor, from, to, cursor } = filter;
  return scope
    .table('audit_log')
    .modify((q) => {
      if (targetType) q.where('target_type', targetType);
      if (targetId) q.where('target_id', targetId);
      if (action) q.where('action', action);
      if (actor) q.where('actor', actor);
      if (from) q.where('at', '>=', new Date(from));
      if (to) q.where('at', '<', new Date(to));
      if (cursor) q.where('id', '<', cursor);
    })
    .orderBy('id', 'desc')
    .limit(limit);
}

export type AuditPayloadRow = Pick<AuditRow, 'id' | 'target_type' | 'target_id' | 'before' | 'after'>;

/**
 * Entries about these users, or whose before or after text matches one of `patterns` (a text[] literal of POSIX
 * regular expressions, matched case-insensitively).
 */
export function auditEntriesNaming(
  scope: OrgScope,
  userIds: readonly string[],
  patterns: string,
): Promise<AuditPayloadRow[]> {
  return scope
    .table('audit_log')
    .where((w) =>
      w
        .where((t) => t.where('target_type', 'user').whereIn('target_id', userIds))
        .orWhereRaw('before::text ~* ANY(?::text[])', [patterns])
        .orWhereRaw('after::text ~* ANY(?::text[])', [patterns]),
    )
    .select('id', 'target_type', 'target_id', 'before', 'after');
}

/** Replaces what an entry records (JSON text, or null): only for forgetting a deleted user. */
export async function rewriteAuditEntry(
  scope: OrgScope,
  id: AuditRow['id'],
  payload: { before: string | null; after: string | null },
): Promise<void> {
  await scope.table('audit_log').where('id', id).update(payload);
}
