import { isDeepStrictEqual } from 'node:util';
import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { scoped } from '../db/scoped.js';
import type { Actor, SalesforceActor } from '../shared/audit.js';
import { fromDatabaseError } from '../shared/database-errors.js';
import { AppError, ConflictError, NotFoundError } from '../shared/errors.js';
import type { Queue } from '../shared/queue.js';
import { JobInterrupted, withProgress, type ProgressSink } from './progress.js';
import {
  activeJobOfLane,
  activeJobs,
  claimJob,
  findJob,
  insertJob,
  markJobFailed,
  markJobSucceeded,
  orphanedJobIds,
  queuedJobIds,
  requeueJob,
  stampJobHeartbeat,
  writeJobStep,
  type JobError,
  type JobRow,
  type JobStep,
  parsed,
} from './repo.js';
import { JOB_KINDS, type Job, type JobKindName, type JobParams } from './schemas.js';

// A standard queue: jobs of different orgs and lanes run side by side (the jobs table keeps one per lane and org).
// (The earlier 'roster-job' queue was stately, which ran one job at a time for everyone and held every job behind a
// dead replica's until pg-boss expired it.)
export const JOBS_QUEUE = 'roster-jobs';
/** How often a running job's progress is written (the screens poll every couple of seconds). */
const FLUSH_MS = 250;
/** pg-boss's own bound on an active job; a dead replica's job is handed back much sooner through its heartbeat. */
const EXPIRE_SECONDS = 15 * 60;
/** A running job's replica stamps it this often... */
const HEARTBEAT_MS = 10_000;
/** ...so a stamp older than this means the replica is gone, and another replica takes the job. */
const STALE_SECONDS = 45;

/** What one kind of job does: a service function called with the job's org, actor and parameters. */
export type JobHandlers = {
  [K in JobKindName]: (ctx: { orgId: string; actor: SalesforceActor; params: JobParams<K> }) => Promise<unknown>;
};

export interface JobRunnerDeps {
  db: Knex;
  queue: Queue | null;
  log: FastifyBaseLogger;
  handlers: JobHandlers;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** Lists longer than `limit` are cut; `omitted` says where and by how many (Apex's heap cannot hold 100k rows). */
function capLists(value: unknown, limit: number, path: string, omitted: Record<string, number>): unknown {
  if (Array.isArray(value)) {
    if (value.length > limit) omitted[path || '$'] = value.length - limit;
    return value.slice(0, limit).map((v, i) => capLists(v, limit, `${path}[${i}]`, omitted));
  }
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, capLists(v, limit, path ? `${path}.${k}` : k, omitted)]),
    );
  return value;
}

export function toJob(row: JobRow, listLimit = Infinity): Job {
  const omitted: Record<string, number> = {};
  const result =
    row.result === null || row.result === undefined ? null : capLists(parsed(row.result), listLimit, '', omitted);
  // An error's details can carry a whole plan (preview_stale's new preview): capped like a result.
  const stored = parsed(row.error) ?? null;
  const error =
    stored?.details === undefined
      ? stored
      : { ...stored, details: capLists(stored.details, listLimit, 'error.details', omitted) };
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    params: parsed(row.params) ?? {},
    phase: row.phase ?? null,
    done: row.done,
    total: row.total ?? null,
    result,
    omitted,
    error,
    attempts: row.attempts,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

/** Progress kept in memory and written at most every FLUSH_MS, never awaited by the work (see the PGlite note). */
function progressWriter(db: Knex, jobId: string, signal: AbortSignal, log: FastifyBaseLogger) {
  let step: JobStep | null = null;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    timer = null;
    if (!step) return;
    const written = step;
    // Chained, so writes land in order; a failed write only costs a stale progress bar.
    writing = writing.then(() =>
      writeJobStep(db, jobId, written).then(
        () => undefined,
        (err) => log.warn({ err, jobId }, 'job progress not written'),
      ),
    );
  };
  const sink: ProgressSink = {
    report(next) {
      if (signal.aborted && next.checkpoint !== false) throw new JobInterrupted();
      step = { phase: next.phase ?? step?.phase ?? null, done: next.done, total: next.total ?? null };
      timer ??= setTimeout(flush, FLUSH_MS);
    },
  };
  return {
    sink,
    /**
     * Writes the last step still waiting for its flush (a job shorter than FLUSH_MS would otherwise end without its
     * total) and waits for it, so the final state is written after it.
     */
    async settle() {
      if (timer) {
        clearTimeout(timer);
        flush();
      }
      await writing;
    },
  };
}

