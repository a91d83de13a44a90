import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withSalesforceId } from '../plugins/actor.js';
import { Job, JobList, JobListQuery, JobParam, JobQuery, StartJobBody, type JobKindName } from './schemas.js';

/** Long operations as jobs: start one (answers at once with its id), read its state and progress, list the running. */
const jobRoutes: FastifyPluginAsyncZod = async (app) => {
  const { jobs } = app;
  const tags = ['jobs'];
  // The actor is kept with the job, with their Salesforce user id: a job's file is shared with that user, and a mode
  // switch checks it cannot lock them out.
  app.post('/api/v1/jobs', { schema: { tags, body: StartJobBody, response: { 202: Job } } }, async (req, reply) => {
    const actor = withSalesforceId(req.actor!, req.headers);
    return reply.code(202).send(await jobs.start(req.org.id, actor, req.body.kind as JobKindName, req.body.params));
  });
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
