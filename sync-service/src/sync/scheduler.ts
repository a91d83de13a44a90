import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import type { Queue } from '../shared/queue.js';
import { AppError } from '../shared/errors.js';
import { runSync, type SyncDeps } from './runner.js';

export const SYNC_JOB = 'salesforce-sync';
const TICK_JOB = 'salesforce-sync-tick';

/**
 * Polls every org in Automatic Mode at its interval (orgs.sync_poll_seconds, default 60 s). A minute cron enqueues
 * one job per org through sendOncePer, whose singleton key lets only one replica enqueue it per window, and the
 * queue's stately policy lets only one run per org at a time across replicas (the run also locks the org row).
 */
export async function startSyncScheduler(queue: Queue, deps: SyncDeps & { log: FastifyBaseLogger }) {
  await queue.work<{ orgId: string }>(SYNC_JOB, async ({ orgId }) => {
    try {
      await runSync(deps, orgId);
    } catch (err) {
      // Not in Automatic Mode any more, or waiting for an approval: nothing to do until that changes.
      if (!(err instanceof AppError && err.statusCode < 500)) deps.log.error({ err, orgId }, 'scheduled salesforce sync failed');
    }
  });
  await queue.work(TICK_JOB, async () => enqueueDue(queue, deps.db));
  await queue.schedule(TICK_JOB, '* * * * *', {});
}

export async function enqueueDue(queue: Queue, db: Knex) {
  const orgs: { id: string; sync_poll_seconds: number }[] = await db('orgs').where('management_mode', 'automatic').select('id', 'sync_poll_seconds');
  for (const org of orgs) await queue.sendOncePer(SYNC_JOB, org.id, Math.max(10, org.sync_poll_seconds - 5), { orgId: org.id });
}
