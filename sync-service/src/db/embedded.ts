import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { initdbSnapshot } from './initdb-snapshot.js';
import { keepExchangesTogether } from './pglite-multiplexer.js';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL in-process (PGlite), served on a loopback socket so knex, pg and pg-boss connect through
 * the ordinary `pg` driver: every code path is the same as against a real server.
 * PGlite runs one transaction at a time: the socket server multiplexes connections and queues
 * statements from other connections while one is inside a transaction (or mid extended-query exchange).
 */
export async function startEmbeddedPostgres(
  opts: { dataDir?: string; maxConnections?: number } = {},
): Promise<EmbeddedPostgres> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const exists = opts.dataDir && existsSync(join(opts.dataDir, 'PG_VERSION'));
  const db = await PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(exists ? {} : { loadDataDir: await initdbSnapshot() }),
  });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: opts.maxConnections ?? 32 });
  keepExchangesTogether(server);
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
