import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';

export type JobHandler<T> = (data: T, job: { id: string; name: string }) => Promise<void>;

/**
 * pg-boss on the service's own database: any number of replicas share the work.
 * `sendOncePer` is the per-org singleton: pg-boss's unique (name, singleton window, key) index lets only
 * one replica enqueue a job for a key in a window, and the `stately` policy lets only one run at a time.
 */
export class Queue {
  private readonly boss: PgBoss;
  private readonly created = new Set<string>();

  constructor(
    connectionString: string,
    private readonly log: FastifyBaseLogger,
    opts: { max?: number } = {},
  ) {
    this.boss = new PgBoss({ connectionString, max: opts.max ?? 4, schema: 'pgboss' });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  start = async () => {
    await this.boss.start();
  };

  stop = async () => {
    // Graceful: running jobs finish (up to the timeout) before the pool closes.
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  };

  async ensureQueue(name: string, policy: 'standard' | 'stately' | 'singleton' = 'stately') {
    if (this.created.has(name)) return;
    if (!(await this.boss.getQueue(name))) await this.boss.createQueue(name, { name, policy });
    this.created.add(name);
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
  async work<T extends object>(name: string, handler: JobHandler<T>, opts: { pollingIntervalSeconds?: number } = {}) {
    await this.ensureQueue(name);
    return this.boss.work<T>(name, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 1 }, async (jobs) => {
      for (const job of jobs) await handler(job.data, { id: job.id, name: job.name });
    });
  }

  /** A cron schedule (minute resolution), one per queue name across all replicas. */
  async schedule<T extends object>(name: string, cron: string, data: T) {
    await this.ensureQueue(name);
    await this.boss.schedule(name, cron, data);
  }

  async getJob(name: string, id: string) {
    return this.boss.getJobById(name, id);
  }

  get raw(): PgBoss {
    return this.boss;
  }
}
