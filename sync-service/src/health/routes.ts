import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { History, HistoryQuery, StoredHealthReport } from './schemas.js';
import { createHealthService } from './service.js';

const tags = ['integration-health'];

/** The integration user's health (SPEC section 6): the latest result, a re-run, and the history. */
const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const health = createHealthService({ db: app.db, salesforce: app.salesforce });

  // null until the first check has run (POST runs one).
  app.get(
    '/api/v1/integration-health',
    { schema: { tags, response: { 200: StoredHealthReport.nullable() } } },
    async (req) => health.latest(req.scope),
  );

  app.post(
    '/api/v1/integration-health',
    { schema: { tags, response: { 201: StoredHealthReport } } },
    async (req, reply) => reply.code(201).send(await health.run(req.org.id)),
  );

  app.get(
    '/api/v1/integration-health/history',
    { schema: { tags, querystring: HistoryQuery, response: { 200: History } } },
    async (req) => ({
      results: await health.history(req.scope, req.query),
    }),
  );
};

export default healthRoutes;
