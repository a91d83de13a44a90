import type { OrgScope } from '../db/scoped.js';
import type { Actor } from '../shared/audit.js';
import { unstorableText } from '../shared/text.js';
import { builtinTeamId, defaultProfileId, fieldsOf, type NewUserFields, type UserFields } from '../users/repo.js';
import { Email } from '../users/schemas.js';
import {
  LICENSE_ALIASES,
  LICENSE_LABELS,
  LICENSES,
  lookupByLabel,
  ROLE_LABELS,
  VISIBILITY_LABELS,
  type License,
} from '../users/vocabulary.js';
import { COLUMNS, columnForHeader, OPERATIONS, unescapeFormula, type ColumnKey, type Operation } from './columns.js';
import type { CsvRecord } from './read.js';

export interface ImportProblem {
  line: number;
  /** The column's header as written in the file, or null when the whole line is at fault. */
  column: string | null;
  code: string;
  message: string;
}

export interface RowOutcome {
  line: number;
  email: string;
  operation: string;
  outcome: Operation | 'unchanged' | 'error';
  messages: string[];
}

export interface ImportPlan {
  adds: NewUserFields[];
  edits: { id: string; before: UserFields; after: UserFields }[];
  suspends: { id: string; reason: string }[];
  deletes: string[];
}

export interface Validated {
  plan: ImportPlan;
  errors: ImportProblem[];
  outcomes: RowOutcome[];
  summary: Record<Operation | 'unchanged', number>;
}

interface Context {
  users: Map<string, { id: string; status: string; fields: UserFields }>;
  teams: Map<string, string[]>;
  profiles: Map<string, string>;
  topTeamId: string;
  defaultProfileId: string;
}

async function loadContext(scope: OrgScope): Promise<Context> {
  const users = new Map<string, { id: string; status: string; fields: UserFields }>();
  const rows = await scope
    .table('users')
    .select(
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
    );
  for (const row of rows) {
    const fields = fieldsOf(row);
    users.set(row.email.toLowerCase(), {
      id: row.id,
      status: row.status,
      fields: { ...fields, licenses: canonical(fields.licenses) },
    });
  }
  const teams = new Map<string, string[]>();
  for (const t of await scope.table('teams').whereIn('kind', ['top', 'hierarchy', 'unassigned']).select('id', 'name')) {
    const key = t.name.trim().toLowerCase();
    teams.set(key, [...(teams.get(key) ?? []), t.id]);
  }
  const profiles = new Map<string, string>();
  for (const p of await scope.table('configuration_profiles').select('id', 'name'))
    profiles.set(p.name.trim().toLowerCase(), p.id);
  return {
    users,
    teams,
    profiles,
    topTeamId: await builtinTeamId(scope, 'top'),
    defaultProfileId: await defaultProfileId(scope),
  };
}

const MAX_TEXT = 200;
const canonical = (licenses: License[]) => LICENSES.filter((l) => licenses.includes(l));
const DEFAULT_SUSPENSION_REASON = 'Suspended by CSV import';

/**
 * Reads the whole file and checks every row against the org before anything is written: every problem is
 * reported with its line and column, and the valid rows become a plan that applyPlan writes in one transaction.
 */
