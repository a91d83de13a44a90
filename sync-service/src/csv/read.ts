import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { UnreadableEncodingError, utf8Text } from './decode.js';

export interface CsvRecord {
  /** The 1-based line where the record starts (a quoted field may span lines). */
  line: number;
  cells: string[];
}

/** A problem that stops reading the file: the rest of it cannot be trusted. */
export class CsvReadError extends Error {
  constructor(
    readonly line: number,
    readonly code: 'unreadable_encoding' | 'malformed_csv',
    message: string,
  ) {
    super(message);
  }
}

const newlines = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
};

/**
 * Streams records out of an upload with csv-parse: quoted fields with commas and newlines, any column count
 * (checked by the caller, per line), blank lines and all-empty rows skipped. Never holds the whole file.
 */
export async function* readCsv(body: Readable): AsyncGenerator<CsvRecord> {
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    info: true,
    max_record_size: 1_000_000,
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
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // info.lines is where the record ends; line breaks inside quoted cells say how far back it started.
      let inner = 0;
      for (const cell of record) inner += newlines(cell);
      yield { line: info.lines - inner, cells: record };
    }
  } catch (err) {
    const cause = failure.error ?? err;
    if (cause instanceof UnreadableEncodingError)
      throw new CsvReadError(cause.line, 'unreadable_encoding', cause.message);
    const csvErr = cause as { code?: string; lines?: number; message: string };
    if (csvErr.code?.startsWith('CSV_')) {
      const line = csvErr.lines ?? 0;
      const message =
        csvErr.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `A quoted field is never closed (the file ends inside quotes opened at or before line ${line}).`
          : `The file is not valid CSV near line ${line}: ${csvErr.message}`;
      throw new CsvReadError(line, 'malformed_csv', message);
    }
    throw cause;
  } finally {
    body.unpipe(decoder);
    body.resume();
  }
}
