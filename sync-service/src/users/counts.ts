import type { OrgScope } from '../db/scoped.js';
import type { StatusCounts } from './schemas.js';

/** Past this many delta rows for an org, a read folds them into one row per status. */
const FOLD_AFTER_ROWS = 64;

/**
 * The page header's live counts, from the deltas the users triggers keep (migration keep_user_status_counts):
 * a few rows summed, however many users the org has.
 */
export async function statusCounts(scope: OrgScope): Promise<StatusCounts> {
  const rows: { status: string; n: number; rows: number }[] = await scope
    .table('user_status_counts')
    .select('status', scope.db.raw('sum(delta)::int AS n'), scope.db.raw('count(*)::int AS rows'))
    .groupBy('status');
  const n = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  if (rows.reduce((sum, r) => sum + r.rows, 0) > FOLD_AFTER_ROWS) await foldDeltas(scope);
  const counts = {
    pending: n.pending ?? 0,
    onboarding: n.onboarding ?? 0,
    permissionErrors: n.permission_error ?? 0,
    active: n.active ?? 0,
    suspended: n.suspended ?? 0,
  };
  return { total: Object.values(counts).reduce((a, b) => a + b, 0), ...counts };
}

/**
 * Replaces an org's delta rows by their sums, in one statement. SKIP LOCKED leaves rows another fold is replacing to
 * that fold, and rows of uncommitted writers are not visible yet, so nothing is counted twice or lost, and no writer
 * or reader ever waits on a fold.
 */
export async function foldDeltas(scope: OrgScope): Promise<void> {
  await scope.db.raw(
    `WITH folded AS (
       DELETE FROM user_status_counts WHERE id IN (
         SELECT id FROM user_status_counts WHERE org_id = ? FOR UPDATE SKIP LOCKED)
       RETURNING status, delta)
     INSERT INTO user_status_counts (org_id, status, delta)
     SELECT ?, status, sum(delta) FROM folded GROUP BY status HAVING sum(delta) <> 0`,
    [scope.orgId, scope.orgId],
  );
}
