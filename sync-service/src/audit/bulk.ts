import type { OrgScope } from '../db/scoped.js';
import type { Actor, AuditEntry } from '../shared/audit.js';

/**
 * recordAudit for many entries at once (a 100k-row import audits every user): each chunk travels as one JSON
 * parameter instead of seven bindings per row. Same rows as recordAudit; call inside the change's transaction.
 */
export async function recordAuditMany(scope: OrgScope, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 5000) {
    const rows = entries.slice(i, i + 5000).map((e) => ({
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId ?? null,
      before: e.before === undefined ? null : e.before,
      after: e.after === undefined ? null : e.after,
    }));
    await scope.db.raw(
      `INSERT INTO audit_log (org_id, actor, action, target_type, target_id, before, after)
       SELECT ?, ?, action, target_type, target_id, before, after
         FROM jsonb_to_recordset(?::jsonb) AS v(action text, target_type text, target_id text, before jsonb, after jsonb)`,
      [scope.orgId, actor.id, JSON.stringify(rows)],
    );
  }
}
