import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { cachedSnapshot, initdbSnapshot, PGLITE_VERSION } from './initdb-snapshot.js';
import { migrateLatest, migrationsFingerprint } from './migrate.js';
import { QUEUE_SCHEMA } from '../shared/queue-schema.js';
import { keepExchangesTogether } from './pglite-multiplexer.js';
import { tarFolder, untarInto } from './folder-tar.js';
import { startupStep } from '../shared/startup-steps.js';

export interface EmbeddedPostgres {
  url: string;
  /** The directory holding the Unix socket (owner-only). */
  socketDir: string;
  stop(): Promise<void>;
  /** The data folder as a tarball (stop the clients first). */
  dump(): Promise<Blob>;
}

/** What a new data folder starts as: this release's schema (the default), or an empty cluster. */
export type EmbeddedStart = 'migrated' | 'empty';

/**
 * A data folder with every migration of this build applied and the job queue's tables installed, made once per
 * PGlite version, set of migrations and queue schema: a first start, and each test file's database, restore it
 * instead of running the migrations and pg-boss's install (seconds of CPU). `npm install` makes it (the prepare
 * step), so a new machine's first start only restores it.
 * It is archived from a stopped cluster: a dump of a running one makes PostgreSQL recover at every restore's first
 * start (about a second of CPU).
 */
export async function migratedSnapshot(): Promise<Blob> {
  // pg-boss's install script, written as its start would (one transaction, under its advisory lock).
  const { default: PgBoss } = await import('pg-boss');
  const queueSchema = PgBoss.getConstructionPlans(QUEUE_SCHEMA);
  const queueHash = createHash('sha256').update(queueSchema).digest('hex').slice(0, 8);
  const name = `migrated-stopped-${PGLITE_VERSION}-${await migrationsFingerprint()}-${queueHash}`;
  return cachedSnapshot(name, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-pg-snapshot-'));
    const dataDir = join(dir, 'pgdata');
    try {
      const server = await startEmbeddedPostgres({ dataDir, start: 'empty' });
      // knex only to make the snapshot (once): a start that restores it does not wait for the module.
      const { createKnex } = await import('./knex.js');
      try {
        const db = createKnex(server.url, { min: 0, max: 1 });
        try {
          await migrateLatest(db);
          const conn = await db.client.acquireConnection();
          try {
            await conn.query(queueSchema);
          } finally {
            await db.client.releaseConnection(conn);
          }
        } finally {
          await db.destroy();
        }
      } finally {
        await server.stop();
      }
      return new Blob([tarFolder(dataDir)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** What PGlite looks for to resume a data folder: written last when a folder is restored. */
const VERSION_FILE = 'PG_VERSION';

// PostgreSQL's socket file name, so `pg` (and psql) find it from the directory alone.
const SOCKET_FILE = '.s.PGSQL.5432';
// A Unix socket path must fit sockaddr_un (108 bytes on Linux, 104 on macOS).
const MAX_SOCKET_PATH = 100;

/** What the service's queries depend on, put back for every new connection and after one ends. */
const RESET_SESSION = 'SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DISCARD TEMP';

/** Whether a process accepts connections on the Unix socket at `path`. */
const listening = (path: string) =>
  new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });

/** An owner-only directory for the socket: beside the data directory when it has one and the path fits. */
function socketDirectory(dataDir: string | undefined): { dir: string; temporary: boolean } {
  if (dataDir) {
    const dir = join(resolve(dirname(dataDir)), 'pgsocket');
    if (join(dir, SOCKET_FILE).length <= MAX_SOCKET_PATH) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
      return { dir, temporary: false };
    }
  }
  // mkdtemp creates the directory with mode 0700.
  return { dir: mkdtempSync(join(tmpdir(), 'roster-pg-')), temporary: true };
}

/**
 * PostgreSQL in-process (PGlite), served on a Unix socket so knex, pg and pg-boss connect through the ordinary
 * `pg` driver: every code path is the same as against a real server.
 * PGlite has one session for every connection, so the database is the service's alone: the socket sits in an
 * owner-only directory (mode 0700, the socket 0600), every connection must give a password generated at start (only
 * the service's own connection string carries it), and session state is reset for each new connection and after
 * one ends, so no connection inherits a search_path, role or temporary table from another.
 * PGlite runs one transaction at a time: the socket server multiplexes connections and queues
 * statements from other connections while one is inside a transaction (or mid extended-query exchange).
 */
export async function startEmbeddedPostgres(
  opts: { dataDir?: string; maxConnections?: number; start?: EmbeddedStart } = {},
): Promise<EmbeddedPostgres> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const { dir, temporary } = socketDirectory(opts.dataDir);
  const path = join(dir, SOCKET_FILE);
  // A socket left by a process that died is removed; one still answered belongs to a live service on this data,
  // checked before PGlite opens the folder a second time.
  if (existsSync(path)) {
    if (await listening(path))
      throw new Error(`The embedded database in ${opts.dataDir} is in use by another process: stop it first.`);
    unlinkSync(path);
  }
  let exists = opts.dataDir && existsSync(join(opts.dataDir, VERSION_FILE));
  if (opts.dataDir && !exists && opts.start !== 'empty') {
    // Written by Node rather than through PGlite's file system layer (a third of the time); PG_VERSION last, so a
    // start interrupted here restores again.
    await untarInto(new Uint8Array(await (await migratedSnapshot()).arrayBuffer()), opts.dataDir, VERSION_FILE);
    exists = true;
    startupStep('database folder restored');
  }
  const db = await PGlite.create({
    // The user search's trigram indexes (a migration creates the extension) need its files in PGlite's file system.
    extensions: { pg_trgm },
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(exists ? {} : { loadDataDir: await (opts.start === 'empty' ? initdbSnapshot() : migratedSnapshot()) }),
  });
  startupStep('database open');
  const password = randomBytes(24).toString('base64url');
  const server = new PGLiteSocketServer({ db, path, maxConnections: opts.maxConnections ?? 32 });
  keepExchangesTogether(server, { password, resetSql: RESET_SESSION });
  await server.start();
  chmodSync(path, 0o600);
  startupStep('database served');
  return {
    url: `postgres://postgres:${password}@${encodeURIComponent(dir)}/postgres`,
    socketDir: dir,
    dump: () => db.dumpDataDir('none'),
    async stop() {
      await server.stop();
      await db.close();
      if (temporary) rmSync(dir, { recursive: true, force: true });
      else rmSync(path, { force: true });
    },
  };
}
