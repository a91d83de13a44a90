import type { Knex } from 'knex';

/**
 * Keys running in this process, per database (its connection string: the embedded database's one session holds every
 * advisory lock, whichever pool asks), each with the end of its run.
 */
const runningHere = new Map<unknown, Map<string, Promise<void>>>();

const keysOf = (db: Knex) => {
  const database = (db.client.config.connection as { connectionString?: string } | undefined)?.connectionString ?? db;
  const keys = runningHere.get(database) ?? new Map<string, Promise<void>>();
  runningHere.set(database, keys);
  return keys;
};

/** knex's pool (tarn), for the one event read here. */
interface ClosingPool {
  on(event: 'poolDestroyRequest', listener: () => void): void;
  removeListener(event: 'poolDestroyRequest', listener: () => void): void;
}

const LOCK = 'SELECT pg_advisory_lock(hashtextextended($1, 0))';
const TRY_LOCK = 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok';
const UNLOCK = 'SELECT pg_advisory_unlock(hashtextextended($1, 0))';

/**
 * Runs `work` holding `key`, a PostgreSQL session advisory lock on a connection held for the run: a replica that is
 * killed mid-run (SIGKILL, OOM) gives the key back the moment its connection drops, and nobody waits for a job to
 * expire. `wait` false: skipped (false) while another worker, here or in another replica, holds the key.
 */
async function holding(db: Knex, key: string, wait: boolean, work: () => Promise<unknown>): Promise<boolean> {
  const here = keysOf(db);
  if (!wait && here.has(key)) return false;
  while (here.has(key)) await here.get(key);
  let ended!: () => void;
  here.set(key, new Promise<void>((resolve) => (ended = resolve)));
  const pool = db.client.pool as ClosingPool | undefined;
  let conn: { query(sql: string, bindings: unknown[]): Promise<{ rows: { ok?: boolean }[] }> } | undefined;
  let locked = false;
  let givenBack = false;
  const giveBack = async () => {
    if (givenBack) return;
    givenBack = true;
    pool?.removeListener('poolDestroyRequest', closing);
    try {
      if (locked) await conn!.query(UNLOCK, [key]);
    } finally {
      if (conn) await db.client.releaseConnection(conn);
      here.delete(key);
      ended();
    }
  };
  // A pool that is closing serves no more queries, so the run can write nothing more: its key goes back now, as its
  // connection dropping would, rather than once its work has waited out every query (the pool's close waits for it).
  const closing = () => void giveBack().catch(() => {});
  try {
    conn = await db.client.acquireConnection();
    pool?.on('poolDestroyRequest', closing);
    if (wait) await conn!.query(LOCK, [key]);
    else if (!(await conn!.query(TRY_LOCK, [key])).rows[0]!.ok) return false;
    locked = true;
    if (givenBack) throw new Error(`the database pool closed while ${key} waited for its turn`);
    await work();
    return true;
  } finally {
    await giveBack();
  }
}

/** Runs `work` unless another worker, here or in another replica, is running `key`; false when it was skipped. */
export const runAlone = (db: Knex, key: string, work: () => Promise<unknown>): Promise<boolean> =>
  holding(db, key, false, work);

/** Runs `work` once no other worker, here or in another replica, is running `key` (waiting for theirs to end). */
export async function runInTurn<T>(db: Knex, key: string, work: () => Promise<T>): Promise<T> {
  let result: T;
  await holding(db, key, true, async () => {
    result = await work();
  });
  return result!;
}
