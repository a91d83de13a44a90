import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { startEmbeddedPostgres } from './db/embedded.js';
import { createKnex } from './db/knex.js';
import { DatabaseNewerError, migrateSafely } from './db/migrate.js';

/**
 * `npm run migrate`: applies pending migrations and exits, for deploys that migrate once before rolling out replicas
 * (then started with MIGRATE_ON_START=false). Refuses a database that a newer release migrated.
 */
async function main() {
  const config = loadConfig();
  config.DATA_DIR = resolve(process.env.INIT_CWD ?? process.cwd(), config.DATA_DIR);
  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: join(config.DATA_DIR, 'pgdata') });
  const db = createKnex(config.DATABASE_URL ?? embedded!.url);
  try {
    const applied = await migrateSafely(db);
    console.log(applied.length ? `Applied ${applied.length}: ${applied.join(', ')}` : 'Already up to date.');
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof DatabaseNewerError ? err.message : err);
  process.exit(err instanceof ConfigError ? 78 : 1);
});
