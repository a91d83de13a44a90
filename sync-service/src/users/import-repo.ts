import type { OrgScope } from '../db/scoped.js';
import { CHUNK, chunks } from '../shared/chunks.js';
import type { UserRow } from './repo.js';

// What the CSV import reads of users: every user of the org a page at a time (to plan), and the users a file
// names, locked for the import's transaction (to apply). Pass the import's scope: the lock lasts as long as it.

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
