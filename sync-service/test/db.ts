import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.js';

export interface TestDatabase {
  url: string;
  kind: 'embedded' | 'postgresql';
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file: a new, empty database on DATABASE_URL's server when it is set (CI runs the
 * suite again that way), otherwise an in-memory embedded PostgreSQL.
 */
export async function freshDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    // Embedded databases start migrated (a cached snapshot) unless a test needs one no migration has touched.
    const embedded = await startEmbeddedPostgres({ start: opts.empty ? 'empty' : 'migrated' });
    return { url: embedded.url, kind: 'embedded', drop: embedded.stop };
  }
  return databaseOnServer(serverUrl, 'roster_test');
}

/** A new database on a PostgreSQL server (named with `prefix` and a random suffix), dropped by drop(). */
export async function databaseOnServer(
  serverUrl: string,
  prefix: string,
  connectTimeoutMs?: number,
): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: connectTimeoutMs });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'postgresql',
    async drop() {
      const client = new pg.Client(serverUrl);
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
