import { stringify } from 'csv-stringify/sync';

/** Cells a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV injection). */
export function escapeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export const PERMISSION_ERROR_COLUMNS = [
  'Email',
  'Permission Error Since',
  'Reason',
  'Fix',
  'Takes Effect',
  'Last Checked',
  'Provider Code',
  'Provider Message',
];

export interface PermissionErrorCsvRow {
  email: string;
  since: string | null;
  reason: { label: string; fix: string; propagation: string | null };
  lastChecked: string | null;
  provider: { code: string | null; message: string | null } | null;
}

export function permissionErrorsCsv(rows: PermissionErrorCsvRow[]): string {
  const records = rows.map((r) =>
    [
      r.email,
      r.since ?? '',
      r.reason.label,
      r.reason.fix,
      r.reason.propagation ?? '',
      r.lastChecked ?? '',
      r.provider?.code ?? '',
      r.provider?.message ?? '',
    ].map(escapeFormula),
  );
  return stringify([PERMISSION_ERROR_COLUMNS, ...records]);
}
