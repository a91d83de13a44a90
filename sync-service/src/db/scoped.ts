import type { Knex } from 'knex';

/**
 * The one way to reach tenant data: every read, update and delete starts from `scope.table(...)`,
 * which is already filtered to the org, and every insert goes through `scope.insert(...)`, which stamps it.
 */
export interface OrgScope {
  readonly orgId: string;
  readonly db: Knex | Knex.Transaction;
  table(name: string): Knex.QueryBuilder;
  insert(name: string, rows: Record<string, unknown> | Record<string, unknown>[]): Knex.QueryBuilder;
}

export function scoped(db: Knex | Knex.Transaction, orgId: string): OrgScope {
  return {
    orgId,
    db,
    table: (name) => db(name).where(`${name}.org_id`, orgId),
    insert: (name, rows) =>
      db(name).insert((Array.isArray(rows) ? rows : [rows]).map((row) => ({ ...row, org_id: orgId }))),
  };
}

/** Runs `work` in one transaction with a scope bound to it. */
export function inOrgTransaction<T>(db: Knex, orgId: string, work: (scope: OrgScope) => Promise<T>): Promise<T> {
  return db.transaction((trx) => work(scoped(trx, orgId)));
}
