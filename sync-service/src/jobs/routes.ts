import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createJobHandlers } from './handlers.js';
import { createJobRunner } from './runner.js';
import { Job, JobList, JobListQuery, JobParam, JobQuery, StartJobBody, type JobKindName } from './schemas.js';

/** Long operations as jobs: start one (answers at once with its id), read its state and progress, list the running. */
const jobRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = { db: app.db, salesforce: app.salesforce, log: app.log, queue: app.queue };
  const jobs = createJobRunner({ ...deps, handlers: createJobHandlers(deps) });
  app.addHook('onReady', () => jobs.startWorkers());
  // Before the queue and the database close: running jobs stop at a checkpoint and go back to the queue.
  app.addHook('preClose', () => jobs.interrupt(app.config.SHUTDOWN_TIMEOUT_MS));

  const tags = ['jobs'];
  app.post('/api/v1/jobs', { schema: { tags, body: StartJobBody, response: { 202: Job } } }, async (req, reply) =>
    reply.code(202).send(await jobs.start(req.org.id, req.actor!, req.body.kind as JobKindName, req.body.params)),
  );
  app.get('/api/v1/jobs', { schema: { tags, querystring: JobListQuery, response: { 200: JobList } } }, async (req) => ({
    items: await jobs.listActive(req.org.id),
  }));
  app.get(
    '/api/v1/jobs/:id',
    { schema: { tags, params: JobParam, querystring: JobQuery, response: { 200: Job } } },
    (req) => jobs.get(req.org.id, req.params.id, req.query.listLimit),
  );
};

export default jobRoutes;
