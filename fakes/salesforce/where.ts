import type { Query, WhereClause } from '@jetstreamapp/soql-parser-js';
import type { ObjectDef, Rec } from './catalog.js';
import { parseDateTime } from './ids.js';
import { resolvePath, runQuery, soqlError, type QueryContext } from './soql.js';

type Predicate = (rec: Rec) => boolean;
type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { cond: Rec };

/** The parser gives a right-leaning chain with parenthesis counts; flatten it to tokens, then parse with precedence. */
function tokens(where: WhereClause): Token[] {
  const out: Token[] = [];
  let node: Rec | undefined = where as unknown as Rec;
  while (node) {
    const left = node.left as Rec | null | undefined;
    if (node.operator === 'NOT' && (!left || !('field' in left || 'fn' in left))) {
      for (let i = 0; i < Number(left?.openParen ?? 0); i++) out.push('(');
      out.push('NOT');
      node = node.right as Rec | undefined;
      continue;
    }
    if (left) {
      for (let i = 0; i < Number(left.openParen ?? 0); i++) out.push('(');
      out.push({ cond: left });
      for (let i = 0; i < Number(left.closeParen ?? 0); i++) out.push(')');
    }
    if (node.operator && node.right) {
      out.push(node.operator as 'AND' | 'OR');
      node = node.right as Rec;
    } else node = undefined;
  }
  return out;
}

export function compileWhere(ctx: QueryContext, root: ObjectDef, where: WhereClause, alias?: string): Predicate {
  const list = tokens(where);
  let pos = 0;
  const orExpr = (): Predicate => {
    let left = andExpr();
    while (list[pos] === 'OR') {
      pos++;
      const l = left;
      const r = andExpr();
      left = (rec) => l(rec) || r(rec);
    }
    return left;
  };
  const andExpr = (): Predicate => {
    let left = unary();
    while (list[pos] === 'AND') {
      pos++;
      const l = left;
      const r = unary();
      left = (rec) => l(rec) && r(rec);
    }
    return left;
  };
  const unary = (): Predicate => {
    const t = list[pos++];
    if (t === 'NOT') {
      const inner = unary();
      return (rec) => !inner(rec);
    }
    if (t === '(') {
      const inner = orExpr();
      pos++;
      return inner;
    }
    if (t && typeof t === 'object') return condition(ctx, root, t.cond, alias);
    throw soqlError(ctx, 'MALFORMED_QUERY', 'WHERE', 'unexpected token in WHERE');
  };
  return orExpr();
}

