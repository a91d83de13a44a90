import { BadRequestError } from '../shared/errors.js';
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
