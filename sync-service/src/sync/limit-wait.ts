import type { OrgScope } from '../db/scoped.js';
import { latestFinishedRun } from './runs-repo.js';

/**
 * After a run stopped on the daily API allowance, scheduled polls leave Salesforce alone this long. Salesforce counts
 * the allowance over a rolling 24 hours, so room comes back gradually: one poll per wait finds out, at one call. The
 * concurrent long-request limit never waits: its refusals are retried within seconds and the next poll runs as usual.
 */
export const DAILY_LIMIT_WAIT_MS = 30 * 60_000;

/** When scheduled polls resume after the daily limit stopped the latest run; null when they are not waiting. */
export async function dailyLimitResumesAt(scope: OrgScope, now = Date.now()): Promise<Date | null> {
  const last = await latestFinishedRun(scope);
  if (last?.outcome !== 'limit_exceeded' || !last.finished_at) return null;
  const at = new Date(new Date(last.finished_at).getTime() + DAILY_LIMIT_WAIT_MS);
  return at.getTime() > now ? at : null;
}
