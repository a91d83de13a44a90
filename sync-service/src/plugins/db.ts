import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import { createKnex } from '../db/knex.js';
import { DatabaseNewerError, migrateSafely, migrationStatus } from '../db/migrate.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Knex;
  }
}

/**
 * knex over `pg`, migrated to the latest schema on start unless `migrate` is false (then `npm run migrate` does it,
 * and /ready stays false until it has). Either way a database migrated by a newer release is refused.
 */
export default fp<{ databaseUrl: string; migrate?: boolean }>(
  async (app, opts) => {
    const db = createKnex(opts.databaseUrl);
    try {
      if (opts.migrate !== false) await migrateSafely(db);
      else {
        const { unknown } = await migrationStatus(db);
        if (unknown.length) throw new DatabaseNewerError(unknown);
      }
    } catch (err) {
      await db.destroy();
      throw err;
    }
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      await db.destroy();
    });
  },
  { name: 'db' },
);
