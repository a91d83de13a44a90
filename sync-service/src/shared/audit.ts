import type { OrgScope } from '../db/scoped.js';
import { chunks } from './chunks.js';

export interface Actor {
  /** Roster user id of the acting admin, or 'sync' / 'system' for the service itself. */
  id: string;
  label: string;
}

/**
 * The acting admin with their Salesforce user id (X-Roster-Actor-Id), when Apex sent it: files are shared with that
 * user, and a mode switch checks it cannot lock them out.
 */
export type SalesforceActor = Actor & { sfUserId?: string | null };

export const SYSTEM_ACTOR: Actor = { id: 'system', label: 'Roster' };
export const SYNC_ACTOR: Actor = { id: 'sync', label: 'Salesforce sync' };

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * The one audit writer: records who changed what, one entry or many (a 100k-row import audits every user) in
 * set-based inserts. Call inside the same transaction as the change.
 */
export async function recordAudit(
  scope: OrgScope,
  actor: Actor,
  entries: AuditEntry | readonly AuditEntry[],
): Promise<void> {
  const all: readonly AuditEntry[] = Array.isArray(entries) ? entries : [entries as AuditEntry];
  // Each chunk travels as one JSON parameter, not seven bindings per row.
  for (const part of chunks(all)) {
    const rows = part.map((e) => ({
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
