import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnex, type Db } from '../../src/db/knex.js';
import { migrateLatest, migrateRollbackAll } from '../../src/db/migrate.js';
import { freshDatabase, type TestDatabase } from '../db.js';

const tables = async (db: Db) =>
  (await db('information_schema.tables').where({ table_schema: 'public' }).pluck('table_name')).filter(
    (n) => !n.startsWith('knex_'),
  );

describe('the database', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase({ empty: true });
    db = createKnex(database.url);
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('migrates up, all the way down, and up again', async () => {
    await migrateLatest(db);
    const created = await tables(db);
    expect(created).toEqual(
      expect.arrayContaining(['orgs', 'users', 'teams', 'audit_log', 'sync_runs', 'configuration_profiles']),
    );
    await migrateRollbackAll(db);
    expect(await tables(db)).toEqual([]);
    await migrateLatest(db);
    expect((await tables(db)).sort()).toEqual(created.sort());
  });

  it('keeps two concurrent transactions isolated: one rolls back, the other commits', async () => {
    await db.schema.createTable('isolation_probe', (t) => t.text('label'));
    const seenInside: Record<string, string[]> = {};
    const rollback = db
      .transaction(async (trx) => {
        await trx('isolation_probe').insert({ label: 'rolled back' });
        seenInside.a = await trx('isolation_probe').pluck('label');
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('roll back');
      })
      .catch((err: Error) => err.message);
    const commit = db.transaction(async (trx) => {
      await trx('isolation_probe').insert({ label: 'committed' });
      seenInside.b = await trx('isolation_probe').pluck('label');
    });
    const [rolledBack] = await Promise.all([rollback, commit]);
    expect(rolledBack).toBe('roll back');
    // Neither saw the other's uncommitted row.
    expect(seenInside.a).toEqual(['rolled back']);
    expect(seenInside.b).toEqual(['committed']);
    expect(await db('isolation_probe').pluck('label')).toEqual(['committed']);
    await db.schema.dropTable('isolation_probe');
  });

  it("does not show an open transaction's rows to another connection", async () => {
    await db.schema.createTable('visibility_probe', (t) => t.text('label'));
    const trx = await db.transaction();
    await trx('visibility_probe').insert({ label: 'pending' });
    // Started, not awaited: on the embedded database it waits for the transaction to end.
    const outside = db('visibility_probe').pluck('label');
    const outsideSaw = outside.then((rows) => rows);
    await new Promise((r) => setTimeout(r, 30));
    await trx.rollback();
    expect(await outsideSaw).toEqual([]);
    await db.schema.dropTable('visibility_probe');
  });

  it('answers concurrent parameterised queries from many connections, each with its own parameters', async () => {
    // Extended-query messages of one connection must never interleave with another's on the embedded server.
    const pool = new pg.Pool({ connectionString: database.url, max: 8 });
    try {
      const sums = await Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          const wrong: number[] = [];
          for (let round = 0; round < 40; round += 1) {
            const values = Array.from(
              { length: 1 + ((worker * 7 + round) % 30) },
              (_, k) => worker * 100_000 + round * 100 + k,
            );
            const sql = `select ${values.map((_, k) => `$${k + 1}::int`).join(' + ')} as total`;
            const { rows } = await pool.query(sql, values);
            if (Number(rows[0].total) !== values.reduce((a, b) => a + b, 0)) wrong.push(round);
            if (round % 10 === 0) {
              const client = await pool.connect();
              await client.query('begin');
              await client.query('select $1::text', [`in transaction ${worker}`]);
              await client.query('commit');
              client.release();
            }
          }
          return wrong;
        }),
      );
      expect(sums.flat()).toEqual([]);
    } finally {
      await pool.end();
    }
  });
});
