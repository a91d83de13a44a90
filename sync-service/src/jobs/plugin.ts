import fp from 'fastify-plugin';
import { createJobHandlers } from './handlers.js';
import { createJobRunner, type JobRunner } from './runner.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobRunner;
  }
}

/** The job runner, shared by the routes that start jobs; its workers start with the app and stop before the queue. */
export default fp(
  async (app) => {
    const deps = { db: app.db, salesforce: app.salesforce, log: app.serviceLog, queue: app.queue };
    const jobs = createJobRunner({ ...deps, handlers: createJobHandlers(deps) });
    app.decorate('jobs', jobs);
    app.inBackground(() => jobs.startWorkers());
    // Before the queue and the database close: running jobs stop at a checkpoint and go back to the queue.
    app.addHook('preClose', () => jobs.interrupt(app.config.SHUTDOWN_TIMEOUT_MS));
  },
  { name: 'jobs', dependencies: ['request-id', 'db', 'queue', 'salesforce'] },
);
