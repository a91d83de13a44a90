import {
  parseQuery,
  type FieldType,
  type OrderByClause,
  type Query,
  type WhereClause,
} from '@jetstreamapp/soql-parser-js';
import type { Access } from './access.js';
import type { FieldDef, ObjectDef, Rec } from './catalog.js';
import { sfError, SfError } from './errors.js';
import { parseDateTime } from './ids.js';
import type { OrgStore } from './org.js';
import { compileWhere } from './where.js';

export interface QueryContext {
  org: OrgStore;
  access: Access;
  version: string;
  soql: string;
}

/** A resolved field path: the lookups walked, then the field read. */
export interface FieldPath {
  lookups: FieldDef[];
  field: FieldDef;
  /** Canonical names of the relationship segments, for nesting the output. */
  relNames: string[];
  get(rec: Rec): unknown;
}

export interface QueryResult {
  type: string;
  rows: Rec[];
  /** Serializes one row the way the REST API does; called per page. */
  project(rec: Rec): Rec;
  /** SELECT COUNT(): only the count. */
  countOnly: boolean;
  aggregate: boolean;
  /** The first selected field, for semi-joins. */
  firstPath?: FieldPath;
}

const NO_SUCH_COLUMN = (f: string, o: string) =>
  `No such column '${f}' on entity '${o}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;
const NO_RELATIONSHIP = (r: string) =>
  `Didn't understand relationship '${r}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`;

/** Salesforce's SOQL error message: the query, a caret under the culprit, its row and column. */
export function soqlError(ctx: QueryContext, code: string, needle: string, message: string): SfError {
  const lines = ctx.soql.split('\n');
  let row = 0;
  let col = 0;
  const lower = needle.toLowerCase();
  for (let i = 0; i < lines.length; i++) {
    const idx = lines[i]!.toLowerCase().search(
      new RegExp(`(?<![A-Za-z0-9_.])${lower.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    if (idx >= 0) {
      row = i;
      col = idx;
      break;
    }
  }
  return sfError(code, `\n${lines[row]}\n${' '.repeat(col)}^\nERROR at Row:${row + 1}:Column:${col + 1}\n${message}`);
}

