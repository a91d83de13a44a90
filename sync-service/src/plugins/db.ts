import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import { createKnex } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Knex;
  }
}

/** knex over `pg`, migrated to the latest schema on start; destroyed when the app closes. */
export default fp<{ databaseUrl: string; migrate?: boolean }>(
  async (app, opts) => {
    const db = createKnex(opts.databaseUrl);
    if (opts.migrate !== false) await migrateLatest(db);
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      await db.destroy();
    });
  },
  { name: 'db' },
);
