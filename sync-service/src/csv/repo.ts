import type { OrgScope } from '../db/scoped.js';
import { CHUNK, chunks } from '../shared/chunks.js';
import { selectUsers, type ListedUserRow } from '../users/list-repo.js';
import type { UserRow } from '../users/repo.js';
import type { ImportReport } from './schemas.js';

/**
 * The CSV import's reads of users and its own table, user_imports (the result of each import, kept a week). The
 * teams and profiles a file may name are read through their domains' repositories.
 */

const IMPORT_USER_COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'job_title',
  'role',
  'team_id',
  'object_visibility',
  'licenses',
  'profile_id',
  'status',
] as const;

/** What an import reads of a user. */
export type ImportUserRow = Pick<UserRow, (typeof IMPORT_USER_COLUMNS)[number]>;

/** Every user of the org, a page of at most CHUNK at a time (keyset on id). */
export async function* userPages(scope: OrgScope): AsyncGenerator<ImportUserRow[]> {
  for (let after: string | null = null, full = true; full;) {
    const page = scope.table('users').orderBy('id').limit(CHUNK);
    if (after) page.where('id', '>', after);
    const rows: ImportUserRow[] = await page.select(...IMPORT_USER_COLUMNS);
    yield rows;
    full = rows.length === CHUNK;
    after = rows.at(-1)?.id ?? null;
  }
}

/** The users of `emails` (lower-cased) as they are now, locked until the transaction ends. */
export async function lockUsersByEmail(scope: OrgScope, emails: readonly string[]): Promise<ImportUserRow[]> {
  const out: ImportUserRow[] = [];
  for (const part of chunks(emails)) {
    const rows: ImportUserRow[] = await scope
      .table('users')
      .whereRaw(`lower(email) IN (${part.map(() => '?').join(', ')})`, part)
      .forUpdate()
      .select(...IMPORT_USER_COLUMNS);
    out.push(...rows);
  }
  return out;
}

/** Up to `limit` users as the listing shows them, by last name, first name and id, after `after` (keyset). */
export async function listedUsersByName(
  scope: OrgScope,
  after: [lastName: string, firstName: string, id: string] | null,
  limit: number,
): Promise<ListedUserRow[]> {
  const q = selectUsers(scope).orderBy(['users.last_name', 'users.first_name', 'users.id']).limit(limit);
  if (after) q.whereRaw('(users.last_name, users.first_name, users.id) > (?, ?, ?)', after);
  return q;
}

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
