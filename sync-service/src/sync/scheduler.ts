import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import type { Queue } from '../shared/queue.js';
import { scoped } from '../db/scoped.js';
import { automaticOrgs, findOrg } from '../orgs/repo.js';
import { AppError } from '../shared/errors.js';
import { dailyLimitResumesAt } from './limit-wait.js';
import { pollSync, type SyncDeps } from './runner.js';

export const SYNC_JOB = 'salesforce-sync';
const TICK_JOB = 'salesforce-sync-tick';
/** Polls start this much before the interval is up: queue pickup and the run itself fit in it. */
export const POLL_LEAD_SECONDS = 5;
/** A sync job still active after this long belonged to a replica that died: pg-boss fails it. */
export const SYNC_JOB_EXPIRE_SECONDS = 60;

/**
 * Polls every org in Automatic Mode at its interval (orgs.sync_poll_seconds, default 60 s): each run queues the next
 * one; a minute cron is the safety net (after a restart or enabling), enqueuing through sendOncePer, whose singleton
 * key lets only one replica enqueue per window. The queue's short policy keeps one poll per org queued; the org's run
 * lock (runner.ts) lets one run per org at a time across replicas (a replica killed mid-run gives it back as its
 * connection drops), and the apply also locks the org row.
 */
export async function startSyncScheduler(queue: Queue, deps: SyncDeps & { log: FastifyBaseLogger }) {
  await queue.work<{ orgId: string }>(
    SYNC_JOB,
    async ({ orgId }) => {
      try {
        // The daily API allowance is used up: leave Salesforce alone until the wait is over (the tick re-enqueues).
        const resumes = await dailyLimitResumesAt(scoped(deps.db, orgId));
        if (resumes) return;
        // Skipped while another run of the org is going (another replica's poll, an admin's run); the next poll is
        // queued either way (one waits per org), so polls go on after an admin's run too.
        await pollSync(deps, orgId);
        // The next poll is queued from this one's start, a little early, so a change waits at most the interval.
        const org = await findOrg(deps.db, orgId);
        if (org?.management_mode === 'automatic') {
          await queue.send(
            SYNC_JOB,
            { orgId },
            { singletonKey: orgId, startAfter: Math.max(5, org.sync_poll_seconds - POLL_LEAD_SECONDS) },
          );
        }
      } catch (err) {
        // Not in Automatic Mode any more, or waiting for an approval: nothing to do until that changes.
        if (!(err instanceof AppError && err.statusCode < 500))
          deps.log.error({ err, orgId }, 'scheduled salesforce sync failed');
      }
    },
    { expireInSeconds: SYNC_JOB_EXPIRE_SECONDS, policy: 'short' },
  );
  await queue.work(TICK_JOB, async () => enqueueDue(queue, deps.db));
  await queue.schedule(TICK_JOB, '* * * * *', {});
}

export async function enqueueDue(queue: Queue, db: Knex) {
  for (const org of await automaticOrgs(db))
    await queue.sendOncePer(SYNC_JOB, org.id, Math.max(10, org.sync_poll_seconds - 5), { orgId: org.id });
}
