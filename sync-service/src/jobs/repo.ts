import type { Knex } from 'knex';
import type { OrgScope } from '../db/scoped.js';
import type { Actor } from '../shared/audit.js';
import { ACTIVE_STATES, type Job } from './schemas.js';

/** A row of the jobs table; jsonb columns arrive parsed (or as text from a raw query: see `parsed`). */
export interface JobRow {
  id: string;
  org_id: string;
  kind: Job['kind'];
  lane: string;
  state: Job['state'];
  params: Record<string, unknown> | string;
  actor: Actor | string;
  phase: string | null;
  done: number;
  total: number | null;
  result: unknown;
  error: JobError | string | null;
  attempts: number;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  updated_at: Date | string;
  heartbeat_at: Date | string | null;
}

/** Where a running job stands, as its progress bar shows it. */
export interface JobStep {
  phase: string | null;
  done: number;
  total: number | null;
}

/** A job's error as the screens show it: a code and a message in the admin's words. */
export interface JobError {
  code: string;
  message: string;
  details?: unknown;
}

/** A jsonb column's value, parsed when it arrived as text. */
export const parsed = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

// The worker knows a job by its id alone (a queue message names no org), so the calls below the org-scoped ones take
// the database, not a scope.

export async function findJob(scope: OrgScope, id: string): Promise<JobRow | undefined> {
  return scope.table('jobs').where('id', id).first();
}

/** The org's queued and running jobs, oldest first. */
export async function activeJobs(scope: OrgScope): Promise<JobRow[]> {
  return scope.table('jobs').whereIn('state', ACTIVE_STATES).orderBy('created_at');
}

/** Records a queued job; a second active job of its lane breaks the unique index (23505). */
export async function insertJob(
  scope: OrgScope,
  job: Pick<JobRow, 'kind' | 'lane'> & { params: unknown; actor: Actor },
): Promise<JobRow> {
  const [row]: JobRow[] = await scope
    .insert('jobs', {
      kind: job.kind,
      lane: job.lane,
      params: JSON.stringify(job.params ?? {}),
      actor: JSON.stringify(job.actor),
    })
    .returning('*');
  return row!;
}

/** The org's active job of a lane (the one a second start of that lane is refused for). */
export async function activeJobOfLane(
  scope: OrgScope,
  lane: string,
): Promise<Pick<JobRow, 'id' | 'kind' | 'params' | 'actor'> | undefined> {
  return scope.table('jobs').where('lane', lane).whereIn('state', ACTIVE_STATES).first('id', 'kind', 'params', 'actor');
}

/** No stamp at all: a job that was running before heartbeats existed. */
const staleSince = (db: Knex, seconds: number) => (q: Knex.QueryBuilder) =>
  q.whereNull('heartbeat_at').orWhere('heartbeat_at', '<', db.raw(`now() - interval '${seconds} seconds'`));

/**
 * Claims a job to run: queued, or running on a replica whose heartbeat is older than `staleSeconds`. One claimer
 * wins (the row lock); the others get undefined, as does a finished job.
 */
export async function claimJob(db: Knex, id: string, staleSeconds: number): Promise<JobRow | undefined> {
  const [row]: JobRow[] = await db('jobs')
    .where({ id })
    .where((q) =>
      q.where('state', 'queued').orWhere((r) => r.where('state', 'running').where(staleSince(db, staleSeconds))),
    )
    .update({
      state: 'running',
      attempts: db.raw('attempts + 1'),
      started_at: db.raw('coalesce(started_at, now())'),
      heartbeat_at: db.fn.now(),
      updated_at: db.fn.now(),
    })
    .returning('*');
  return row;
}

/** Writes a running job's progress (a finished job's is left alone). */
export async function writeJobStep(db: Knex, id: string, step: JobStep): Promise<void> {
  await db('jobs')
    .where({ id, state: 'running' })
    .update({ phase: step.phase, done: step.done, total: step.total, updated_at: db.fn.now() });
}

/** Stamps a running job as alive on this replica. */
export async function stampJobHeartbeat(db: Knex, id: string): Promise<void> {
  await db('jobs').where({ id, state: 'running' }).update({ heartbeat_at: db.fn.now() });
}

/** Ends a job with its result; work of unknown size ends as one whole step. */
export async function markJobSucceeded(db: Knex, id: string, result: unknown): Promise<void> {
  await db('jobs')
    .where({ id })
    .update({
      state: 'succeeded',
      result: JSON.stringify(result ?? null),
      phase: 'Done',
      done: db.raw('coalesce(total, greatest(done, 1))'),
      total: db.raw('coalesce(total, greatest(done, 1))'),
      finished_at: db.fn.now(),
      updated_at: db.fn.now(),
    });
}

/** Ends a job with its error. */
export async function markJobFailed(db: Knex, id: string, error: JobError): Promise<void> {
  await db('jobs')
    .where({ id })
    .update({ state: 'failed', error: JSON.stringify(error), finished_at: db.fn.now(), updated_at: db.fn.now() });
}

/** Puts an interrupted job back in the queue, saying why it waits. */
export async function requeueJob(db: Knex, id: string, phase: string): Promise<void> {
  await db('jobs').where({ id }).update({ state: 'queued', phase, updated_at: db.fn.now() });
}

/** Every org's queued jobs, oldest first. */
export async function queuedJobIds(db: Knex): Promise<string[]> {
  return db('jobs').where('state', 'queued').orderBy('created_at').pluck('id');
}

/** Running jobs whose replica stopped stamping them more than `staleSeconds` ago. */
export async function orphanedJobIds(db: Knex, staleSeconds: number): Promise<string[]> {
  return db('jobs').where('state', 'running').where(staleSince(db, staleSeconds)).pluck('id');
}
