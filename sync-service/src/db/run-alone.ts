import type { Knex } from 'knex';

/** Keys running in this process, per database: the embedded database's one session holds every advisory lock. */
const runningHere = new WeakMap<Knex, Set<string>>();

/**
 * Runs `work` unless another worker, here or in another replica, is running `key`; false when it was skipped. The
 * guard is a PostgreSQL session advisory lock on a connection held for the run, so a replica that is killed mid-run
 * (SIGKILL, OOM) gives the key back the moment its connection drops, and nobody waits for a job to expire.
 */
export async function runAlone(db: Knex, key: string, work: () => Promise<unknown>): Promise<boolean> {
  const here = runningHere.get(db) ?? new Set<string>();
  runningHere.set(db, here);
  if (here.has(key)) return false;
  here.add(key);
  try {
    const conn = await db.client.acquireConnection();
    try {
      const { rows } = await conn.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key]);
      if (!rows[0].ok) return false;
      try {
        await work();
      } finally {
        await conn.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      }
      return true;
    } finally {
      await db.client.releaseConnection(conn);
    }
  } finally {
    here.delete(key);
  }
}