function unquote(v: string): string {
  return v.replace(/^'|'$/g, '').replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

const DAY = 86_400_000;
function dateLiteralRange(ctx: QueryContext, literal: string): [number, number] {
  const today = Math.floor(ctx.org.now() / DAY) * DAY;
  const [name, nRaw] = literal.toUpperCase().split(':') as [string, string | undefined];
  const n = Number(nRaw ?? 0);
  const ranges: Record<string, [number, number]> = {
    TODAY: [today, today + DAY],
    YESTERDAY: [today - DAY, today],
    TOMORROW: [today + DAY, today + 2 * DAY],
    LAST_N_DAYS: [today - n * DAY, today + DAY],
    NEXT_N_DAYS: [today + DAY, today + (n + 1) * DAY],
    N_DAYS_AGO: [today - n * DAY, today - (n - 1) * DAY],
    LAST_90_DAYS: [today - 90 * DAY, today + DAY],
  };
  const range = ranges[name];
  if (!range) throw soqlError(ctx, 'MALFORMED_QUERY', name, `The fake does not support the date literal ${name}`);
  return range;
}

const TYPED = {
  datetime: 'dateTime',
  date: 'date',
  boolean: 'boolean',
  int: 'integer',
  double: 'double',
  currency: 'currency',
  percent: 'percent',
} as Record<string, string>;

const REFUSED_OPERATORS: Record<string, string[]> = {
  multipicklist: ['LIKE', 'IN', 'NOT IN', '<', '<=', '>', '>='],
  boolean: ['LIKE', '<', '<=', '>', '>='],
};

function condition(ctx: QueryContext, root: ObjectDef, cond: Rec, alias?: string): Predicate {
  if (!('field' in cond)) throw soqlError(ctx, 'MALFORMED_QUERY', 'WHERE', 'The fake supports field conditions only');
  const path = resolvePath(ctx, root, String(cond.field), alias);
  const type = path.field.type;
  const op = String(cond.operator).toUpperCase();
  const literalTypes = ([] as unknown[]).concat(cond.literalType ?? 'STRING') as string[];

  if (cond.literalType === 'SUBQUERY') {
    const sub = runQuery(ctx, { includeDeleted: false, parsed: cond.valueQuery as Query });
    const column = sub.firstPath;
    if (!column) throw soqlError(ctx, 'MALFORMED_QUERY', 'SELECT', 'semi join sub-selects must select one field');
    const set = new Set(sub.rows.map((r) => String(column.get(r) ?? '').slice(0, 15)));
    const inSet = (rec: Rec) => set.has(String(path.get(rec) ?? '').slice(0, 15));
    return op === 'NOT IN' ? (rec) => !inSet(rec) : inSet;
  }
  // Multi-select picklists take only =, !=, INCLUDES and EXCLUDES; booleans are not ordered (SOQL reference).
  if (REFUSED_OPERATORS[type]?.includes(op))
    throw soqlError(ctx, 'INVALID_QUERY_FILTER_OPERATOR', String(cond.field), `invalid operator on ${type} field`);
  if (literalTypes.includes('STRING') && TYPED[type] && !literalTypes.includes('NULL')) {
    throw soqlError(
      ctx,
      'INVALID_QUERY_FILTER_OPERATOR',
      String(cond.field),
      `value of filter criterion for field '${path.field.name}' must be of type ${TYPED[type]} and should not be enclosed in quotes`,
    );
  }
  const rawValues = ([] as unknown[]).concat(cond.value as unknown) as string[];
  const convert = (raw: string, lt: string): unknown => {
    switch (lt) {
      case 'NULL':
        return null;
      case 'BOOLEAN':
        return raw.toUpperCase() === 'TRUE';
      case 'INTEGER':
      case 'DECIMAL':
        return Number(raw);
      case 'DATETIME':
        return parseDateTime(raw);
      case 'DATE':
        return type === 'datetime' ? Date.parse(`${raw}T00:00:00Z`) : raw;
      case 'DATE_LITERAL':
      case 'DATE_N_LITERAL':
        return { range: dateLiteralRange(ctx, raw) };
      default:
        return unquote(raw);
    }
  };
  const values = rawValues.map((raw, i) => convert(raw, literalTypes[i] ?? literalTypes[0]!));
  const normalize = (v: unknown): unknown => {
    if (v == null) return null;
    if (type === 'datetime') return typeof v === 'number' ? v : parseDateTime(v);
    if (type === 'id' || type === 'reference') return String(v).slice(0, 15);
    if (typeof v === 'string') return v.toLowerCase();
    return v;
  };
  const cmp = (a: unknown, b: unknown): number =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  const dateValue = (v: unknown): number | null =>
    v == null ? null : type === 'date' ? Date.parse(`${String(v)}T00:00:00Z`) : parseDateTime(v);

  if (values.length === 1 && values[0] && typeof values[0] === 'object' && 'range' in values[0]) {
    const [start, end] = (values[0] as { range: [number, number] }).range;
    const tests: Record<string, (ms: number) => boolean> = {
      '=': (ms) => ms >= start && ms < end,
      '!=': (ms) => ms < start || ms >= end,
      '<': (ms) => ms < start,
      '<=': (ms) => ms < end,
      '>': (ms) => ms >= end,
      '>=': (ms) => ms >= start,
    };
    const test = tests[op]!;
    return (rec) => {
      const ms = dateValue(path.get(rec));
      return ms !== null && test(ms);
    };
  }

  const expected = values.map(normalize);
  switch (op) {
    case '=':
      return (rec) => normalize(path.get(rec)) === expected[0];
    case '!=':
      return (rec) => normalize(path.get(rec)) !== expected[0];
    case 'IN': {
      const set = new Set(expected);
      return (rec) => set.has(normalize(path.get(rec)));
    }
    case 'NOT IN': {
      const set = new Set(expected);
      return (rec) => !set.has(normalize(path.get(rec)));
    }
    case 'LIKE': {
      const re = likeRegex(String(rawValues[0] ?? "''"));
      return (rec) => {
        const v = path.get(rec);
        return v != null && re.test(String(v));
      };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const e = expected[0];
      const ok = {
        '<': (c: number) => c < 0,
        '<=': (c: number) => c <= 0,
        '>': (c: number) => c > 0,
        '>=': (c: number) => c >= 0,
      }[op];
      return (rec) => {
        const v = normalize(path.get(rec));
        return v != null && e != null && ok(cmp(v, e));
      };
    }
    default:
      throw soqlError(ctx, 'MALFORMED_QUERY', op, `The fake does not support the operator ${op}`);
  }
}

/** SOQL LIKE: % and _ are wildcards, \\% and \\_ literal, case-insensitive. */
function likeRegex(quoted: string): RegExp {
  const body = quoted.replace(/^'|'$/g, '');
  let re = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) re += body[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}
