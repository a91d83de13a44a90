import type { OrgScope } from '../db/scoped.js';
import type { ImportReport } from './schemas.js';

/**
 * The CSV import's own table, user_imports (the result of each import, kept a week). What an import reads of users,
 * teams and profiles it reads through their domains' repositories (users/import-repo.ts, users/list-repo.ts).
 */

/** A row of user_imports. */
export interface UserImportRow {
  id: string;
  org_id: string;
  actor: string;
  dry_run: boolean;
  applied: boolean;
  summary: ImportReport['summary'];
  error_count: number;
  result_csv: string;
  created_at: Date | string;
}

export type NewUserImport = Pick<
  UserImportRow,
  'actor' | 'dry_run' | 'applied' | 'summary' | 'error_count' | 'result_csv'
>;

/** Stores an import's result, dropping the org's results older than `keepDays`; returns the new result's id. */
export async function saveImportResult(scope: OrgScope, result: NewUserImport, keepDays: number): Promise<string> {
  await scope
    .table('user_imports')
    .where('created_at', '<', scope.db.raw(`now() - make_interval(days => ?)`, [keepDays]))
    .delete();
  const [stored]: Pick<UserImportRow, 'id'>[] = await scope
    .insert('user_imports', { ...result, summary: JSON.stringify(result.summary) })
    .returning('id');
  return stored!.id;
}

/** The result file of one import, or undefined when there is none (or it has expired). */
export async function importResultCsv(scope: OrgScope, id: string): Promise<string | undefined> {
  const row: Pick<UserImportRow, 'result_csv'> | undefined = await scope
    .table('user_imports')
    .where('id', id)
    .first('result_csv');
  return row?.result_csv;
}

/**
 * Rewrites every import result whose file names one of `patterns` (a text[] literal of regular expressions, matched
 * case-insensitively) with what `rewrite` makes of the file: forgetting a deleted user (users/forget.ts).
 */
export async function scrubImportResults(
  scope: OrgScope,
  patterns: string,
  rewrite: (resultCsv: string) => string,
): Promise<void> {
  const naming: Pick<UserImportRow, 'id' | 'result_csv'>[] = await scope
    .table('user_imports')
    .whereRaw('result_csv ~* ANY(?::text[])', [patterns])
    .select('id', 'result_csv');
  for (const r of naming)
    await scope
      .table('user_imports')
      .where('id', r.id)
      .update({ result_csv: rewrite(r.result_csv) });
}
