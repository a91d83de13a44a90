import fp from 'fastify-plugin';
import { createProbeEngine } from './engine.js';
import { createClientCache } from './providers.js';
import { QUEUES, startScheduler } from './scheduler.js';
import { createMailboxService } from './service.js';

/** The mailbox access monitor: probes on a schedule and the service its routes (in app.ts's API scope) call. */
export default fp(
  async (app) => {
    const c = app.config;
    const clients = createClientCache(app.secrets);
    const queue = app.queue;
    const engine = createProbeEngine({
      db: app.db,
      clients,
      log: app.serviceLog,
      onOutcome: app.metrics.probeOutcome,
      options: {
        intervalSeconds: c.MAILBOX_INTERVAL_SECONDS,
        recheckSeconds: c.MAILBOX_RECHECK_SECONDS,
        backfillDays: c.MAILBOX_BACKFILL_DAYS,
      },
      ...(queue
        ? {
            enqueueBackfill: async (orgId: string, userId: string) =>
              void (await queue.send(QUEUES.backfill, { orgId, userId }, { singletonKey: userId })),
          }
        : {}),
    });
    const service = createMailboxService({
      db: app.db,
      secrets: app.secrets,
      engine,
      clients,
      customEndpoints: c.MAILBOX_CUSTOM_ENDPOINTS,
      intervalSeconds: c.MAILBOX_INTERVAL_SECONDS,
      testAccessPerMinute: c.MAILBOX_TEST_ACCESS_PER_MINUTE,
    });

    if (queue && c.MAILBOX_PROBES_ENABLED) {
      let stop: (() => void) | undefined;
      app.inBackground(async () => {
        stop = await startScheduler({ db: app.db, queue, engine, log: app.log, tickSeconds: c.MAILBOX_TICK_SECONDS });
      });
      app.addHook('preClose', async () => stop?.());
    }
    app.decorate('mailbox', { engine, service });
  },
  { name: 'mailbox', dependencies: ['request-id', 'db', 'queue', 'secrets', 'metrics'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    mailbox: { engine: ReturnType<typeof createProbeEngine>; service: ReturnType<typeof createMailboxService> };
  }
}
