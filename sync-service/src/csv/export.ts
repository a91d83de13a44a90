import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { OrgScope } from '../db/scoped.js';
import { listedUsersByName, type ListedUserRow } from '../users/list-repo.js';
import { LICENSE_LABELS, LICENSES, ROLE_LABELS, STATUS_LABELS, VISIBILITY_LABELS } from '../users/vocabulary.js';
import { escapeFormula, EXPORT_COLUMNS, LINE_BREAK } from './columns.js';

const BATCH = 2000;

type Cells = Record<(typeof EXPORT_COLUMNS)[number]['key'], string>;

const toCells = (row: ListedUserRow): Cells => ({
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  jobTitle: row.job_title,
  role: ROLE_LABELS[row.role],
  team: row.team_name ?? '',
  objectVisibility: VISIBILITY_LABELS[row.object_visibility],
  licenses: LICENSES.filter((l) => row.licenses.includes(l))
    .map((l) => LICENSE_LABELS[l])
    .join('; '),
  profile: row.profile_name,
  status: STATUS_LABELS[row.status],
  suspendedAt: row.suspended_at ? new Date(row.suspended_at).toISOString() : '',
  operation: '',
});

/** Every user, page by page (keyset on name), as rows of cells; never the whole table in memory. */
async function* userRows(scope: OrgScope, onRows?: (done: number) => void): AsyncGenerator<string[]> {
  let after: [string, string, string] | null = null;
  let done = 0;
  for (;;) {
    const rows = await listedUsersByName(scope, after, BATCH);
    for (const row of rows) {
      const cells = toCells(row);
      yield EXPORT_COLUMNS.map((c) => escapeFormula(cells[c.key]));
    }
    onRows?.((done += rows.length));
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1]!;
    after = [last.last_name, last.first_name, last.id];
  }
}

/** The export CSV as a stream: UTF-8 with BOM (so spreadsheets read accents), CRLF, formula cells escaped. */
export function exportUsersCsv(
  scope: OrgScope,
  onError: (err: Error) => void,
  /** Called with the count of users written so far, a page at a time (a job's progress). */
  onRows?: (done: number) => void,
): NodeJS.ReadableStream {
  const header = EXPORT_COLUMNS.map((c) => c.header);
  return pipeline(
    Readable.from(userRows(scope, onRows)),
    stringify({ bom: true, header: true, columns: header, record_delimiter: 'windows', quoted_match: LINE_BREAK }),
    (err) => {
      if (err) onError(err);
    },
  );
}
