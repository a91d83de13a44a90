import type { Knex } from 'knex';
import { scoped, type OrgScope } from '../db/scoped.js';
import { findOrg } from '../orgs/repo.js';
import { dailyLimitResumesAt } from './limit-wait.js';
import * as repo from './repo.js';
import { latestRun } from './runs-repo.js';
import type { SyncApprovalRow, SyncConflictRow, SyncRunRow } from './rows.js';
import type { ModeState, SyncRun } from './schemas.js';
import { syncStopState } from './stop.js';

/** The sync's state as the admin reads it: the mode, the runs, conflicts, approvals and drift, in the API's shapes. */

export const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

export const toRun = (r: SyncRunRow): SyncRun => ({
  id: r.id,
  kind: r.kind,
  outcome: r.outcome,
  startedAt: iso(r.started_at)!,
  finishedAt: iso(r.finished_at),
  counts: json(r.counts) ?? {},
  apiCalls: r.api_calls,
  warnings: json(r.warnings) ?? [],
  error: r.error,
});

export const toConflict = (r: SyncConflictRow) => ({
  id: r.id,
  kind: r.kind,
  sfUserId: r.sf_user_id,
  userId: r.user_id,
  email: r.email,
  details: json(r.details) ?? {},
  status: r.status,
  createdAt: iso(r.created_at)!,
  resolvedAt: iso(r.resolved_at),
});

export const toApproval = (r: SyncApprovalRow) => ({
  id: r.id,
  syncRunId: r.sync_run_id,
  suspendCount: r.suspend_count,
  totalUsers: r.total_users,
  // suspendIds is the service's own record of what the approval covers (every id): not for the screen.
  plan: (({ suspendIds: _ids, ...shown }) => shown)(json(r.plan) ?? {}),
  status: r.status,
  createdAt: iso(r.created_at)!,
  decidedAt: iso(r.decided_at),
});

/** The sync's stop, in Automatic Mode only (in Manual Mode nothing syncs anyway). */
export async function stoppedState(scope: OrgScope, mode: string) {
  if (mode !== 'automatic') return null;
  const stop = await syncStopState(scope);
  return stop.stopped ? { message: stop.message!, missing: stop.missing, checkedAt: stop.checkedAt } : null;
}

/** Management mode, the latest run, what waits for an admin, and whether the sync is stopped or waiting for limits. */
export async function readModeState(db: Knex, orgId: string): Promise<ModeState> {
  const scope = scoped(db, orgId);
  const org = (await findOrg(db, orgId))!;
  const last = await latestRun(scope);
  return {
    mode: org.management_mode,
    hierarchySource: org.hierarchy_source,
    pollSeconds: org.sync_poll_seconds,
    lastRun: last
      ? {
          id: last.id,
          kind: last.kind,
          outcome: last.outcome,
          startedAt: iso(last.started_at)!,
          finishedAt: iso(last.finished_at),
        }
      : null,
    pendingApprovals: await repo.pendingApprovalCount(scope),
    openConflicts: await repo.openConflictCount(scope),
    limitWaitUntil: iso(await dailyLimitResumesAt(scope)),
    stopped: await stoppedState(scope, org.management_mode),
  };
}

/** Drift: still inactive in Salesforce, kept active by an admin's rejection, until suspended or back in Salesforce. */
export async function readDrift(scope: OrgScope) {
  const rows = await repo.listDrift(scope);
  return {
    count: rows.length,
    items: rows.map((r) => ({
      userId: r.user_id,
      email: r.email,
      name: `${r.first_name} ${r.last_name}`.trim(),
      sfUserId: r.sf_user_id,
      reason: r.reason,
      since: iso(r.since)!,
      approvalId: r.approval_id,
    })),
  };
}
