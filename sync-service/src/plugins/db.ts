import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import { createKnex } from '../db/knex.js';
import { startupStep } from '../shared/startup-steps.js';
import { DatabaseNewerError, MigrationsPendingError, migrateSafely, migrationStatus } from '../db/migrate.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Knex;
  }
}

/**
 * knex over `pg`, migrated to the latest schema on start unless `migrate` is false (then `npm run migrate` must have
 * run: start refuses a database that lacks this release's migrations). Either way a database migrated by a newer
 * release is refused; one migrated by a newer release while this one runs makes /ready answer 503.
 */
export default fp<{ databaseUrl: string; migrate?: boolean }>(
  async (app, opts) => {
    const db = createKnex(opts.databaseUrl);
    try {
      if (opts.migrate !== false) await migrateSafely(db);
      else {
        const { unknown, pending } = await migrationStatus(db);
        if (unknown.length) throw new DatabaseNewerError(unknown);
        if (pending.length) throw new MigrationsPendingError(pending);
      }
    } catch (err) {
      await db.destroy();
      throw err;
    }
    startupStep('schema checked');
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      await db.destroy();
      app.log.info('shutdown: database pool closed');
    });
  },
  { name: 'db' },
);
