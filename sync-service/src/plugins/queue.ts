import fp from 'fastify-plugin';
import { Queue } from '../shared/queue.js';

declare module 'fastify' {
  interface FastifyInstance {
    queue: Queue | null;
  }
}

/** The job queue, started once the app listens and stopped (gracefully) when it closes. */
export default fp<{ databaseUrl: string; enabled: boolean }>(
  async (app, opts) => {
    if (!opts.enabled) {
      app.decorate('queue', null);
      return;
    }
    const queue = new Queue(opts.databaseUrl, app.log);
    app.inBackground(queue.start);
    app.decorate('queue', queue);
    app.addHook('onClose', async () => {
      await queue.stop();
      app.log.info('shutdown: job queue stopped');
    });
  },
  { name: 'queue', dependencies: ['db'] },
);
