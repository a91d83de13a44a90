import { AppError, BadRequestError, ConflictError } from './errors.js';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  column?: string;
  table?: string;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The fields a constraint's key names, from PostgreSQL's detail ("Key (org_id, lower(email::text))=(...)"), in the
 * API's words: the tenant column every key starts with is left out, expressions give their column.
 */
export function keyFields(detail: string | undefined): string[] {
  const key = /Key \((.+?)\)=\(/.exec(detail ?? '')?.[1];
  if (!key) return [];
  return key
    .split(/,\s*/)
    .map((part) => /([a-z_][a-z0-9_]*)(?:::[a-z ]+)?\)*$/i.exec(part.trim())?.[1] ?? part)
    .filter((column) => column !== 'org_id')
    .map(camel);
}

// PostgreSQL errors that bad or conflicting input (not a fault of the service) causes, as data. No data exception
// (class 22: a bad uuid, a number or date out of range, division by zero) is here: every request's input is checked
// by its schema before SQL sees it, so one reaching the database is the service's bug, answered 500 with the
// request id rather than blamed on the caller.
const INPUT_ERRORS: {
  test: (code: string) => boolean;
  status: 400 | 409;
  code: string;
  say: (field: string) => string;
}[] = [
  {
    test: (c) => c === '23505',
    status: 409,
    code: 'already_exists',
    say: (f) => `Another record already has this ${f}.`,
  },
  {
    test: (c) => c === '23503' || c === '23001', // foreign key, or a RESTRICT one
    status: 409,
    code: 'reference_conflict',
    say: (f) => `The ${f} refers to a record that does not exist, or one that others still refer to.`,
  },
  {
    test: (c) => c === '40001' || c === '40P01',
    status: 409,
    code: 'concurrent_change',
    say: () => 'Another change to the same records ran at the same time; try again.',
  },
  { test: (c) => c === '54000', status: 400, code: 'value_too_large', say: (f) => `The ${f} is too large to store.` },
  {
    test: (c) => c === '23502' || c === '23514',
    status: 400,
    code: 'invalid_value',
    say: (f) => `The ${f} cannot be stored as given.`,
  },
];

/** A database error that bad or conflicting input caused, as the 4xx it deserves; null for anything else. */
export function fromDatabaseError(err: unknown): AppError | null {
  const pg = err as PgError;
  if (typeof pg?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(pg.code)) return null;
  const kind = INPUT_ERRORS.find((k) => k.test(pg.code!));
  if (!kind) return null;
  const fields = keyFields(pg.detail);
  const field = fields.length ? fields.join(', ') : pg.column ? camel(pg.column) : null;
  const details = { field, constraint: pg.constraint ?? null };
  const message = kind.say(field ?? 'value');
  return kind.status === 409
    ? new ConflictError(kind.code, message, details)
    : new BadRequestError(kind.code, message, details);
}