export async function validateImport(
  scope: OrgScope,
  actor: Actor,
  records: AsyncIterable<CsvRecord>,
): Promise<Validated> {
  const ctx = await loadContext(scope);
  const errors: ImportProblem[] = [];
  const outcomes: RowOutcome[] = [];
  const plan: ImportPlan = { adds: [], edits: [], suspends: [], deletes: [] };
  const summary = { add: 0, edit: 0, suspend: 0, delete: 0, unchanged: 0 };
  const seen = new Map<string, number>();

  let header: { line: number; names: string[]; index: Partial<Record<ColumnKey, number>> } | null = null;
  for await (const record of records) {
    if (!header) {
      header = readHeader(record, errors);
      if (header.index.email === undefined || header.index.operation === undefined) break;
      continue;
    }
    const { line, cells } = record;
    const rowErrors: ImportProblem[] = [];
    const problem = (key: ColumnKey | null, code: string, message: string) =>
      rowErrors.push({
        line,
        column:
          key === null ? null : (header!.names[header!.index[key]!] ?? COLUMNS.find((c) => c.key === key)!.header),
        code,
        message,
      });
    const cell = (key: ColumnKey) => {
      const i = header!.index[key];
      return i === undefined ? '' : unescapeFormula((cells[i] ?? '').trim());
    };
    const finish = (outcome: RowOutcome['outcome'], email: string, operation: string) => {
      errors.push(...rowErrors);
      outcomes.push({
        line,
        email,
        operation,
        outcome: rowErrors.length ? 'error' : outcome,
        messages: rowErrors.map((e) => e.message),
      });
      if (!rowErrors.length) summary[outcome as keyof typeof summary] += 1;
    };

    if (cells.length !== header.names.length) {
      problem(
        null,
        'wrong_column_count',
        `Line ${line} has ${cells.length} values but the header has ${header.names.length} columns.`,
      );
      finish('unchanged', '', '');
      continue;
    }
    // Text the database cannot store is named by line and column, like any other bad cell.
    cells.forEach((value, i) => {
      const why = unstorableText(value);
      const column = header!.names[i] || `Column ${i + 1}`;
      if (why) rowErrors.push({ line, column, code: 'invalid_text', message: `${column} ${why}.` });
    });
    const operationText = cell('operation');
    const email = cell('email');
    // Rows without an operation are left alone, whatever else they hold.
    if (!operationText) {
      finish('unchanged', email, '');
      continue;
    }
    const operation = lookupByLabel(OPERATIONS, operationText);
    if (!operation)
      problem(
        'operation',
        'unknown_operation',
        `"${operationText}" is not an operation; use Add, Edit, Suspend or Delete.`,
      );

    const key = email.toLowerCase();
    if (!email) problem('email', 'missing_value', 'Email is required.');
    else if (!Email.safeParse(email).success)
      problem('email', 'invalid_email', `"${email}" is not a valid email address.`);
    else if (seen.has(key))
      problem(
        'email',
        'duplicate_email',
        `${email} is also on line ${seen.get(key)}; an email may appear on one line only.`,
      );
    else seen.set(key, line);
    const existing = email ? ctx.users.get(key) : undefined;

    if (!operation || !email) {
      finish('unchanged', email, operationText);
      continue;
    }
    if (operation === 'add' && existing)
      problem('email', 'user_exists', `${email} already exists; use Edit to change them.`);
    if (operation !== 'add' && !existing)
      problem('email', 'unknown_user', `No user has the email ${email}; use Add to create them.`);

    const fields = readFields(cell, problem, ctx);
    if (operation === 'add') {
      // Every user has a first and last name, a role, at least one license and a visibility (SPEC 2).
      if (!cell('firstName')) problem('firstName', 'missing_value', 'First Name is required to add a user.');
      if (!cell('lastName')) problem('lastName', 'missing_value', 'Last Name is required to add a user.');
      if (!cell('role')) problem('role', 'missing_value', 'Role is required to add a user.');
      if (!rowErrors.length) {
        plan.adds.push({
          email,
          firstName: fields.firstName ?? '',
          lastName: fields.lastName ?? '',
          jobTitle: fields.jobTitle ?? '',
          role: fields.role!,
          teamId: fields.teamId ?? ctx.topTeamId,
          objectVisibility: fields.objectVisibility ?? 'full',
          licenses: fields.licenses ?? ['foundation'],
          profileId: fields.profileId ?? ctx.defaultProfileId,
        });
      }
      finish('add', email, operationText);
    } else if (operation === 'edit') {
      const before = existing?.fields;
      // Empty cells leave the value as it is.
      const after = before
        ? {
            ...before,
            ...(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<UserFields>),
          }
        : undefined;
      const changed = !!before && !!after && JSON.stringify(before) !== JSON.stringify(after);
      if (!rowErrors.length && changed) plan.edits.push({ id: existing!.id, before: before!, after: after! });
      finish(changed ? 'edit' : 'unchanged', email, operationText);
    } else if (operation === 'suspend') {
      if (existing?.id === actor.id)
        problem('email', 'cannot_suspend_self', 'You cannot suspend yourself; ask another admin.');
      const already = existing?.status === 'suspended';
      if (!rowErrors.length && !already)
        plan.suspends.push({ id: existing!.id, reason: cell('suspensionReason') || DEFAULT_SUSPENSION_REASON });
      finish(already ? 'unchanged' : 'suspend', email, operationText);
    } else {
      if (existing?.id === actor.id)
        problem('email', 'cannot_delete_self', 'You cannot delete yourself; ask another admin.');
      if (!rowErrors.length) plan.deletes.push(existing!.id);
      finish('delete', email, operationText);
    }
  }
  if (!header)
    errors.push({
      line: 1,
      column: null,
      code: 'empty_file',
      message: 'The file is empty: it needs a header line and at least one user.',
    });
  return { plan, errors, outcomes, summary };
}

