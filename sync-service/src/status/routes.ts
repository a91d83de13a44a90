import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Liveness = z.object({ status: z.literal('ok') });
const ServiceHealth = z.object({
  database: z.enum(['ok', 'down']),
  queue: z.enum(['ok', 'down', 'disabled']),
  integration: z.object({
    overall: z.enum(['healthy', 'degraded', 'blocked', 'unavailable', 'unknown']),
    checkedAt: z.iso.datetime().nullable(),
  }),
  managementMode: z.enum(['manual', 'automatic']),
});

/** Liveness for load balancers: no API key, so it lives outside the API scope. */
export const livenessRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', { schema: { hide: true, response: { 200: Liveness } } }, async () => ({ status: 'ok' as const }));
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
    };
  });
};

export default statusRoutes;
