import type { Knex } from 'knex';
import type { SyncRunOutcome, SyncRunRow } from '../sync/rows.js';
import type { UserRow } from '../users/repo.js';

// What /metrics reads at scrape time, across every org (the one place that reads tenant data unscoped: Prometheus
// labels each series by org). Counts arrive as text from PostgreSQL's bigint, hence the Number().

export interface UsersByStatus {
  orgId: string;
  status: UserRow['status'];
  count: number;
}

/** Each org's users, counted by status. */
export async function countUsersByStatus(db: Knex): Promise<UsersByStatus[]> {
  const rows: { org_id: string; status: UserRow['status']; n: string | number }[] = await db('users')
    .select('org_id', 'status')
    .count({ n: '*' })
    .groupBy('org_id', 'status');
  return rows.map((r) => ({ orgId: r.org_id, status: r.status, count: Number(r.n) }));
}

/** An org in Automatic Mode, with its last sync run (if any) and the start of its last successful one. */
export interface LastSyncRuns {
  org_id: string;
  outcome: SyncRunRow['outcome'] | null;
  started_at: SyncRunRow['started_at'] | null;
  finished_at: SyncRunRow['finished_at'];
  ok_started_at: SyncRunRow['started_at'] | null;
}

export async function lastSyncRuns(db: Knex): Promise<LastSyncRuns[]> {
  const success: SyncRunOutcome = 'success';
  return db
    .select('o.id as org_id', 'r.outcome', 'r.started_at', 'r.finished_at', 'ok.started_at as ok_started_at')
    .from('orgs as o')
    .where('o.management_mode', 'automatic')
    .joinRaw(
      `left join lateral (select outcome, started_at, finished_at from sync_runs s
         where s.org_id = o.id order by started_at desc limit 1) r on true`,
    )
    .joinRaw(
      `left join lateral (select started_at from sync_runs s
         where s.org_id = o.id and s.outcome = ? order by started_at desc limit 1) ok on true`,
      [success],
    );
}

export interface QueueJobs {
  queue: string;
  state: 'queued' | 'running' | 'failed';
  count: number;
}

/** pg-boss's unfinished and failed jobs, by queue and state (created and retry both count as queued). */
export async function countQueueJobs(db: Knex): Promise<QueueJobs[]> {
  const rows: { name: string; state: QueueJobs['state']; n: string | number }[] = await db
    .withSchema('pgboss')
    .from('job')
    .select('name')
    .select(
      db.raw(
        `case when state in ('created', 'retry') then 'queued' when state = 'active' then 'running' else state::text end as state`,
      ),
    )
    .count({ n: '*' })
    .whereIn('state', ['created', 'retry', 'active', 'failed'])
    .groupByRaw('1, 2');
  return rows.map((r) => ({ queue: r.name, state: r.state, count: Number(r.n) }));
}
