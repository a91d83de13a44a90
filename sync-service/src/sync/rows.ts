/** Rows of the sync's tables, as the database returns them (jsonb parsed, or text from a raw query). */

export interface SalesforceUserRow {
  org_id: string;
  sf_user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  title: string;
  sf_role_id: string | null;
  sf_manager_id: string | null;
  is_active: boolean;
  user_type: string | null;
  license: string | null;
  system_modstamp: Date | string | null;
}

export interface SalesforceRoleRow {
  org_id: string;
  sf_role_id: string;
  name: string;
  developer_name: string | null;
  parent_sf_role_id: string | null;
  active_user_count: number;
  import_enabled: boolean;
  system_modstamp: Date | string | null;
  deleted_at: Date | string | null;
}

/** What became of a sync run: 'running' until it ends (or is found interrupted). */
export const SYNC_RUN_OUTCOMES = [
  'running',
  'success',
  'blocked',
  'limit_exceeded',
  'concurrent_limit',
  'failed',
  'awaiting_approval',
  'interrupted',
  // Enabling found a plan other than the one previewed: nothing applied, the admin reviews the new preview.
  'preview_stale',
] as const;
export type SyncRunOutcome = (typeof SYNC_RUN_OUTCOMES)[number];

/** What started a run: a poll (incremental or full), enabling Automatic Mode, or an approval decision. */
export type RunKind = 'incremental' | 'full' | 'enable' | 'approved' | 'rejected';

export interface SyncRunRow {
  id: string;
  kind: RunKind;
  started_at: Date | string;
  finished_at: Date | string | null;
  outcome: SyncRunOutcome;
  counts: unknown;
  api_calls: number;
  warnings: unknown;
  error: string | null;
}

export interface SyncConflictRow {
  id: string;
  kind: string;
  sf_user_id: string | null;
  user_id: string | null;
  email: string | null;
  details: unknown;
  status: 'open' | 'resolved' | 'dismissed';
  resolved_by: string | null;
  resolved_at: Date | string | null;
  created_at: Date | string;
}

export interface SyncApprovalRow {
  id: string;
  sync_run_id: string | null;
  suspend_count: number;
  total_users: number;
  plan: unknown;
  status: 'pending' | 'approved' | 'rejected';
  decided_by: string | null;
  decided_at: Date | string | null;
  created_at: Date | string;
}

export interface DriftRow {
  user_id: string;
  reason: string;
  approval_id: string | null;
  since: Date | string;
}

export interface SyncCursorRow {
  org_id: string;
  object: string;
  last_modstamp: Date | string | null;
  updated_at: Date | string;
}
