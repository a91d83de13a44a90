import { unstorableText } from '../shared/text.js';
import type { NewUserFields, UserFields } from '../users/repo.js';
import { Email } from '../users/schemas.js';
import {
  LICENSE_ALIASES,
  LICENSE_LABELS,
  lookupByLabel,
  ROLE_LABELS,
  VISIBILITY_LABELS,
  type License,
} from '../users/vocabulary.js';
import { COLUMNS, columnForHeader, OPERATIONS, unescapeFormula, type ColumnKey, type Operation } from './columns.js';
import { canonicalLicenses, interning, type ImportContext, type ImportedUser } from './load.js';
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
  messages: readonly string[];
}

export interface ImportPlan {
  adds: NewUserFields[];
  edits: { id: string; before: UserFields; after: UserFields }[];
  suspends: { id: string; reason: string }[];
  deletes: string[];
}

/**
 * What the plan read of the org, so the apply can tell whether it still holds: each user the file names (null: no
 * such user), and each team and profile name it used. The users are the context's own (no copies).
 */
export interface PlanBasis {
  /** By lower-cased email, in the order the file names them. */
  users: ReadonlyMap<string, ImportedUser | null>;
  teams: [name: string, ids: string[]][];
  profiles: [name: string, id: string | null][];
}

export interface Validated {
  plan: ImportPlan;
  basis: PlanBasis;
  errors: ImportProblem[];
  outcomes: RowOutcome[];
  summary: Record<Operation | 'unchanged', number>;
}

const MAX_TEXT = 200;
const DEFAULT_SUSPENSION_REASON = 'Suspended by CSV import';
/** Most rows have no message: they share this one empty list. */
const NO_MESSAGES: readonly string[] = Object.freeze([]);

/** The context as the plan sees it: every lookup is remembered in the basis. */
function recordingLookups(ctx: ImportContext) {
  const users = new Map<string, ImportedUser | null>();
  const teams = new Map<string, string[]>();
  const profiles = new Map<string, string | null>();
  return {
    user(key: string) {
      const u = ctx.users.get(key) ?? null;
      users.set(key, u);
      return u ?? undefined;
    },
    teams(key: string) {
      const ids = ctx.teams.get(key) ?? [];
      teams.set(key, ids);
      return ids;
    },
    profile(key: string) {
      const id = ctx.profiles.get(key) ?? null;
      profiles.set(key, id);
      return id ?? undefined;
    },
    basis: (): PlanBasis => ({ users, teams: [...teams], profiles: [...profiles] }),
  };
}

type Lookups = ReturnType<typeof recordingLookups>;

/**
 * Checks every row against the org as `ctx` has it, before anything is written (pure: feed it the file's records
 * one by one, then take the result): every problem is reported with its line and column, and the valid rows become
 * a plan that applyImport writes in one transaction. `take` says false once the rest of the file cannot be read
 * (a header without Email or Operation).
 */
