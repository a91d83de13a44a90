import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Knex } from 'knex';
import { inOrgTransaction, scoped } from '../db/scoped.js';
import { reportProgress } from '../jobs/progress.js';
import type { Actor } from '../shared/audit.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { getManagementMode } from '../orgs/repo.js';
import { CHUNK } from '../shared/chunks.js';
import { storableText } from '../shared/text.js';
import { createImportWriter } from './apply.js';
import { reportCustomTeamsPastCap } from './custom-cap.js';
import { escapeFormula, LINE_BREAK } from './columns.js';
import { exportUsersCsv } from './export.js';
import { loadImportContext } from './load.js';
import { createImportPlanner, type ImportProblem, type RowOutcome } from './plan.js';
import { importResultCsv, saveImportResult } from './repo.js';
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

const RESULT_COLUMNS = ['Line', 'Email', 'Operation', 'Outcome', 'Message'];
const RESULT_ROWS_PER_PART = 5000;

/**
 * Each row's outcome, plus file-level problems (header, unreadable bytes) on their own lines, in line order. The
 * outcomes come in file order, so the few file-level lines are merged in, and the text is made a part at a time
 * (the same bytes as one csv-stringify call) instead of as a second copy of every row.
 */
function resultCsv(outcomes: RowOutcome[], errors: ImportProblem[], mode: keyof typeof OUTCOME_WORDS): string {
  const words = OUTCOME_WORDS[mode];
  const rowLines = new Set(outcomes.map((o) => o.line));
  const fileLevel = errors.filter((e) => !rowLines.has(e.line)).sort((a, b) => a.line - b.line);
  const parts: string[] = [];
  let batch: string[][] = [];
  const flush = () => {
    const first = parts.length === 0;
    parts.push(
      stringify(batch, {
        bom: first,
        header: first,
        columns: RESULT_COLUMNS,
        record_delimiter: 'windows',
        quoted_match: LINE_BREAK,
      }),
    );
    batch = [];
  };
  const add = (line: number, cells: string[]) => {
    // A refused row's cells are echoed as read, and the result is stored: text the database refuses is shown as �.
    batch.push([String(line), ...cells.map((c) => escapeFormula(storableText(c)))]);
    if (batch.length === RESULT_ROWS_PER_PART) flush();
  };
  let next = 0;
  for (const o of outcomes) {
    for (; next < fileLevel.length && fileLevel[next]!.line < o.line; next += 1)
      add(fileLevel[next]!.line, ['', '', 'Error', fileLevel[next]!.message]);
    add(o.line, [o.email, o.operation, words[o.outcome], o.messages.join(' ')]);
  }
  for (; next < fileLevel.length; next += 1) add(fileLevel[next]!.line, ['', '', 'Error', fileLevel[next]!.message]);
  if (batch.length || parts.length === 0) flush();
  return parts.join('');
}

/** Thrown inside the import's transaction when a row is wrong: the adds already written roll back with it. */
const ROW_ERRORS = Symbol('the file has errors');

/**
 * Reads and checks the file, then (unless a dry run, or any row is wrong) applies its plan. An import writes its Add
 * rows in the transaction while the rest of the file is still being read, a chunk at a time (the database inserts
 * while the service parses), and rolls them back if any row turns out wrong: all or nothing, as before. Only the
 * outcomes leave: the plan and its basis are dropped before the result file is made.
 */
async function checkAndApply(
  db: Knex,
  orgId: string,
  actor: Actor,
  body: Readable,
  dryRun: boolean,
  size: number | null,
): Promise<{ applied: boolean; errors: ImportProblem[]; outcomes: RowOutcome[]; summary: ImportReport['summary'] }> {
  const readProblems: ImportProblem[] = [];
  // The dry run and the import make the same plan; the import then writes exactly it.
  const planner = createImportPlanner(await loadImportContext(scoped(db, orgId)), actor.id);
  const records = withRowProgress(untilUnreadable(readCsv(body), readProblems), size);
  const check = async (onRow?: () => void) => {
    for await (const record of records) {
      if (!planner.take(record)) break;
      onRow?.();
    }
    const validated = planner.result();
    // A file cut short by unreadable bytes is reported as such, not as empty.
    const { errors } = validated;
    if (readProblems.length)
      errors.splice(0, errors.length, ...errors.filter((e) => e.code !== 'empty_file'), ...readProblems);
    errors.sort((a, b) => a.line - b.line);
    return validated;
  };
  if (dryRun) {
    const checked = await check();
    // The apply refuses a file taking a custom team past its cap once written; the dry run names the rows first.
    await reportCustomTeamsPastCap(scoped(db, orgId), checked, planner.columnOf);
    const { errors, outcomes, summary } = checked;
    return { applied: false, errors, outcomes, summary };
  }
  let checked: Awaited<ReturnType<typeof check>> | undefined;
  try {
    await inOrgTransaction(db, orgId, async (trx) => {
      const writer = createImportWriter(trx, actor);
      try {
        checked = await check(() => {
          if (planner.pendingAdds() >= CHUNK) writer.add(planner.takeAdds());
        });
      } catch (err) {
        await writer.settle(); // no write of this transaction is left running when it rolls back
        throw err;
      }
      if (checked.errors.length) {
        await writer.settle();
        throw ROW_ERRORS;
      }
      await writer.finish(checked.plan, checked.basis);
    });
  } catch (err) {
    if (err !== ROW_ERRORS) throw err;
  }
  const { errors, outcomes, summary } = checked!;
  return { applied: errors.length === 0, errors, outcomes, summary };
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
      const { applied: apply, errors, outcomes, summary } = await checkAndApply(db, orgId, actor, body, dryRun, size);
      const mode = dryRun ? 'dryRun' : apply ? 'applied' : 'refused';
      // Once applied, no checkpoint: a restart here would leave the changes without their result.
      reportProgress({ phase: 'Saving the result of each row', done: 0, checkpoint: !apply });

      const resultId = await saveImportResult(
        scope,
        {
          actor: actor.id,
          dry_run: dryRun,
          applied: apply,
          summary,
          error_count: errors.length,
          result_csv: resultCsv(outcomes, errors, mode),
        },
        RESULT_RETENTION_DAYS,
      );
      return {
        dryRun,
        applied: apply,
        summary,
        errorCount: errors.length,
        errors,
        resultId,
        resultCsvUrl: `/api/v1/users/import/${resultId}/result.csv`,
      };
    },

    async result(orgId: string, id: string): Promise<string> {
      const csv = await importResultCsv(scoped(db, orgId), id);
      if (csv === undefined) throw new NotFoundError('Import result', id);
      return csv;
    },
  };
}
