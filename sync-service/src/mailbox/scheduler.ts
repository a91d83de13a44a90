import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { runAlone } from '../db/run-alone.js';
import type { Queue } from '../shared/queue.js';
import type { ProbeEngine } from './engine.js';
import { providerOrgIds } from './repo.js';

export const QUEUES = { tick: 'mailbox.tick', org: 'mailbox.org', backfill: 'mailbox.backfill' } as const;

/** An org's probe run is bounded, so a slow provider never holds the org's job across many ticks. */
const orgRunSeconds = (tickSeconds: number) => Math.max(Math.max(1, Math.round(tickSeconds)) * 5, 30);

/** An org's probe job still active after this long belonged to a replica that died: pg-boss fails it. */
const orgJobExpireSeconds = (tickSeconds: number) => orgRunSeconds(tickSeconds) + 15;

/**
 * Through pg-boss, so replicas share the work: a tick (pg-boss cron, or for sub-minute ticks a per-replica
 * timer whose sends pg-boss dedupes) fans out one job per org per tick; each org job probes that org's due
 * users, whose atomic claims make every user probed once per interval however many replicas run.
 */
export async function startScheduler(deps: {
  db: Knex;
  queue: Queue;
  engine: ProbeEngine;
  log: FastifyBaseLogger;
  tickSeconds: number;
  orgWorkers?: number;
}) {
  const { db, queue, engine, log, tickSeconds } = deps;
  const window = Math.max(1, Math.round(tickSeconds));
  const guard = (what: string, work: () => Promise<unknown>) =>
    work().catch((err) => log.error({ err }, `mailbox ${what} failed`));

  const runSeconds = orgRunSeconds(tickSeconds);
  // Shutting down: runs end after their batch in flight, so the service's close does not wait out a whole run.
  let stopping = false;
  for (let i = 0; i < (deps.orgWorkers ?? 2); i += 1) {
    await queue.work<{ orgId: string }>(
      QUEUES.org,
      async ({ orgId }) => {
        // One run per org at a time, whichever replica: a tick's job that finds the org's run still going (a slow
        // provider) is done at once; the run of a replica killed mid-batch gives the org back as its connection drops.
        await guard('probe run', () =>
          runAlone(db, `mailbox.org:${orgId}`, () =>
            engine.runDue(orgId, { deadline: Date.now() + runSeconds * 1000, stopped: () => stopping }),
          ),
        );
      },
      { expireInSeconds: orgJobExpireSeconds(tickSeconds), policy: 'short' },
    );
  }
  await queue.work<{ orgId: string; userId: string }>(QUEUES.backfill, async ({ orgId, userId }) => {
    await guard('onboarding scan', () => engine.backfill(orgId, userId));
  });
  await queue.work(QUEUES.tick, async () => {
    for (const orgId of await providerOrgIds(db)) await queue.sendOncePer(QUEUES.org, orgId, window, { orgId });
  });

  if (tickSeconds >= 60) {
    await queue.schedule(QUEUES.tick, `*/${Math.max(1, Math.round(tickSeconds / 60))} * * * *`, {});
    return () => {
      stopping = true;
    };
  }
  const timer = setInterval(
    () => void guard('tick', () => queue.sendOncePer(QUEUES.tick, 'tick', window, {})),
    tickSeconds * 1000,
  );
  timer.unref();
  return () => {
    stopping = true;
    clearInterval(timer);
  };
}
