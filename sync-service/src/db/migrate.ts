import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
const TABLE = 'knex_migrations';
const UNDEFINED_TABLE = '42P01';

/** Loads `migrations/YYYYMMDDHHMMSS_verb_thing.ts` (or `.js` in the build) in name order; no knexfile. */
class DirectoryMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations() {
    return readdirSync(migrationsDir)
      .filter((f) => /^\d{14}_[\w-]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
  }
  getMigrationName(file: string) {
    return file.replace(/\.(ts|js)$/, '');
  }
  async getMigration(file: string): Promise<Knex.Migration> {
    // eslint-disable-next-line no-restricted-syntax -- migrations are the files of the migrations folder, by design
    return import(pathToFileURL(join(migrationsDir, file)).href);
  }
}

const source = new DirectoryMigrationSource();
const config = (): Knex.MigratorConfig => ({ migrationSource: source, tableName: TABLE });

/** A digest of every migration this build ships, names and contents: what a migrated snapshot depends on. */
export async function migrationsFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await source.getMigrations()) hash.update(file).update(readFileSync(join(migrationsDir, file)));
  return hash.digest('hex').slice(0, 16);
}

export const migrateLatest = (db: Knex) => db.migrate.latest(config());
export const migrateRollbackAll = (db: Knex) => db.migrate.rollback(config(), true);

export interface MigrationStatus {
  /** Migrations this code has that the database has not applied. */
  pending: string[];
  /** Migrations the database has applied that this code does not know: the database is newer than the code. */
  unknown: string[];
}

/** Compares the database's applied migrations with the ones this build ships. */
export async function migrationStatus(db: Knex): Promise<MigrationStatus> {
  const known = (await source.getMigrations()).map((f) => source.getMigrationName(f));
  // One query, the table's absence (a new database) read from its error: knex's hasTable asks information_schema,
  // several times the cost on a just-opened database, and /ready asks this at every probe.
  const rows: { name: string }[] = await db(TABLE)
    .select('name')
    .catch((err: { code?: string }) => {
      if (err.code === UNDEFINED_TABLE) return [];
      throw err;
    });
  const applied = rows.map((r) => r.name.replace(/\.(ts|js)$/, ''));
  const appliedSet = new Set(applied);
  const knownSet = new Set(known);
  return {
    pending: known.filter((m) => !appliedSet.has(m)),
    unknown: applied.filter((m) => !knownSet.has(m)),
  };
}

export class DatabaseNewerError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `The database has migrations this version of Roster does not know (${unknown.join(', ')}): ` +
        'it was migrated by a newer release. Deploy that release (or newer) instead of starting this one.',
    );
    this.name = 'DatabaseNewerError';
  }
}

export class MigrationsPendingError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database lacks ${pending.length} migration(s) of this release (${pending.join(', ')}): ` +
        'run `npm run migrate` first, or start with MIGRATE_ON_START=true.',
    );
    this.name = 'MigrationsPendingError';
  }
}

// Any constant: the advisory lock that lets one of several replicas starting together migrate at a time.
const MIGRATION_LOCK = 727_310_001;

/**
 * Applies pending migrations, after refusing a database that a newer release already migrated. Replicas started
 * together wait for each other here: knex's own lock table makes a second migrator fail instead of wait.
 */
export async function migrateSafely(db: Knex): Promise<string[]> {
  // Every start after the first finds nothing to do: two reads instead of the lock and knex's lock-table round trips.
  const before = await migrationStatus(db);
  if (before.unknown.length) throw new DatabaseNewerError(before.unknown);
  if (!before.pending.length) return [];
  const conn = await db.client.acquireConnection();
  try {
    await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const { unknown } = await migrationStatus(db);
      if (unknown.length) throw new DatabaseNewerError(unknown);
      const [, applied] = (await migrateLatest(db)) as [number, string[]];
      return applied;
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}
