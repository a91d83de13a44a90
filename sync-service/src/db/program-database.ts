import { join, resolve } from 'node:path';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { startEmbeddedPostgres } from './embedded.js';
import { createKnex } from './knex.js';

/**
 * The database a one-shot program (migrate, api-key, create-org) works on: DATABASE_URL's server, else the embedded
 * one in DATA_DIR (relative to where npm was run), which `npm start` must not hold at the same time (PGlite has one
 * owner). Runs `work`, then closes what it opened.
 */
export async function withProgramDatabase<T>(config: Config, work: (db: Knex) => Promise<T>): Promise<T> {
  const dataDir = resolve(process.env.INIT_CWD ?? process.cwd(), config.DATA_DIR);
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: join(dataDir, 'pgdata') });
  const db = createKnex(config.DATABASE_URL ?? embedded!.url);
  try {
    return await work(db);
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}