/**
 * Jobs: a row per job (state, progress, result or error) that any replica can read, run through pg-boss when the
 * queue is on (a job whose process stops is failed by pg-boss and retried by the next worker), else in this process
 * (queued jobs resume when the service starts again).
 */
export function createJobRunner({ db, queue, log, handlers }: JobRunnerDeps) {
  const running = new Map<string, AbortController>();
  let stopping = false;

  async function get(orgId: string, id: string, listLimit?: number): Promise<Job> {
    const row = await findJob(scoped(db, orgId), id);
    if (!row) throw new NotFoundError('Job', id);
    return toJob(row, listLimit);
  }

  async function listActive(orgId: string): Promise<Job[]> {
    const rows = await activeJobs(scoped(db, orgId));
    return rows.map((r) => toJob(r, 0));
  }

  /**
   * Records the job and hands it out; refused (409 job_running, with its id) while one of its lane is active.
   * `sameRequest` says the running job is this very request (kind and parameters) by this admin, so the caller can
   * follow it as its own (a double click, a second tab); anyone else's, or other work, is only named.
   */
  async function start(orgId: string, actor: Actor, kind: JobKindName, params: unknown): Promise<Job> {
    const { lane } = JOB_KINDS[kind];
    let row: JobRow;
    try {
      row = await insertJob(scoped(db, orgId), { kind, lane, params, actor });
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      const active = await activeJobOfLane(scoped(db, orgId), lane);
      const sameRequest =
        !!active &&
        active.kind === kind &&
        parsed(active.actor).id === actor.id &&
        // As stored: jsonb keeps no undefined values and no key order.
        isDeepStrictEqual(parsed(active.params), JSON.parse(JSON.stringify(params ?? {})));
      throw new ConflictError(
        'job_running',
        'This is already running: follow the running job instead of starting another.',
        { jobId: active?.id ?? null, kind: active?.kind ?? null, sameRequest },
      );
    }
    await dispatch(row.id);
    return toJob(row, 0);
  }

  /** Starts the job, or, while one of its lane already runs, answers with that one (background work). */
  async function startOrFollow(orgId: string, actor: Actor, kind: JobKindName, params: unknown): Promise<Job> {
    try {
      return await start(orgId, actor, kind, params);
    } catch (err) {
      const running = err instanceof ConflictError && (err.details as { jobId?: string; kind?: string } | undefined);
      if (running && running.jobId) return get(orgId, running.jobId, 0);
      throw err;
    }
  }

  async function dispatch(id: string) {
    if (queue) {
      await queue.ensureQueue(JOBS_QUEUE, 'standard', EXPIRE_SECONDS);
      await queue.send(JOBS_QUEUE, { jobId: id }, { retryLimit: 3, retryDelay: 1, expireInSeconds: EXPIRE_SECONDS });
    } else
      setImmediate(() =>
        execute(id).catch((err) => {
          if (!(err instanceof JobInterrupted)) log.error({ err, jobId: id }, 'job could not run');
        }),
      );
  }

  /** Runs one job to its end; rethrows only when interrupted by a shutdown, so pg-boss hands it out again. */
  async function execute(id: string): Promise<void> {
    if (stopping) throw new JobInterrupted();
    // Claimed when queued, or when running on a replica whose heartbeat stopped; one claimer wins (the row lock).
    const row = await claimJob(db, id, STALE_SECONDS);
    if (!row) return; // finished, or running on a live replica (a duplicate delivery)
    const controller = new AbortController();
    running.set(id, controller);
    // Not awaited by the work: on embedded PGlite it waits for the job's open transactions, never blocks them.
    const heartbeat = setInterval(() => {
      stampJobHeartbeat(db, id).catch((err) => log.warn({ err, jobId: id }, 'job heartbeat not written'));
    }, HEARTBEAT_MS);
    const progress = progressWriter(db, id, controller.signal, log);
    try {
      // The start parsed the params with the schema of the row's kind, so they are that kind's handler's.
      const handler = handlers[row.kind] as (ctx: {
        orgId: string;
        actor: Actor;
        params: Record<string, unknown>;
      }) => Promise<unknown>;
      const result = await withProgress(progress.sink, () =>
        handler({ orgId: row.org_id, actor: parsed(row.actor), params: parsed(row.params) }),
      );
      await progress.settle();
      await markJobSucceeded(db, id, result);
    } catch (err) {
      if (controller.signal.aborted) {
        await progress.settle();
        await requeueJob(db, id, 'Waiting for the service to restart');
        throw err instanceof JobInterrupted ? err : new JobInterrupted();
      }
      // As the error handler does for a request: a unique or foreign-key violation is the admin's conflict, named.
      const known = err instanceof AppError ? err : fromDatabaseError(err);
      const theirs = known !== null && known.statusCode < 500;
      const error: JobError = theirs
        ? {
            code: known.code,
            message: known.message,
            ...(known.details === undefined ? {} : { details: known.details }),
          }
        : { code: 'job_failed', message: `The job failed: ${err instanceof Error ? err.message : String(err)}` };
      if (!theirs) log.error({ err, jobId: id, kind: row.kind }, 'job failed');
      await progress.settle();
      await markJobFailed(db, id, error);
    } finally {
      clearInterval(heartbeat);
      running.delete(id);
    }
  }

  /** Jobs whose replica stopped stamping them go back on the queue; execute() claims each once. */
  async function handBackOrphans(): Promise<void> {
    const orphans = await orphanedJobIds(db, STALE_SECONDS);
    for (const id of orphans) await dispatch(id);
    if (orphans.length) log.warn({ jobs: orphans }, 'jobs of a stopped replica handed back');
  }
  let orphanTimer: NodeJS.Timeout | null = null;

  return {
    start,
    startOrFollow,
    get,
    listActive,
    execute,
    /** Workers on the queue (two jobs at a time per process); then what waits queued, and a watch for orphans. */
    async startWorkers() {
      if (queue) {
        await queue.ensureQueue(JOBS_QUEUE, 'standard', EXPIRE_SECONDS);
        for (let i = 0; i < 2; i += 1)
          await queue.work<{ jobId: string }>(JOBS_QUEUE, ({ jobId }) => execute(jobId), {
            pollingIntervalSeconds: 0.5,
          });
      }
      // Sent again (a duplicate delivery is a no-op): without a queue this is the one process, and with one, a job
      // sent to an earlier queue is not stranded.
      for (const id of await queuedJobIds(db)) await dispatch(id);
      const sweep = () => handBackOrphans().catch((err) => log.warn({ err }, 'orphaned jobs not checked'));
      await sweep();
      orphanTimer = setInterval(sweep, (STALE_SECONDS * 1000) / 3);
      orphanTimer.unref();
    },
    /**
     * Shutdown: every running job stops at its next progress checkpoint and goes back to the queue; waits up to `ms`
     * for that. A job that reaches no checkpoint in time stays 'running' and is handed out again all the same.
     */
    async interrupt(ms: number) {
      stopping = true;
      if (orphanTimer) clearInterval(orphanTimer);
      for (const controller of running.values()) controller.abort();
      const until = Date.now() + ms;
      while (running.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
