import type { OrgScope } from '../db/scoped.js';
import type { RunKind, SyncCursorRow, SyncRunOutcome, SyncRunRow } from './rows.js';

/** The sync's runs (sync_runs) and where each object's incremental read starts (sync_cursors). */

export async function getRun(scope: OrgScope, id: string): Promise<SyncRunRow> {
  return scope.table('sync_runs').where('id', id).first();
}

/** The newest runs first. */
export async function listRuns(scope: OrgScope, limit: number): Promise<SyncRunRow[]> {
  return scope.table('sync_runs').orderBy('started_at', 'desc').limit(limit);
}

/** The latest run started, running or not. */
export async function latestRun(scope: OrgScope): Promise<SyncRunRow | undefined> {
  return scope.table('sync_runs').orderBy('started_at', 'desc').first();
}

/** The latest run that has ended, whatever its outcome. */
export async function latestFinishedRun(scope: OrgScope): Promise<SyncRunRow | undefined> {
  return scope.table('sync_runs').whereNot('outcome', 'running').orderBy('started_at', 'desc').first();
}

/** When the latest successful run ended. */
export async function lastSuccessAt(scope: OrgScope): Promise<Date | null> {
  const run: Pick<SyncRunRow, 'finished_at'> | undefined = await scope
    .table('sync_runs')
    .where('outcome', 'success')
    .orderBy('finished_at', 'desc')
    .first('finished_at');
  return run?.finished_at ? new Date(run.finished_at) : null;
}

/** Why a run the service stopped under (a killed or crashed process) ended: what the sync history shows for it. */
export const STOPPED_RUN_ERROR =
  'The service running this sync stopped before it finished; the next sync picks up its changes.';

/**
 * Ends the org's runs still recorded 'running' as interrupted. Called holding the org's run lock (runner.ts), which
 * every run holds while it lasts: any such run belonged to a process that stopped without ending it.
 */
export async function interruptDeadRuns(scope: OrgScope): Promise<number> {
  return scope
    .table('sync_runs')
    .where('outcome', 'running')
    .update({ outcome: 'interrupted', finished_at: scope.db.fn.now(), error: STOPPED_RUN_ERROR });
}

/** Records a run as running; its id. */
export async function startRun(scope: OrgScope, kind: RunKind): Promise<string> {
  const [run]: Pick<SyncRunRow, 'id'>[] = await scope.insert('sync_runs', { kind }).returning('id');
  return run!.id;
}

export interface RunResult {
  outcome: Exclude<SyncRunOutcome, 'running'>;
  counts: object;
  warnings: string[];
  error: string | null;
  apiCalls: number;
}

export async function finishRun(scope: OrgScope, id: string, result: RunResult): Promise<void> {
  await scope
    .table('sync_runs')
    .where('id', id)
    .update({
      outcome: result.outcome,
      finished_at: scope.db.fn.now(),
      counts: JSON.stringify(result.counts),
      warnings: JSON.stringify(result.warnings),
      error: result.error,
      api_calls: result.apiCalls,
    });
}

/** Where each object's incremental read starts: the newest SystemModstamp read, by object ('User', 'UserRole', ...). */
export async function readCursors(scope: OrgScope): Promise<Record<string, Date | undefined>> {
  const rows: Pick<SyncCursorRow, 'object' | 'last_modstamp'>[] = await scope
    .table('sync_cursors')
    .select('object', 'last_modstamp');
  return Object.fromEntries(rows.map((r) => [r.object, r.last_modstamp ? new Date(r.last_modstamp) : undefined]));
}

/** Moves a cursor forward to `at`, never back. */
export async function advanceCursor(scope: OrgScope, object: string, at: Date): Promise<void> {
  await scope
    .db('sync_cursors')
    .insert({ org_id: scope.orgId, object, last_modstamp: at, updated_at: scope.db.fn.now() })
    .onConflict(['org_id', 'object'])
    .merge({
      last_modstamp: scope.db.raw('GREATEST(sync_cursors.last_modstamp, excluded.last_modstamp)'),
      updated_at: scope.db.fn.now(),
    });
}