function readHeader(record: CsvRecord, errors: ImportProblem[]) {
  const index: Partial<Record<ColumnKey, number>> = {};
  record.cells.forEach((raw, i) => {
    const name = raw.trim();
    if (!name) return;
    const column = columnForHeader(name);
    if (!column) {
      errors.push({
        line: record.line,
        column: name,
        code: 'unknown_column',
        message: `"${name}" is not a user column. Columns: ${COLUMNS.map((c) => c.header).join(', ')}.`,
      });
    } else if (index[column.key] !== undefined) {
      errors.push({
        line: record.line,
        column: name,
        code: 'duplicate_column',
        message: `The ${column.header} column appears twice.`,
      });
    } else if (column.imported) {
      index[column.key] = i;
    }
  });
  for (const required of ['email', 'operation'] as const) {
    if (index[required] === undefined) {
      const header = COLUMNS.find((c) => c.key === required)!.header;
      errors.push({
        line: record.line,
        column: header,
        code: 'missing_column',
        message: `The file needs an ${header} column.`,
      });
    }
  }
  return { line: record.line, names: record.cells.map((c) => c.trim()), index };
}

type Problem = (key: ColumnKey, code: string, message: string) => void;

/** The editable cells of a row, resolved to codes and ids; undefined where the cell is empty. */
function readFields(cell: (key: ColumnKey) => string, problem: Problem, ctx: Context): Partial<UserFields> {
  const out: Partial<UserFields> = {};
  for (const key of ['firstName', 'lastName', 'jobTitle'] as const) {
    const value = cell(key);
    if (value.length > MAX_TEXT) problem(key, 'too_long', `At most ${MAX_TEXT} characters.`);
    else if (value) out[key] = value;
  }
  const role = cell('role');
  if (role) {
    out.role = lookupByLabel(ROLE_LABELS, role);
    if (!out.role) problem('role', 'unknown_role', `"${role}" is not a role; use Admin, Manager, Member or Data.`);
  }
  const visibility = cell('objectVisibility');
  if (visibility) {
    out.objectVisibility = lookupByLabel(VISIBILITY_LABELS, visibility);
    if (!out.objectVisibility)
      problem(
        'objectVisibility',
        'unknown_visibility',
        `"${visibility}" is not an object visibility; use Full, Team or Individual.`,
      );
  }
  const licenses = cell('licenses');
  if (licenses) {
    const found: License[] = [];
    let unknown = false;
    for (const name of licenses
      .split(/[;,]/)
      .map((l) => l.trim())
      .filter(Boolean)) {
      const license = lookupByLabel(LICENSE_LABELS, name, LICENSE_ALIASES);
      if (license) found.push(license);
      else if ((unknown = true))
        problem(
          'licenses',
          'unknown_license',
          `"${name}" is not a license; use ${Object.values(LICENSE_LABELS).join(', ')}, separated by semicolons.`,
        );
    }
    out.licenses = canonical(found);
    if (!found.length && !unknown)
      problem('licenses', 'missing_value', 'Give at least one license, separated by semicolons.');
  }
  const team = cell('team');
  if (team) {
    const ids = ctx.teams.get(team.toLowerCase()) ?? [];
    if (ids.length === 1) out.teamId = ids[0];
    else if (ids.length === 0) problem('team', 'unknown_team', `No team is named "${team}".`);
    else
      problem('team', 'ambiguous_team', `${ids.length} teams are named "${team}"; rename one so each name is unique.`);
  }
  const profile = cell('profile');
  if (profile) {
    out.profileId = ctx.profiles.get(profile.toLowerCase());
    if (!out.profileId) problem('profile', 'unknown_profile', `No configuration profile is named "${profile}".`);
  }
  return out;
}
