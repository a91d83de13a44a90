import { z } from 'zod';

/** The CRM objects a profile filters and ranks. Mapped to SOQL names through this list only. */
export const OBJECT_TYPES = ['Opportunity', 'Account', 'Lead'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/**
 * A Salesforce field reference: `Type`, `Partner__c`, `ns__Score__c`, or a relationship path such as `Owner.Name`.
 * Anything else is refused, so a field name can never carry SOQL syntax into a query.
 */
export const FIELD_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,79}(\.[A-Za-z][A-Za-z0-9_]{0,79}){0,4}$/;
// Words that would parse as SOQL syntax where a field is expected.
const RESERVED = new Set(
  'and or not null true false like in includes excludes where from select limit offset order by group having with using scope for update view reference asc desc nulls first last'.split(
    ' ',
  ),
);
export const isFieldName = (name: string) =>
  FIELD_PATTERN.test(name) && !name.split('.').some((part) => RESERVED.has(part.toLowerCase()));

export const FieldName = z.string().max(255).refine(isFieldName, {
  message: 'Unknown field: use a Salesforce field API name such as Type, Partner__c or Owner.Name.',
});

// SOQL string literals can carry the escapes soql.ts writes and no other control characters; line and paragraph
// separators are refused too, since SOQL has no escape for them and parsers disagree on them.
export const CONTROL_CHARS = /[\u0000-\u0007\u000b\u000e-\u001f\u007f\u0085\u2028\u2029]/;
const SoqlString = z
  .string()
  .max(1000)
  .refine((s) => !CONTROL_CHARS.test(s), { message: 'Values cannot contain control characters.' });
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const ISO_DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export const ConditionValue = z.union([
  SoqlString,
  z.number().finite().min(-1e15).max(1e15),
  z.boolean(),
  z.object({ date: z.string().regex(ISO_DATE, 'Dates are YYYY-MM-DD.') }).strict(),
  z
    .object({
      dateTime: z.string().regex(ISO_DATE_TIME, 'Date-times are ISO 8601 with a zone, e.g. 2026-01-31T09:00:00Z.'),
    })
    .strict(),
]);
export type ConditionValue = z.infer<typeof ConditionValue>;

export const CONDITION_OPERATORS = [
  'equals',
  'not_equals',
  'in',
  'contains',
  'greater_than',
  'less_than',
  'is_empty',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** Each operator as an admin reads it in a message. */
export const OPERATOR_WORDS: Record<ConditionOperator, string> = {
  equals: 'equals',
  not_equals: 'does not equal',
  in: 'is one of',
  contains: 'contains',
  greater_than: 'is greater than',
  less_than: 'is less than',
  is_empty: 'is empty',
};

/** What value each operator takes; checked by the schema so a bad pair is a 400 naming the operator. */
const operatorArity: Record<ConditionOperator, 'one' | 'many' | 'none' | 'text'> = {
  equals: 'one',
  not_equals: 'one',
  in: 'many',
  contains: 'text',
  greater_than: 'one',
  less_than: 'one',
  is_empty: 'none',
};

export const conditionShape = {
  field: FieldName,
  operator: z.enum(CONDITION_OPERATORS),
  value: z.union([ConditionValue, z.array(ConditionValue).min(1).max(200)]).optional(),
};

/** Refinement shared by every schema holding a condition (eligibility groups, select-based ranking). */
export function checkOperatorValue(
  c: { operator: ConditionOperator; value?: ConditionValue | ConditionValue[] | undefined },
  ctx: z.RefinementCtx,
): void {
  const arity = operatorArity[c.operator];
  const many = Array.isArray(c.value);
  const problem =
    arity === 'none' && c.value !== undefined
      ? `${c.operator} takes no value.`
      : arity !== 'none' && c.value === undefined
        ? `${c.operator} needs a value.`
        : arity === 'many' && !many
          ? 'in takes a list of values.'
          : arity === 'text' && many
            ? 'contains takes exactly one value per condition; add another group for each further value.'
            : arity === 'text' && typeof c.value !== 'string'
              ? 'contains takes a text value.'
              : arity === 'one' && many
                ? `${c.operator} takes exactly one value.`
                : null;
  if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
}

export const Condition = z.object(conditionShape).strict().superRefine(checkOperatorValue);
export type Condition = z.infer<typeof Condition>;

/** Reads `Owner.Name` from either a flat key or nested objects, as records arrive from SOQL. */
export function fieldValue(fields: Record<string, unknown>, path: string): unknown {
  if (path in fields) return fields[path];
  let current: unknown = fields;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === '';

/** Compares a record value with a condition value as SOQL would (text case-insensitively); null when incomparable. */
export function compareValue(actual: unknown, expected: ConditionValue): number | null {
  if (isEmpty(actual)) return null;
  const sign = (d: number) => (d < 0 ? -1 : d > 0 ? 1 : 0);
  if (typeof expected === 'object') {
    if ('date' in expected) {
      const day = String(actual).slice(0, 10);
      return day < expected.date ? -1 : day > expected.date ? 1 : 0;
    }
    const a = actual instanceof Date ? actual.getTime() : Date.parse(String(actual));
    return Number.isNaN(a) ? null : sign(a - Date.parse(expected.dateTime));
  }
  if (typeof expected === 'number') {
    const a =
      typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
    return Number.isNaN(a) ? null : sign(a - expected);
  }
  if (typeof expected === 'boolean')
    return actual === expected ? 0 : typeof actual === 'boolean' ? (actual ? 1 : -1) : null;
  const a = String(actual).toLowerCase();
  const e = expected.toLowerCase();
  return a < e ? -1 : a > e ? 1 : 0;
}

const values = (v: Condition['value']): ConditionValue[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const one = (v: Condition['value']) => (Array.isArray(v) ? v[0] : v) as ConditionValue;

/** How each operator decides on a record value; the SOQL compiler (soql.ts) has the same table for queries. */
export const conditionPredicates: Record<ConditionOperator, (actual: unknown, value: Condition['value']) => boolean> = {
  equals: (a, v) => compareValue(a, one(v)) === 0,
  // SOQL's != keeps records whose field is null; so does this.
  not_equals: (a, v) => compareValue(a, one(v)) !== 0,
  in: (a, v) => values(v).some((x) => compareValue(a, x) === 0),
  contains: (a, v) =>
    !isEmpty(a) &&
    String(a)
      .toLowerCase()
      .includes(String(one(v)).toLowerCase()),
  greater_than: (a, v) => (compareValue(a, one(v)) ?? 0) > 0,
  less_than: (a, v) => (compareValue(a, one(v)) ?? 0) < 0,
  is_empty: (a) => isEmpty(a),
};

// Compiled once per condition object (conditions are never mutated): the engine runs each for many records.
const compiled = new WeakMap<Condition, (fields: Record<string, unknown>) => boolean>();

function compile(c: Condition): (fields: Record<string, unknown>) => boolean {
  const predicate = conditionPredicates[c.operator];
  const value = c.value;
  if (!c.field.includes('.')) {
    const field = c.field;
    return (fields) => predicate(fields[field], value);
  }
  return (fields) => predicate(fieldValue(fields, c.field), value);
}

export function conditionHolds(fields: Record<string, unknown>, c: Condition): boolean {
  let test = compiled.get(c);
  if (!test) compiled.set(c, (test = compile(c)));
  return test(fields);
}
