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
 * Users the mailbox monitor may probe (everyone but data users), counted by status: from the users table itself, as
 * the deltas above count data users too.
 */
export async function monitoredStatusCounts(scope: OrgScope): Promise<Record<string, number>> {
  const rows: { status: string; n: string | number }[] = await scope
    .table('users')
    .whereNot('role', 'data')
    .groupBy('status')
    .select('status')
    .count({ n: '*' });
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
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

const settled = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    () => undefined,
  );

/**
 * The counts for many concurrent callers with one read per org at a time. A caller that finds a read in flight waits
 * for it and shares the next one: the read in flight began before the caller arrived and may miss a change the caller
 * must see (its own write, committed just before), the next begins after. So every answer is the database's as of a
 * moment after its request arrived, and 50 clients asking at once cost one or two reads instead of 50.
 */
export function sharedStatusCounts(
  read: (scope: OrgScope) => Promise<StatusCounts> = statusCounts,
): (scope: OrgScope) => Promise<StatusCounts> {
  const flights = new Map<string, { running: Promise<StatusCounts>; next: Promise<StatusCounts> | null }>();
  const launch = (scope: OrgScope) => {
    const flight = { running: read(scope), next: null as Promise<StatusCounts> | null };
    flights.set(scope.orgId, flight);
    void settled(flight.running).then(() => {
      if (flights.get(scope.orgId) === flight && !flight.next) flights.delete(scope.orgId);
    });
    return flight.running;
  };
  return (scope) => {
    const flight = flights.get(scope.orgId);
    if (!flight) return launch(scope);
    flight.next ??= settled(flight.running).then(() => launch(scope));
    return flight.next;
  };
}