export function createImportPlanner(ctx: ImportContext, actorId: string) {
  const look = recordingLookups(ctx);
  const errors: ImportProblem[] = [];
  const outcomes: RowOutcome[] = [];
  const plan: ImportPlan = { adds: [], edits: [], suspends: [], deletes: [] };
  const summary = { add: 0, edit: 0, suspend: 0, delete: 0, unchanged: 0 };
  const seen = new Map<string, number>();
  // A 100k-row file repeats the same operation words and job titles: each is kept once, not per planned row.
  const intern = interning();
  const defaultLicenses = canonicalLicenses(['foundation']);
  let header: { line: number; names: string[]; index: Partial<Record<ColumnKey, number>> } | null = null;

  function take(record: CsvRecord): boolean {
    if (!header) {
      header = readHeader(record, errors);
      return header.index.email !== undefined && header.index.operation !== undefined;
    }
    const h = header;
    const { line, cells } = record;
    const rowErrors: ImportProblem[] = [];
    const problem = (key: ColumnKey | null, code: string, message: string) =>
      rowErrors.push({
        line,
        column: key === null ? null : (h.names[h.index[key]!] ?? COLUMNS.find((c) => c.key === key)!.header),
        code,
        message,
      });
    const cell = (key: ColumnKey) => {
      const i = h.index[key];
      return i === undefined ? '' : unescapeFormula((cells[i] ?? '').trim());
    };
    const finish = (outcome: RowOutcome['outcome'], email: string, operation: string) => {
      errors.push(...rowErrors);
      outcomes.push({
        line,
        email,
        operation,
        outcome: rowErrors.length ? 'error' : outcome,
        messages: rowErrors.length ? rowErrors.map((e) => e.message) : NO_MESSAGES,
      });
      if (!rowErrors.length) summary[outcome as keyof typeof summary] += 1;
      return true;
    };

    if (cells.length !== h.names.length) {
      problem(
        null,
        'wrong_column_count',
        `Line ${line} has ${cells.length} values but the header has ${h.names.length} columns.`,
      );
      return finish('unchanged', '', '');
    }
    // Text the database cannot store is named by line and column, like any other bad cell.
    cells.forEach((value, i) => {
      const why = unstorableText(value);
      const column = h.names[i] || `Column ${i + 1}`;
      if (why) rowErrors.push({ line, column, code: 'invalid_text', message: `${column} ${why}.` });
    });
    const operationText = intern(cell('operation'));
    const email = cell('email');
    // Rows without an operation are left alone, whatever else they hold.
    if (!operationText) return finish('unchanged', email, '');
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
    const existing = email ? look.user(key) : undefined;

    if (!operation || !email) return finish('unchanged', email, operationText);
    if (operation === 'add' && existing)
      problem('email', 'user_exists', `${email} already exists; use Edit to change them.`);
    if (operation !== 'add' && !existing)
      problem('email', 'unknown_user', `No user has the email ${email}; use Add to create them.`);

    const fields = readFields(cell, problem, look);
    if (fields.jobTitle) fields.jobTitle = intern(fields.jobTitle);
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
          licenses: fields.licenses ?? defaultLicenses,
          profileId: fields.profileId ?? ctx.defaultProfileId,
        });
      }
      return finish('add', email, operationText);
    }
    if (operation === 'edit') {
      const before = existing?.fields;
      // Empty cells leave the value as it is.
      const after = before
        ? {
            ...before,
            ...(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<UserFields>),
          }
        : undefined;
      if (existing?.id === actorId && after && after.role !== 'admin')
        problem('role', 'cannot_demote_self', 'You cannot take away your own Admin role; ask another admin.');
      const changed = !!before && !!after && JSON.stringify(before) !== JSON.stringify(after);
      if (!rowErrors.length && changed) plan.edits.push({ id: existing!.id, before: before!, after: after! });
      return finish(changed ? 'edit' : 'unchanged', email, operationText);
    }
    if (operation === 'suspend') {
      if (existing?.id === actorId)
        problem('email', 'cannot_suspend_self', 'You cannot suspend yourself; ask another admin.');
      const already = existing?.status === 'suspended';
      if (!rowErrors.length && !already)
        plan.suspends.push({ id: existing!.id, reason: cell('suspensionReason') || DEFAULT_SUSPENSION_REASON });
      return finish(already ? 'unchanged' : 'suspend', email, operationText);
    }
    if (existing?.id === actorId)
      problem('email', 'cannot_delete_self', 'You cannot delete yourself; ask another admin.');
    if (!rowErrors.length) plan.deletes.push(existing!.id);
    return finish('delete', email, operationText);
  }

  function result(): Validated {
    if (!header)
      errors.push({
        line: 1,
        column: null,
        code: 'empty_file',
        message: 'The file is empty: it needs a header line and at least one user.',
      });
    return { plan, basis: look.basis(), errors, outcomes, summary };
  }

  /**
   * The Add rows planned so far, handed over and dropped from the plan (the import writes them while it reads on);
   * none once any row is wrong (they are dropped: nothing of a file with errors is imported).
   */
  function takeAdds(): NewUserFields[] {
    const adds = plan.adds.splice(0, plan.adds.length);
    return errors.length ? [] : adds;
  }

  /** A column's header as the file writes it (its usual header when the file has no such column). */
  function columnOf(key: ColumnKey): string {
    const i = header?.index[key];
    return (i === undefined ? undefined : header?.names[i]) ?? COLUMNS.find((c) => c.key === key)!.header;
  }

  return { take, result, takeAdds, pendingAdds: () => plan.adds.length, columnOf };
}

/** The plan for a whole file at once (pure). */
export function planImport(ctx: ImportContext, actorId: string, records: Iterable<CsvRecord>): Validated {
  const planner = createImportPlanner(ctx, actorId);
  for (const record of records) if (!planner.take(record)) break;
  return planner.result();
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
function readFields(cell: (key: ColumnKey) => string, problem: Problem, look: Lookups): Partial<UserFields> {
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
    out.licenses = canonicalLicenses(found);
    if (!found.length && !unknown)
      problem('licenses', 'missing_value', 'Give at least one license, separated by semicolons.');
  }
  const team = cell('team');
  if (team) {
    const ids = look.teams(team.toLowerCase());
    if (ids.length === 1) out.teamId = ids[0];
    else if (ids.length === 0) problem('team', 'unknown_team', `No team is named "${team}".`);
    else
      problem('team', 'ambiguous_team', `${ids.length} teams are named "${team}"; rename one so each name is unique.`);
  }
  const profile = cell('profile');
  if (profile) {
    out.profileId = look.profile(profile.toLowerCase());
    if (!out.profileId) problem('profile', 'unknown_profile', `No configuration profile is named "${profile}".`);
  }
  return out;
}
