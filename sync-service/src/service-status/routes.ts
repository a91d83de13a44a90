import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { migrationStatus } from '../db/migrate.js';
import { createServiceStatus } from './service.js';

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

/** The per-org service status for monitoring (not Integration Health, which checks the integration user: health/). */
const statusRoutes: FastifyPluginAsyncZod = async (app) => {
  const status = createServiceStatus({ db: app.db, queue: app.queue });
  app.get('/api/v1/health', { schema: { tags: ['status'], response: { 200: ServiceHealth } } }, async (req) =>
    status.forOrg(req.scope),
  );
};

export default statusRoutes;
