import PgBoss from 'pg-boss';
import { QUEUE_SCHEMA } from './queue-schema.js';
import type { FastifyBaseLogger } from 'fastify';

/** How often pg-boss looks for expired jobs: a dead replica's job is handed back at most this long after it expires. */
const QUEUE_MAINTENANCE_SECONDS = 15;

export type JobHandler<T> = (data: T, job: { id: string; name: string }) => Promise<void>;

export type QueuePolicy = 'standard' | 'stately' | 'singleton' | 'short';

/**
 * pg-boss on the service's own database: any number of replicas share the work.
 * `sendOncePer` is the per-org singleton: pg-boss's unique (name, singleton window, key) index lets only
 * one replica enqueue a job for a key in a window, and the `stately` policy lets only one run at a time. Queues whose
 * keys are orgs use `short` (one queued per key, any number active) with db/run-alone.ts guarding the run instead:
 * under `stately`, a queued job whose key is still active (a slow run, or one a killed replica held) cannot be
 * promoted, and pg-boss's fetch, which always takes the oldest first, then fails for every key of the queue.
 */
export class Queue {
  private readonly boss: PgBoss;
  /** Each queue's policy as this process ensured it. */
  private readonly created = new Map<string, QueuePolicy>();
  private readonly policies = new Map<string, QueuePolicy>();

  constructor(
    connectionString: string,
    private readonly log: FastifyBaseLogger,
    opts: { max?: number } = {},
  ) {
    // Maintenance expires the jobs of a replica that died mid-job; every 15 s so its work is handed back quickly.
    this.boss = new PgBoss({
      connectionString,
      max: opts.max ?? 4,
      schema: QUEUE_SCHEMA,
      maintenanceIntervalSeconds: QUEUE_MAINTENANCE_SECONDS,
    });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private starting: Promise<void> | null = null;

  /** Started and not stopping: /ready reports it. */
  get running() {
    return this.state === 'running';
  }

  /**
   * Starts pg-boss, once: the app starts it after it listens (app.ts), and every other call here waits for it, so
   * a job sent while it starts is queued all the same.
   */
  start = (): Promise<void> =>
    (this.starting ??= this.boss.start().then(() => {
      if (this.state === 'idle') this.state = 'running';
    }));

  stop = async () => {
    this.state = 'stopped';
    if (!this.starting) return;
    await this.starting.catch(() => {});
    // Graceful: running jobs finish (up to the timeout) before the pool closes.
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  };

  /**
   * Creates the queue once. `expireInSeconds` bounds how long a job may stay active: a replica killed mid-job
   * (SIGKILL, OOM) never finishes it, and the stately policy would hold that key's next job back until it expires.
   */
  async ensureQueue(name: string, policy?: QueuePolicy, expireInSeconds?: number) {
    await this.start();
    if (policy) this.policies.set(name, policy);
    const wanted = this.policies.get(name) ?? 'stately';
    if (this.created.get(name) === wanted && !expireInSeconds) return;
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = await this.boss.getQueue(name);
        if (!existing)
          await this.boss.createQueue(name, {
            name,
            policy: wanted,
            ...(expireInSeconds ? { expireInSeconds } : {}),
          });
        else if (existing.policy !== wanted || (expireInSeconds && existing.expireInSeconds !== expireInSeconds))
          // A queue an older release created keeps its name: its policy and expiry follow this code.
          await this.boss.updateQueue(name, {
            name,
            policy: wanted,
            expireInSeconds: expireInSeconds ?? existing.expireInSeconds,
          });
        break;
      } catch (err) {
        // Replicas starting together create the same queues at once: PostgreSQL answers one of them with a
        // deadlock or a duplicate; the queue then exists, so look again.
        const code = (err as { code?: string }).code;
        if (attempt >= 5 || !['40P01', '23505', '42P07'].includes(code ?? '')) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
    this.created.set(name, wanted);
  }

  /** Enqueues `name` for `key` at most once per `windowSeconds`, whichever replica asks first. Null when already queued. */
  async sendOncePer<T extends object>(
    name: string,
    key: string,
    windowSeconds: number,
    data: T,
  ): Promise<string | null> {
    await this.ensureQueue(name);
    return this.boss.send(name, data, { singletonKey: key, singletonSeconds: windowSeconds });
  }

  async send<T extends object>(name: string, data: T, options: PgBoss.SendOptions = {}): Promise<string | null> {
    await this.ensureQueue(name);
    return this.boss.send(name, data, options);
  }

  /** Runs `handler` for each job of `name`; a thrown error fails the job (pg-boss retries per its policy). */
  async work<T extends object>(
    name: string,
    handler: JobHandler<T>,
    opts: { pollingIntervalSeconds?: number; expireInSeconds?: number; policy?: QueuePolicy } = {},
  ) {
    await this.ensureQueue(name, opts.policy, opts.expireInSeconds);
    // Each worker polls at its own pace (±20 %): at one fixed period, replicas started together poll in lockstep
    // and the one a hair ahead takes every job, and a worker that queues its org's next run takes that one too.
    const every = Math.max(0.5, (opts.pollingIntervalSeconds ?? 1) * (0.8 + Math.random() * 0.4));
    return this.boss.work<T>(name, { pollingIntervalSeconds: every }, async (jobs) => {
      for (const job of jobs) await handler(job.data, { id: job.id, name: job.name });
    });
  }

  /** A cron schedule (minute resolution), one per queue name across all replicas. */
  async schedule<T extends object>(name: string, cron: string, data: T) {
    await this.ensureQueue(name);
    await this.boss.schedule(name, cron, data);
  }

  async getJob(name: string, id: string) {
    await this.start();
    return this.boss.getJobById(name, id);
  }

  get raw(): PgBoss {
    return this.boss;
  }
}
