import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { migrationStatus } from '../db/migrate.js';
import type { OrgScope } from '../db/scoped.js';
import { syncStopState } from '../sync/stop.js';

async function syncSummary(scope: OrgScope, mode: 'manual' | 'automatic') {
  if (mode !== 'automatic') return { state: 'manual' as const, message: null, missing: [] };
  const stop = await syncStopState(scope);
  return {
    state: stop.stopped ? ('stopped' as const) : ('running' as const),
    message: stop.message,
    missing: stop.missing,
  };
}

const Liveness = z.object({ status: z.literal('ok') });
const Readiness = z.object({
  ready: z.boolean(),
  database: z.enum(['ok', 'down']),
  migrations: z.enum(['current', 'pending', 'newer', 'unknown']),
  queue: z.enum(['ok', 'down', 'disabled']),
});
const ServiceHealth = z.object({
  database: z.enum(['ok', 'down']),
  queue: z.enum(['ok', 'down', 'disabled']),
  integration: z.object({
    overall: z.enum(['healthy', 'degraded', 'blocked', 'unavailable', 'unknown']),
    checkedAt: z.iso.datetime().nullable(),
  }),
  managementMode: z.enum(['manual', 'automatic']),
  /** Stopped while the latest Integration Health check is Blocked (Automatic Mode); it resumes once a check passes. */
  sync: z.object({
    state: z.enum(['manual', 'running', 'stopped']),
    message: z.string().nullable(),
    missing: z.array(z.string()),
  }),
});

/** Liveness and readiness for load balancers and orchestrators: no API key, so they live outside the API scope. */
export const livenessRoutes: FastifyPluginAsyncZod = async (app) => {
  // Liveness: the process answers. Nothing outside it is consulted, so a database outage never restarts replicas.
  app.get('/health', { schema: { hide: true, response: { 200: Liveness } } }, async () => ({ status: 'ok' as const }));

  // Readiness: this replica can serve: the database answers, its schema is this code's, and the job queue runs.
  app.get('/ready', { schema: { hide: true, response: { 200: Readiness, 503: Readiness } } }, async (_req, reply) => {
    const migrations = await migrationStatus(app.db)
      .then((m) => (m.unknown.length ? 'newer' : m.pending.length ? 'pending' : 'current'))
      .catch(() => 'unknown' as const);
    const database = migrations === 'unknown' ? 'down' : 'ok';
    const queue = !app.queue ? 'disabled' : app.queue.running ? 'ok' : 'down';
    const ready = database === 'ok' && migrations === 'current' && queue !== 'down';
    return reply.code(ready ? 200 : 503).send({ ready, database, migrations, queue });
  });
};

/** The per-org service status for monitoring. */
const statusRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/v1/health', { schema: { tags: ['status'], response: { 200: ServiceHealth } } }, async (req) => {
    const database = await app.db
      .raw('select 1')
      .then(() => 'ok' as const)
      .catch(() => 'down' as const);
    const queue = !app.queue
      ? ('disabled' as const)
      : await app.queue.raw
          .getQueues()
          .then(() => 'ok' as const)
          .catch(() => 'down' as const);
    const org = await req.scope.db('orgs').where({ id: req.org.id }).first('management_mode');
    const latest = await req.scope
      .table('integration_health_results')
      .orderBy('checked_at', 'desc')
      .first('overall', 'checked_at');
    return {
      database,
      queue,
      integration: {
        overall: latest?.overall ?? 'unknown',
        checkedAt: latest ? new Date(latest.checked_at).toISOString() : null,
      },
      managementMode: org.management_mode,
      sync: await syncSummary(req.scope, org.management_mode),
    };
  });
};

export default statusRoutes;
