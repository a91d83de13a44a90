import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

/** Loads `migrations/YYYYMMDDHHMMSS_verb_thing.ts` in name order; no knexfile, no build step. */
class DirectoryMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations() {
    return readdirSync(migrationsDir)
      .filter((f) => /^\d{14}_[\w-]+\.(ts|js)$/.test(f))
      .sort();
  }
  getMigrationName(file: string) {
    return file.replace(/\.(ts|js)$/, '');
  }
  async getMigration(file: string): Promise<Knex.Migration> {
    return import(pathToFileURL(join(migrationsDir, file)).href);
  }
}

const config = (): Knex.MigratorConfig => ({
  migrationSource: new DirectoryMigrationSource(),
  tableName: 'knex_migrations',
});

export const migrateLatest = (db: Knex) => db.migrate.latest(config());
export const migrateRollbackAll = (db: Knex) => db.migrate.rollback(config(), true);
