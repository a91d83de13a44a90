import type { Connection } from 'jsforce';
import { explainSalesforceError } from '../salesforce/errors.js';
import { BadRequestError, UnprocessableError } from '../shared/errors.js';
import {
  CONTROL_CHARS,
  isFieldName,
  OBJECT_TYPES,
  type Condition,
  type ConditionOperator,
  type ConditionValue,
  type ObjectType,
} from './conditions.js';

/**
 * Escapes a string for a quoted SOQL literal (Salesforce's escape sequences): backslash first, so the
 * backslashes added for quotes are not doubled again. Other control characters are refused by the schemas.
 */
export function escapeSoqlString(value: string): string {
  return value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => soqlEscapes[ch] as string);
}
const soqlEscapes: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** In LIKE patterns `%` and `_` are wildcards; a value containing them means them literally. */
const escapeLike = (value: string) => escapeSoqlString(value).replace(/[%_]/g, (ch) => `\\${ch}`);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/** One value as a SOQL literal; every shape is checked again here, so the compiler is safe on its own. */
export function soqlLiteral(value: ConditionValue): string {
  if (typeof value === 'string') {
    if (CONTROL_CHARS.test(value))
      throw new BadRequestError('invalid_value', 'Values cannot contain control characters.');
    return `'${escapeSoqlString(value)}'`;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) > 1e15)
      throw new BadRequestError('invalid_value', `${value} is not a number SOQL accepts.`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if ('date' in value && typeof value.date === 'string' && DATE.test(value.date)) return value.date;
  if ('dateTime' in value && typeof value.dateTime === 'string' && DATE_TIME.test(value.dateTime))
    return value.dateTime;
  throw new BadRequestError('invalid_value', 'Unsupported condition value.');
}

const list = (v: Condition['value']): ConditionValue[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const first = (v: Condition['value']) => {
  const [x] = list(v);
  if (x === undefined) throw new BadRequestError('invalid_value', 'The condition needs a value.');
  return x;
};

/** The SOQL form of each operator (the record-level predicates are in conditions.ts). */
const soqlOperators: Record<ConditionOperator, (field: string, value: Condition['value']) => string> = {
  equals: (f, v) => `${f} = ${soqlLiteral(first(v))}`,
  not_equals: (f, v) => `${f} != ${soqlLiteral(first(v))}`,
  in: (f, v) => `${f} IN (${list(v).map(soqlLiteral).join(', ')})`,
  contains: (f, v) => `${f} LIKE '%${escapeLike(String(first(v)))}%'`,
  greater_than: (f, v) => `${f} > ${soqlLiteral(first(v))}`,
  less_than: (f, v) => `${f} < ${soqlLiteral(first(v))}`,
  is_empty: (f) => `${f} = null`,
};

export function compileCondition(c: Condition): string {
  if (!isFieldName(c.field)) throw new BadRequestError('unknown_field', `"${c.field}" is not a Salesforce field name.`);
  const compile = soqlOperators[c.operator];
  if (!compile) throw new BadRequestError('unknown_operator', `Unknown operator "${c.operator}".`);
  return compile(c.field, c.value);
}

/** Groups combine with OR, conditions within a group with AND; each part is parenthesised so nothing leaks. */
export function compileEligibilityWhere(groups: { conditions: Condition[] }[]): string {
  const parts = groups
    .filter((g) => g.conditions.length > 0)
    .map((g) => `(${g.conditions.map(compileCondition).join(' AND ')})`);
  return parts.join(' OR ');
}

export type EligibilityState = 'all' | 'filtered' | 'none';
export interface TypeEligibility {
  state: EligibilityState;
  groups: { conditions: Condition[] }[];
}

/** The COUNT query for one object type, or null when the answer is known without asking (none eligible). */
export function eligibilityCountQuery(objectType: ObjectType, eligibility: TypeEligibility): string | null {
  if (!OBJECT_TYPES.includes(objectType))
    throw new BadRequestError('unknown_object_type', `Unknown object type ${objectType}.`);
  if (eligibility.state === 'none') return null;
  const where = eligibility.state === 'filtered' ? compileEligibilityWhere(eligibility.groups) : '';
  if (eligibility.state === 'filtered' && !where) return null;
  return `SELECT COUNT() FROM ${objectType}${where ? ` WHERE ${where}` : ''}`;
}

export interface EligibilityCount {
  objectType: ObjectType;
  state: EligibilityState;
  eligible: number;
  soql: string | null;
}

/** Counts eligible records per type through jsforce; a bad field is reported with the query that named it. */
export async function countEligible(
  conn: Connection,
  eligibility: Record<ObjectType, TypeEligibility>,
): Promise<EligibilityCount[]> {
  const counts: EligibilityCount[] = [];
  for (const objectType of OBJECT_TYPES) {
    const e = eligibility[objectType];
    const soql = eligibilityCountQuery(objectType, e);
    if (!soql) {
      counts.push({ objectType, state: e.state, eligible: 0, soql });
      continue;
    }
    try {
      const result = await conn.query(soql);
      counts.push({ objectType, state: e.state, eligible: result.totalSize, soql });
    } catch (err) {
      const { errorCode, message } = err as { errorCode?: string; message?: string };
      if (errorCode === 'INVALID_QUERY_FILTER_OPERATOR') throw refusedCondition(objectType, e, soql, message ?? '');
      if (errorCode === 'INVALID_FIELD' || errorCode === 'MALFORMED_QUERY' || errorCode === 'INVALID_TYPE') {
        throw new UnprocessableError(
          'invalid_field',
          `Salesforce refused the ${objectType} eligibility query: ${message}`,
          { objectType, soql, errorCode },
        );
      }
      throw explainSalesforceError(err);
    }
  }
  return counts;
}

const OPERATOR_WORDS: Record<ConditionOperator, string> = {
  equals: 'equals',
  not_equals: 'does not equal',
  in: 'is one of',
  contains: 'contains',
  greater_than: 'is greater than',
  less_than: 'is less than',
  is_empty: 'is empty',
};

/**
 * Salesforce refuses an operator for a field's type (a multi-select picklist takes only equals and does not equal; a
 * checkbox has no order): the admin's input, so a 422 naming the condition. Salesforce points at it with
 * `ERROR at Row:1:Column:N`; the compiled SOQL says which condition covers that column.
 */
function refusedCondition(objectType: ObjectType, e: TypeEligibility, soql: string, message: string) {
  const conditions = e.groups.flatMap((g) => g.conditions);
  const column = Number(/Column:(\d+)/.exec(message)?.[1] ?? NaN) - 1;
  let found: Condition | undefined;
  let from = 0;
  for (const c of conditions) {
    const at = soql.indexOf(compileCondition(c), from);
    if (at < 0) continue;
    from = at;
    if (at <= column) found = c;
  }
  found ??= conditions.find((c) => message.includes(`'${c.field}'`) || message.includes(c.field));
  const reason = message.split('\n').filter(Boolean).at(-1) ?? message;
  const named = found
    ? `The condition "${found.field} ${OPERATOR_WORDS[found.operator]}${found.value === undefined ? '' : ` ${JSON.stringify(found.value)}`}"`
    : 'A condition';
  return new UnprocessableError(
    'invalid_condition',
    `${named} of the ${objectType} eligibility cannot be asked of Salesforce: ${reason}. A multi-select picklist takes only "equals" or "does not equal" (the exact set of values), and a checkbox only "equals"; change the condition.`,
    {
      objectType,
      soql,
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      ...(found ? { field: found.field, operator: found.operator } : {}),
    },
  );
}
