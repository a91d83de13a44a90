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

/** Work a transaction owes before it commits (derived team managers, say), keyed so each kind is done once. */
type Deferred = Map<string, () => Promise<void>>;
const deferredOf = new WeakMap<object, Deferred>();

/**
 * Runs `work` in one transaction with a scope bound to it: the unit of work. What `deferUntilCommit` queued runs once,
 * after `work` and before the commit.
 */
export function inOrgTransaction<T>(db: Knex, orgId: string, work: (scope: OrgScope) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    const deferred: Deferred = new Map();
    deferredOf.set(trx, deferred);
    const result = await work(scoped(trx, orgId));
    await flushDeferred(trx);
    return result;
  });
}

/**
 * Queues `task` under `key` to run once before the unit of work commits; returns false (queuing nothing) when the
 * scope is not inside inOrgTransaction, so the caller does the work at once.
 */
export function deferUntilCommit(scope: OrgScope, key: string, task: () => Promise<void>): boolean {
  const deferred = deferredOf.get(scope.db);
  if (!deferred) return false;
  if (!deferred.has(key)) deferred.set(key, task);
  return true;
}

/** Runs the queued work now (a read that must see it first); queued again if the work queues more. */
export async function flushDeferred(db: Knex | Knex.Transaction): Promise<void> {
  const deferred = deferredOf.get(db);
  while (deferred?.size) {
    const [key, task] = deferred.entries().next().value!;
    deferred.delete(key);
    await task();
  }
}
