import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Knex } from 'knex';
import { inOrgTransaction, scoped } from '../db/scoped.js';
import { reportProgress } from '../jobs/progress.js';
import type { Actor } from '../shared/audit.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { getManagementMode } from '../users/repo.js';
import { applyImport } from './apply.js';
import { escapeFormula, LINE_BREAK } from './columns.js';
import { exportUsersCsv } from './export.js';
import { loadImportContext } from './load.js';
import { createImportPlanner, type ImportProblem, type RowOutcome } from './plan.js';
import { CsvReadError, readCsv, type CsvRecord } from './read.js';
import type { ImportReport } from './schemas.js';

const RESULT_RETENTION_DAYS = 7;

/** Ends the records at a fatal read problem and reports it, so the rows before it are still checked. */
async function* untilUnreadable(
  records: AsyncIterable<CsvRecord>,
  problems: ImportProblem[],
): AsyncGenerator<CsvRecord> {
  try {
    yield* records;
  } catch (err) {
    if (!(err instanceof CsvReadError)) throw err;
    problems.push({ line: err.line, column: err.column, code: err.code, message: err.message });
  }
}

const READING = 'Reading and checking rows';
const EVERY_ROWS = 1000;

/**
 * Reports rows read and checked; with the file's size, the total is estimated from the bytes read so far (exact
 * once the file ends), so a job's bar moves while a 100k-row file streams in.
 */
async function* withRowProgress(records: AsyncIterable<CsvRecord>, size: number | null): AsyncGenerator<CsvRecord> {
  let rows = -1; // the header is no row
  reportProgress({ phase: READING, done: 0, total: null });
  for await (const record of records) {
    rows += 1;
    if (rows > 0 && rows % EVERY_ROWS === 0) {
      const read = record.bytes ?? 0;
      const total = size && read > 0 ? Math.max(rows, Math.round((rows * size) / read)) : null;
      reportProgress({ phase: READING, done: rows, total });
      // Rows the parser already holds are checked without any I/O wait: let timers and other requests (the progress
      // write, the screen's poll, health probes) run between thousands of rows.
      await new Promise((resolve) => setImmediate(resolve));
    }
    yield record;
  }
  reportProgress({ phase: READING, done: Math.max(0, rows), total: Math.max(0, rows) });
}

const OUTCOME_WORDS: Record<'dryRun' | 'applied' | 'refused', Record<RowOutcome['outcome'], string>> = {
  dryRun: {
    add: 'Will add',
    edit: 'Will edit',
    suspend: 'Will suspend',
    delete: 'Will delete',
    unchanged: 'Unchanged',
    error: 'Error',
  },
  applied: {
    add: 'Added',
    edit: 'Edited',
    suspend: 'Suspended',
    delete: 'Deleted',
    unchanged: 'Unchanged',
    error: 'Error',
  },
  refused: {
    add: 'Not applied',
    edit: 'Not applied',
    suspend: 'Not applied',
    delete: 'Not applied',
    unchanged: 'Unchanged',
    error: 'Error',
  },
};

/** Each row's outcome, plus file-level problems (header, unreadable bytes) on their own lines. */
function resultCsv(outcomes: RowOutcome[], errors: ImportProblem[], mode: keyof typeof OUTCOME_WORDS): string {
  const rowLines = new Set(outcomes.map((o) => o.line));
  const rows = [
    ...outcomes.map((o) => ({
      line: o.line,
      cells: [o.email, o.operation, OUTCOME_WORDS[mode][o.outcome], o.messages.join(' ')],
    })),
    ...errors.filter((e) => !rowLines.has(e.line)).map((e) => ({ line: e.line, cells: ['', '', 'Error', e.message] })),
  ].sort((a, b) => a.line - b.line);
  return stringify(
    rows.map((r) => [String(r.line), ...r.cells.map(escapeFormula)]),
    {
      bom: true,
      header: true,
      columns: ['Line', 'Email', 'Operation', 'Outcome', 'Message'],
      record_delimiter: 'windows',
      quoted_match: LINE_BREAK,
    },
  );
}

/** The user CSV round trip (SPEC section 2): export, and import with a dry run, all-or-nothing apply and a result file. */
export function createCsvService({ db }: { db: Knex }) {
  return {
    exportUsers: (orgId: string, onError: (err: Error) => void, onRows?: (done: number) => void) =>
      exportUsersCsv(scoped(db, orgId), onError, onRows),

    /** `size` (bytes, when known) lets a job's progress estimate the rows of the file while it is read. */
    async importUsers(
      orgId: string,
      actor: Actor,
      body: Readable,
      dryRun: boolean,
      { size = null }: { size?: number | null } = {},
    ): Promise<ImportReport> {
      const scope = scoped(db, orgId);
      if ((await getManagementMode(scope)) === 'automatic') {
        throw new ConflictError(
          'owned_by_salesforce',
          'CSV import is off in Automatic Mode: users and teams follow Salesforce. Switch to Manual Mode to import a file.',
          { owner: 'salesforce' },
        );
      }
      const readProblems: ImportProblem[] = [];
      // The dry run and the import make the same plan; the import then writes exactly it.
      const planner = createImportPlanner(await loadImportContext(scope), actor.id);
      const records = withRowProgress(untilUnreadable(readCsv(body), readProblems), size);
      for await (const record of records) if (!planner.take(record)) break;
      const { plan, basis, errors, outcomes, summary } = planner.result();
      // A file cut short by unreadable bytes is reported as such, not as empty.
      if (readProblems.length)
        errors.splice(0, errors.length, ...errors.filter((e) => e.code !== 'empty_file'), ...readProblems);
      errors.sort((a, b) => a.line - b.line);

      const apply = !dryRun && errors.length === 0;
      if (apply) await inOrgTransaction(db, orgId, (trx) => applyImport(trx, actor, plan, basis));
      const mode = dryRun ? 'dryRun' : apply ? 'applied' : 'refused';
      // Once applied, no checkpoint: a restart here would leave the changes without their result.
      reportProgress({ phase: 'Saving the result of each row', done: 0, checkpoint: !apply });

      await scope
        .table('user_imports')
        .where('created_at', '<', db.raw(`now() - interval '${RESULT_RETENTION_DAYS} days'`))
        .delete();
      const [stored] = await scope
        .insert('user_imports', {
          actor: actor.id,
          dry_run: dryRun,
          applied: apply,
          summary: JSON.stringify(summary),
          error_count: errors.length,
          result_csv: resultCsv(outcomes, errors, mode),
        })
        .returning('id');
      return {
        dryRun,
        applied: apply,
        summary,
        errorCount: errors.length,
        errors,
        resultId: stored.id,
        resultCsvUrl: `/api/v1/users/import/${stored.id}/result.csv`,
      };
    },

    async result(orgId: string, id: string): Promise<string> {
      const row = await scoped(db, orgId).table('user_imports').where('id', id).first('result_csv');
      if (!row) throw new NotFoundError('Import result', id);
      return row.result_csv;
    },
  };
}
