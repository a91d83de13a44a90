import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { UnreadableEncodingError, utf8Text } from './decode.js';

export interface CsvRecord {
  /** The 1-based line where the record starts (a quoted field may span lines). */
  line: number;
  cells: string[];
  /** How far into the file the record ends, in bytes (progress through a file of known size). */
  bytes?: number;
}

/** A problem that stops reading the file: the rest of it cannot be trusted. */
export class CsvReadError extends Error {
  constructor(
    readonly line: number,
    readonly code: 'unreadable_encoding' | 'malformed_csv',
    message: string,
    /** The header of the column where reading stopped, when known. */
    readonly column: string | null = null,
  ) {
    super(message);
  }
}

/** What went wrong, in the admin's words, for csv-parse's error codes. */
function malformedMessage(code: string, line: number, column: string | null, detail: string): string {
  const where = column ? `Line ${line}, column ${column}` : `Line ${line}`;
  if (code === 'CSV_QUOTE_NOT_CLOSED')
    return `A quoted field is never closed (the file ends inside quotes opened at or before line ${line}).`;
  if (code === 'INVALID_OPENING_QUOTE' || code === 'CSV_INVALID_CLOSING_QUOTE')
    return (
      `${where}: a double quote inside a cell that is not wholly in quotes. ` +
      'Put the whole cell in double quotes and double each quote inside it ("27"" Monitor"). ' +
      'If this is JSON, send a CSV file instead.'
    );
  return `${where}: the file is not valid CSV (${detail}).`;
}

/** Line breaks as an editor counts them: CRLF, LF or a lone CR is one line. */
const lineBreaks = (text: string) => text.match(/\r\n|\r|\n/g)?.length ?? 0;
/** csv-parse counts CR and LF each as a line, so a CRLF kept inside a quoted cell counts twice. */
const crlfs = (text: string) => text.match(/\r\n/g)?.length ?? 0;

/**
 * Streams records out of an upload with csv-parse: quoted fields with commas and newlines, any column count
 * (checked by the caller, per line), blank lines and all-empty rows skipped. Never holds the whole file.
 */
export async function* readCsv(body: Readable): AsyncGenerator<CsvRecord> {
  let header = null as string[] | null;
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    info: true,
    max_record_size: 1_000_000,
    // The header is kept as parsed, to name the column of an error that ends reading before any record is read.
    on_record: (parsed: unknown) => {
      const record = parsed as { record: string[] } | string[];
      header ??= Array.isArray(record) ? record : record.record;
      return parsed as string[];
    },
  });
  const decoder = utf8Text();
  const failure: { error?: unknown } = {};
  decoder.on('error', (err) => {
    failure.error = err;
    parser.destroy(err);
  });
  body.on('error', (err) => {
    failure.error = err;
    parser.destroy(err);
  });
  body.pipe(decoder).pipe(parser);
  // The CRLFs csv-parse has counted twice so far, in every record read.
  let overcount = 0;
  try {
    type Parsed = { record: string[]; info: { lines: number; bytes: number } };
    for await (const { record, info } of parser as AsyncIterable<Parsed>) {
      // info.lines is where the record ends; line breaks inside quoted cells say how far back it started.
      let inner = 0;
      for (const cell of record) {
        inner += lineBreaks(cell);
        overcount += crlfs(cell);
      }
      yield { line: info.lines - overcount - inner, cells: record, bytes: info.bytes };
    }
  } catch (err) {
    const cause = failure.error ?? err;
    if (cause instanceof UnreadableEncodingError)
      throw new CsvReadError(cause.line, 'unreadable_encoding', cause.message);
    // Every csv-parse error (some codes lack the CSV_ prefix, e.g. INVALID_OPENING_QUOTE) is a problem of the file.
    if (cause instanceof CsvError) {
      const csvErr = cause as CsvError & { lines?: number; column?: number | string };
      const line = Math.max(1, (csvErr.lines ?? 1) - overcount);
      const index = typeof csvErr.column === 'number' ? csvErr.column : null;
      const column = index === null ? null : header?.[index]?.trim() || `Column ${index + 1}`;
      throw new CsvReadError(
        line,
        'malformed_csv',
        malformedMessage(csvErr.code, line, column, csvErr.message),
        column,
      );
    }
    throw cause;
  } finally {
    body.unpipe(decoder);
    body.resume();
  }
}
