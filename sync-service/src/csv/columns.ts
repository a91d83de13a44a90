/**
 * The user CSV's columns (SPEC section 2) as data. Headers match by name in any order and case, ignoring spaces
 * and punctuation ("First Name", "first_name", "FIRSTNAME"); export-only columns are read and ignored.
 */
export const COLUMNS = [
  { key: 'email', header: 'Email', exported: true, imported: true },
  { key: 'firstName', header: 'First Name', exported: true, imported: true },
  { key: 'lastName', header: 'Last Name', exported: true, imported: true },
  { key: 'jobTitle', header: 'Job Title', exported: true, imported: true },
  { key: 'role', header: 'Role', exported: true, imported: true },
  { key: 'team', header: 'Team', exported: true, imported: true },
  { key: 'objectVisibility', header: 'Object Visibility', exported: true, imported: true },
  { key: 'licenses', header: 'Licenses', exported: true, imported: true },
  { key: 'profile', header: 'Configuration Profile', exported: true, imported: true },
  { key: 'status', header: 'Status', exported: true, imported: false },
  { key: 'suspendedAt', header: 'Suspended At', exported: true, imported: false },
  { key: 'operation', header: 'Operation', exported: true, imported: true },
  { key: 'suspensionReason', header: 'Suspension Reason', exported: false, imported: true },
] as const;

export type ColumnKey = (typeof COLUMNS)[number]['key'];

export const normalizeHeader = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

const BY_NORMALIZED = new Map<string, (typeof COLUMNS)[number]>(COLUMNS.map((c) => [normalizeHeader(c.header), c]));
export const columnForHeader = (header: string) => BY_NORMALIZED.get(normalizeHeader(header));

export const EXPORT_COLUMNS = COLUMNS.filter((c) => c.exported);

export const OPERATIONS = { add: 'Add', edit: 'Edit', suspend: 'Suspend', delete: 'Delete' } as const;
export type Operation = keyof typeof OPERATIONS;

/**
 * csv-stringify quotes cells holding the delimiter, a quote or the whole CRLF; a lone CR or LF must be quoted too
 * (RFC 4180), or the file re-imports broken.
 */
export const LINE_BREAK = /[\r\n]/;

/**
 * Cells the export guards: those a spreadsheet would run as a formula (OWASP CSV injection; with the full-width forms
 * Apple Numbers folds, as csv-stringify's escape_formulas lists), and those starting with quotes before such a
 * character (`'=x`), since the guard is a quote too and import must tell the guard from text that starts with one.
 */
const GUARDED = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A guarded cell as written: one or more quotes, then a formula start. */
const GUARD_WRITTEN = /^'+[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Prefixes a quote so a spreadsheet shows the cell as text instead of running it. */
export const escapeFormula = (cell: string) => (GUARDED.test(cell) ? `'${cell}` : cell);

/**
 * Undoes escapeFormula on import, so an exported file round-trips unchanged: exactly one quote goes from a cell that
 * is quotes then a formula start. Any other cell is read as written (`'Neil` stays `'Neil`); a hand-typed `'=x`
 * reads as `=x`, which is what a spreadsheet shows for it.
 */
export const unescapeFormula = (cell: string) => (GUARD_WRITTEN.test(cell) ? cell.slice(1) : cell);
