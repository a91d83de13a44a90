import type { Connection } from 'jsforce';
import type { OrgScope } from '../db/scoped.js';
import { runHealthCheck } from '../health/check.js';
import { healthRepo } from '../health/repo.js';
import type { HealthItem, StoredHealthReport } from '../health/schemas.js';

/**
 * One truth about stopping: the sync is stopped while the latest integration-health check is Blocked, and resumes by
 * itself once a check passes. The full check re-runs at least this often (at the next poll), and at the poll right
 * after a blocked run, so a fix is seen within one poll interval.
 */
export const HEALTH_RECHECK_MS = 15 * 60_000;

export interface SyncStop {
  stopped: boolean;
  /** Why, naming each missing required item and the fix's place; null while the sync runs. */
  message: string | null;
  /** Each missing required item: `Object.Field` for fields, the permission's name otherwise. */
  missing: string[];
  checkedAt: string | null;
}

const nameOf = (i: HealthItem) =>
  i.object && i.field
    ? `${i.object}.${i.field}`
    : i.object && i.category === 'objectPermission'
      ? `${i.object} (${i.label})`
      : i.label;

/** What the latest check means for the sync. */
export function stopOf(report: StoredHealthReport | null): SyncStop {
  if (!report || report.overall !== 'blocked')
    return { stopped: false, message: null, missing: [], checkedAt: report?.checkedAt ?? null };
  const missing = report.items.filter((i) => i.status === 'missing' && i.severity === 'required').map(nameOf);
  return {
    stopped: true,
    missing,
    checkedAt: report.checkedAt,
    message:
      `Salesforce sync stopped: the latest Integration Health check is Blocked; the integration user is missing ` +
      `${missing.length === 1 ? 'this required item' : 'these required items'}: ${missing.join(', ')}. ` +
      'Integration Health shows the fix for each. The sync resumes by itself once the check passes (it runs again at the next poll).',
  };
}

/**
 * The latest check, run again (as the integration user, through the run's own session so its calls are counted) when
 * there is none, it is older than HEALTH_RECHECK_MS, `force`, or it is older than `blockedRunAt` (the previous run was
 * blocked on a check it did not run itself: check once more right away; a block the check just confirmed waits the
 * 15 minutes, so a long-blocked org does not pay for a full check on every poll). `ran` says whether it ran.
 */
export async function currentHealth(
  scope: OrgScope,
  conn: Connection,
  opts: { force?: boolean; blockedRunAt?: Date | null; now?: number } = {},
): Promise<{ report: StoredHealthReport; ran: boolean }> {
  const latest = await healthRepo.latest(scope);
  const now = opts.now ?? Date.now();
  const checkedAt = latest ? Date.parse(latest.checkedAt) : 0;
  const afterBlock = !!opts.blockedRunAt && checkedAt < opts.blockedRunAt.getTime();
  if (latest && !opts.force && !afterBlock && now - checkedAt < HEALTH_RECHECK_MS)
    return { report: latest, ran: false };
  return { report: await healthRepo.insert(scope, await runHealthCheck(conn)), ran: true };
}

/** The sync's stop state as the status API and the mode state show it (no Salesforce call). */
export async function syncStopState(scope: OrgScope): Promise<SyncStop> {
  return stopOf(await healthRepo.latest(scope));
}
