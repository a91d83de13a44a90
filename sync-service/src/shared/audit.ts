import type { OrgScope } from '../db/scoped.js';

export interface Actor {
  /** Roster user id of the acting admin, or 'sync' / 'system' for the service itself. */
  id: string;
  label: string;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', label: 'Roster' };
export const SYNC_ACTOR: Actor = { id: 'sync', label: 'Salesforce sync' };

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Records who changed what; call inside the same transaction as the change. */
export async function recordAudit(scope: OrgScope, actor: Actor, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const rows = (Array.isArray(entries) ? entries : [entries]).map((e) => ({
    actor: actor.id,
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId ?? null,
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
  }));
  // Chunked: a 100k-row CSV import audits every row.
  for (let i = 0; i < rows.length; i += 1000) await scope.insert('audit_log', rows.slice(i, i + 1000));
}
