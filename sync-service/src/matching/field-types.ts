import type { ConditionOperator, ConditionValue } from './conditions.js';

/** What kind of value a Salesforce field type holds, as conditions compare it. */
export type ValueKind = 'text' | 'multiText' | 'number' | 'date' | 'dateTime' | 'boolean';

export const KIND_OF_TYPE: Record<string, ValueKind> = {
  int: 'number',
  double: 'number',
  currency: 'number',
  percent: 'number',
  long: 'number',
  date: 'date',
  datetime: 'dateTime',
  boolean: 'boolean',
  multipicklist: 'multiText',
};
export const valueKind = (fieldType: string): ValueKind => KIND_OF_TYPE[fieldType] ?? 'text';

/** The operators that make sense for each kind of value: text can contain, numbers and dates compare. */
export const OPERATORS_BY_KIND: Record<ValueKind, readonly ConditionOperator[]> = {
  text: ['equals', 'not_equals', 'in', 'contains', 'is_empty'],
  // A multi-select picklist compares the exact set of values only (SOQL refuses LIKE, IN and ordering on it).
  multiText: ['equals', 'not_equals', 'is_empty'],
  number: ['equals', 'not_equals', 'in', 'greater_than', 'less_than', 'is_empty'],
  date: ['equals', 'not_equals', 'in', 'greater_than', 'less_than', 'is_empty'],
  dateTime: ['equals', 'not_equals', 'greater_than', 'less_than', 'is_empty'],
  // A checkbox has no order and no empty value.
  boolean: ['equals', 'not_equals'],
};

const SHAPE_OF_KIND: Record<ValueKind, (v: ConditionValue) => boolean> = {
  text: (v) => typeof v === 'string',
  multiText: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  date: (v) => typeof v === 'object' && 'date' in v,
  dateTime: (v) => typeof v === 'object' && 'dateTime' in v,
  boolean: (v) => typeof v === 'boolean',
};
const KIND_WORDS: Record<ValueKind, string> = {
  text: 'text',
  multiText: 'text (values separated by semicolons)',
  number: 'a number',
  date: 'a date ({ "date": "YYYY-MM-DD" })',
  dateTime: 'a date-time ({ "dateTime": "...Z" })',
  boolean: 'true or false',
};

/** Why a condition's operator or value does not fit its field's type; null when it fits. */
export function typeMismatch(
  fieldType: string,
  operator: ConditionOperator,
  value: ConditionValue | ConditionValue[] | undefined,
): string | null {
  const kind = valueKind(fieldType);
  if (!OPERATORS_BY_KIND[kind].includes(operator))
    return `"${operator.replace('_', ' ')}" does not apply to a ${fieldType} field.`;
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (values.some((v) => !SHAPE_OF_KIND[kind](v))) return `A ${fieldType} field takes ${KIND_WORDS[kind]}.`;
  return null;
}
