import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// Return BIGINT counts and NUMERIC values as JS numbers: our counts and shares are far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export type Db = Knex;
export type Tx = Knex.Transaction;

export function createKnex(connectionString: string, pool = { min: 0, max: 10 }): Knex {
  return knexFactory({ client: 'pg', connection: { connectionString }, pool });
}
