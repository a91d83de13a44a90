import { ConfigError, loadConfig } from './config.js';
import { DatabaseNewerError, migrateSafely } from './db/migrate.js';
import { withProgramDatabase } from './db/program-database.js';

/**
 * `npm run migrate`: applies pending migrations and exits, for deploys that migrate once before rolling out replicas
 * (then started with MIGRATE_ON_START=false). Refuses a database that a newer release migrated.
 */
async function main() {
  await withProgramDatabase(loadConfig(), async (db) => {
    const applied = await migrateSafely(db);
    console.log(applied.length ? `Applied ${applied.length}: ${applied.join(', ')}` : 'Already up to date.');
  });
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof DatabaseNewerError ? err.message : err);
  process.exit(err instanceof ConfigError ? 78 : 1);
});