export function resolveObject(ctx: QueryContext, name: string): ObjectDef {
  const def = [...ctx.org.catalog.values()].find((d) => d.name.toLowerCase() === name.toLowerCase());
  if (!def || !ctx.access.canReadObject(def.name)) {
    throw soqlError(
      ctx,
      'INVALID_TYPE',
      name,
      `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return def;
}

/** Resolves `UserRole.Name` or `Profile.UserLicense.Name` against what the running user can read. */
export function resolvePath(ctx: QueryContext, root: ObjectDef, raw: string, alias?: string): FieldPath {
  let segments = raw.split('.');
  if (segments.length > 1 && (segments[0]!.toLowerCase() === root.name.toLowerCase() || segments[0] === alias))
    segments = segments.slice(1);
  const fieldName = segments.pop()!;
  let defs: ObjectDef[] = [root];
  const lookups: FieldDef[] = [];
  const relNames: string[] = [];
  for (const rel of segments) {
    const lookup = defs
      .map((d) => d.byRelationship.get(rel.toLowerCase()))
      .find((f) => f && defs.some((d) => ctx.access.canReadField(d, f)));
    const targets = (lookup?.referenceTo ?? [])
      .map((t) => ctx.org.object(t))
      .filter((d): d is ObjectDef => !!d && ctx.access.canReadObject(d.name));
    if (!lookup || !targets.length) throw soqlError(ctx, 'INVALID_FIELD', raw, NO_RELATIONSHIP(rel));
    lookups.push(lookup);
    relNames.push(lookup.relationshipName!);
    defs = targets;
  }
  const polymorphicType = lookups.length > 0 && defs.length > 1 && fieldName.toLowerCase() === 'type';
  const candidates = defs
    .map((d) => [d, d.byLower.get(fieldName.toLowerCase())] as const)
    .filter(([d, f]) => f && ctx.access.canReadField(d, f));
  if (!candidates.length && !polymorphicType)
    throw soqlError(ctx, 'INVALID_FIELD', raw, NO_SUCH_COLUMN(fieldName, defs[0]!.name));
  const field: FieldDef = polymorphicType
    ? {
        name: 'Type',
        type: 'picklist',
        permissionable: false,
        referenceTo: [],
        relationshipName: null,
        flsKey: 'Type',
        custom: false,
      }
    : candidates[0]![1]!;
  const { org } = ctx;
  const fieldsByType = new Map(candidates.map(([d, f]) => [d.name, f!]));
  return {
    lookups,
    field,
    relNames,
    get(rec) {
      let current: Rec = rec;
      let type = root.name;
      for (const l of lookups) {
        const id: unknown = current[l.name];
        const parent: { type: string; rec: Rec } | undefined = typeof id === 'string' ? org.get(id) : undefined;
        if (!parent) return null;
        current = parent.rec;
        type = parent.type;
      }
      if (polymorphicType) return type;
      const def = fieldsByType.get(type);
      return def ? readField(current, def) : null;
    },
  };
}

export function readField(rec: Rec, field: FieldDef): unknown {
  const v = field.get ? field.get(rec) : rec[field.name];
  return v === undefined ? null : v;
}

interface Column {
  key: string;
  path?: FieldPath;
  aggregate?: { fn: string; path: FieldPath | null };
}

export function runQuery(ctx: QueryContext, opts: { includeDeleted: boolean; parsed?: Query }): QueryResult {
  let query: Query;
  try {
    query = opts.parsed ?? parseQuery(ctx.soql);
  } catch (err) {
    const found = /but found --> '(.*?)' <--/.exec((err as Error).message)?.[1];
    const needle = found ?? ctx.soql.trim().split(/\s+/).pop() ?? '';
    throw soqlError(ctx, 'MALFORMED_QUERY', needle, found ? `unexpected token: ${found}` : `unexpected token: <EOF>`);
  }
  if (!query.sObject) throw soqlError(ctx, 'MALFORMED_QUERY', 'FROM', 'unexpected token: FROM');
  const root = resolveObject(ctx, query.sObject);
  const alias = query.sObjectAlias;
  const columns = compileFields(ctx, root, query.fields ?? [], alias);
  const countOnly =
    columns.length === 1 && columns[0]!.aggregate?.fn === 'COUNT' && !columns[0]!.aggregate.path && !query.groupBy;
  const aggregate = !countOnly && columns.some((c) => c.aggregate);
  const predicate = query.where ? compileWhere(ctx, root, query.where as WhereClause, alias) : () => true;

  let rows = scope(ctx, root, opts.includeDeleted).filter(predicate);
  if (query.orderBy)
    rows = sortRows(ctx, root, rows, Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy], alias);
  if (query.offset !== undefined && query.offset > 2000)
    throw sfError('NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');

  if (aggregate) {
    const groupBy = (Array.isArray(query.groupBy) ? query.groupBy : query.groupBy ? [query.groupBy] : []).map((g) => {
      if (!('field' in g))
        throw soqlError(ctx, 'MALFORMED_QUERY', 'GROUP BY', 'The fake supports GROUP BY on fields only');
      return resolvePath(ctx, root, g.field, alias);
    });
    const groupedRows = groupRows(rows, groupBy, columns);
    const sliced = groupedRows.slice(
      query.offset ?? 0,
      query.limit !== undefined ? (query.offset ?? 0) + query.limit : undefined,
    );
    return { type: 'AggregateResult', rows: sliced, project: (r) => r, countOnly: false, aggregate: true };
  }
  rows = rows.slice(query.offset ?? 0, query.limit !== undefined ? (query.offset ?? 0) + query.limit : undefined);
  if (countOnly) return { type: root.name, rows, project: (r) => r, countOnly: true, aggregate: false };
  const result: QueryResult = {
    type: root.name,
    rows,
    project: projector(ctx, root, columns),
    countOnly: false,
    aggregate: false,
  };
  if (columns[0]?.path) result.firstPath = columns[0].path;
  return result;
}

/** The rows the running user can see: not deleted (unless queryAll), within sharing. */
function scope(ctx: QueryContext, root: ObjectDef, includeDeleted: boolean): Rec[] {
  const { org, access } = ctx;
  if (root.name === 'UserPermissionAccess') {
    return [
      {
        Id: '000000000000000AAA',
        ...Object.fromEntries(
          [...root.fields].filter((f) => f.name !== 'Id').map((f) => [f.name, access.permissions.has(f.name)]),
        ),
      },
    ];
  }
  let rows = org.rows(root.name);
  if (!includeDeleted && root.byLower.has('isdeleted')) rows = rows.filter((r) => r.IsDeleted !== true);
  if (!access.viewAllRecords(root.name)) {
    const owners = access.visibleOwners();
    const ownerField = root.name === 'User' ? 'Id' : root.owned ? 'OwnerId' : null;
    if (ownerField) rows = rows.filter((r) => owners.has(r[ownerField] as string));
  }
  return rows;
}

function compileFields(ctx: QueryContext, root: ObjectDef, fields: FieldType[], alias?: string): Column[] {
  const columns: Column[] = [];
  let expr = 0;
  for (const f of fields) {
    if (f.type === 'Field' || f.type === 'FieldRelationship') {
      const raw = f.type === 'Field' ? f.field : (f.rawValue ?? [...f.relationships, f.field].join('.'));
      const path = resolvePath(ctx, root, raw, alias);
      columns.push({ key: path.field.name, path });
    } else if (f.type === 'FieldFunctionExpression') {
      const fn = f.functionName.toUpperCase();
      if (fn === 'FIELDS') {
        const which = String(f.parameters[0] ?? '').toUpperCase();
        for (const def of root.fields) {
          if (
            ctx.access.canReadField(root, def) &&
            (which !== 'CUSTOM' || def.custom) &&
            (which !== 'STANDARD' || !def.custom)
          ) {
            columns.push({ key: def.name, path: resolvePath(ctx, root, def.name) });
          }
        }
        continue;
      }
      if (!['COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX', 'SUM', 'AVG'].includes(fn))
        throw soqlError(ctx, 'MALFORMED_QUERY', f.functionName, `The fake does not support ${fn}()`);
      const param = f.parameters[0];
      const path = typeof param === 'string' ? resolvePath(ctx, root, param, alias) : null;
      columns.push({ key: f.alias ?? `expr${expr++}`, aggregate: { fn, path } });
    } else {
      throw soqlError(ctx, 'MALFORMED_QUERY', 'SELECT', 'The fake does not support subqueries or TYPEOF in SELECT');
    }
  }
  return columns;
}

/** Builds the nested output: parent objects under their relationship name with their own attributes. */
function projector(ctx: QueryContext, root: ObjectDef, columns: Column[]): (rec: Rec) => Rec {
  const base = `/services/data/v${ctx.version}/sobjects/`;
  return (rec) => {
    const out: Rec = { attributes: { type: root.name, url: base + root.name + '/' + rec.Id } };
    for (const col of columns) {
      const path = col.path!;
      let target: Rec | null = out;
      let current: Rec | undefined = rec;
      for (let i = 0; i < path.lookups.length && target; i++) {
        const rel = path.relNames[i]!;
        const parentId: unknown = current?.[path.lookups[i]!.name];
        const parent: { type: string; rec: Rec } | undefined =
          typeof parentId === 'string' ? ctx.org.get(parentId) : undefined;
        if (!(rel in target)) {
          target[rel] = parent
            ? { attributes: { type: parent.type, url: base + parent.type + '/' + parent.rec.Id } }
            : null;
        }
        target = target[rel] as Rec | null;
        current = parent?.rec;
      }
      if (target) target[col.key] = path.get(rec);
    }
    return out;
  };
}

function compareValues(a: unknown, b: unknown, type: string): number {
  if (type === 'datetime') return (parseDateTime(a) ?? 0) - (parseDateTime(b) ?? 0);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = type === 'sortKey' ? String(a) : String(a).toLowerCase();
  const sb = type === 'sortKey' ? String(b) : String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function sortRows(ctx: QueryContext, root: ObjectDef, rows: Rec[], orderBy: OrderByClause[], alias?: string): Rec[] {
  const keys = orderBy.map((o) => {
    if (!('field' in o))
      throw soqlError(ctx, 'MALFORMED_QUERY', 'ORDER BY', 'The fake supports ORDER BY on fields only');
    const path = resolvePath(ctx, root, o.field, alias);
    const desc = o.order === 'DESC';
    return { path, desc, nullsFirst: o.nulls ? o.nulls === 'FIRST' : !desc };
  });
  // Sort keys are computed once per row: datetimes to epoch ms, strings lower-cased.
  const sortKey = (v: unknown, type: string): unknown =>
    v == null ? null : type === 'datetime' ? parseDateTime(v) : typeof v === 'string' ? v.toLowerCase() : v;
  const decorated = rows.map((rec) => ({ rec, values: keys.map((k) => sortKey(k.path.get(rec), k.path.field.type)) }));
  decorated.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const a = x.values[i];
      const b = y.values[i];
      if (a == null || b == null) {
        if (a == null && b == null) continue;
        return (a == null) === k.nullsFirst ? -1 : 1;
      }
      const c = compareValues(a, b, 'sortKey');
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.rec);
}

function groupRows(rows: Rec[], groupBy: FieldPath[], columns: Column[]): Rec[] {
  const groups = new Map<string, Rec[]>();
  for (const r of rows) {
    const key = JSON.stringify(groupBy.map((g) => g.get(r)));
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  if (!groupBy.length && !groups.size) groups.set('[]', []);
  return [...groups.values()].map((members) => {
    const out: Rec = { attributes: { type: 'AggregateResult' } };
    for (const col of columns) {
      if (col.path) {
        out[col.key] = members[0] ? col.path.get(members[0]) : null;
        continue;
      }
      const { fn, path } = col.aggregate!;
      const values = path ? members.map((m) => path.get(m)).filter((v) => v != null) : members;
      if (fn === 'COUNT') out[col.key] = values.length;
      else if (fn === 'COUNT_DISTINCT') out[col.key] = new Set(values.map((v) => String(v))).size;
      else if (fn === 'SUM' || fn === 'AVG') {
        const sum = values.reduce<number>((s, v) => s + Number(v), 0);
        out[col.key] = values.length ? (fn === 'SUM' ? sum : sum / values.length) : null;
      } else {
        const sorted = [...values].sort((a, b) => compareValues(a, b, path!.field.type));
        out[col.key] = (fn === 'MIN' ? sorted[0] : sorted[sorted.length - 1]) ?? null;
      }
    }
    return out;
  });
}
