import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import type { Queue } from '../shared/queue.js';
import type { ProbeEngine } from './engine.js';
import { providerOrgIds } from './repo.js';

export const QUEUES = { tick: 'mailbox.tick', org: 'mailbox.org', backfill: 'mailbox.backfill' } as const;

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

  // Bounded, so a slow provider never holds an org's job across many ticks; a job active past its deadline
  // belonged to a replica that died, and pg-boss hands it back.
  const runSeconds = Math.max(window * 5, 30);
  for (let i = 0; i < (deps.orgWorkers ?? 2); i += 1) {
    await queue.work<{ orgId: string }>(
      QUEUES.org,
      async ({ orgId }) => {
        await guard('probe run', () => engine.runDue(orgId, { deadline: Date.now() + runSeconds * 1000 }));
      },
      { expireInSeconds: runSeconds + 15 },
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
    return () => {};
  }
  const timer = setInterval(
    () => void guard('tick', () => queue.sendOncePer(QUEUES.tick, 'tick', window, {})),
    tickSeconds * 1000,
  );
  timer.unref();
  return () => clearInterval(timer);
}
