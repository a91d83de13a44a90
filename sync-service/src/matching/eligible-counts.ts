import type { Connection } from 'jsforce';
import { explainSalesforceError } from '../salesforce/errors.js';
import { UnprocessableError } from '../shared/errors.js';
import { OBJECT_TYPES, OPERATOR_WORDS, type Condition, type ObjectType } from './conditions.js';
import { compileCondition, eligibilityCountQuery, type EligibilityState } from './soql.js';

export interface EligibilityCount {
  objectType: ObjectType;
  state: EligibilityState;
  eligible: number;
  soql: string | null;
}
type NamedGroup = { id?: string; name?: string; conditions: Condition[] };
export type CountedEligibility = Record<ObjectType, { state: EligibilityState; groups: NamedGroup[] }>;

/** Salesforce's message without the query it echoes (the query line and caret come first). */
export const salesforceReason = (message: string | undefined) =>
  (message ?? '').split('\n').filter(Boolean).pop() ?? 'Salesforce refused the query.';

/** The condition a refused query's "No such column 'X'" names, so the admin is sent to the condition, not to SOQL. */
export function refusedCondition(objectType: ObjectType, groups: NamedGroup[], message: string | undefined) {
  const column = /No such column '([^']+)'/i.exec(message ?? '')?.[1]?.toLowerCase();
  for (const group of groups) {
    const index = group.conditions.findIndex((c) => c.field.toLowerCase() === column);
    const condition = group.conditions[index];
    if (condition)
      return new UnprocessableError(
        'unknown_field',
        `The ${objectType} group "${group.name || 'Unnamed group'}", condition ${index + 1}: ${objectType} no longer has the field "${condition.field}"; edit or remove the condition.`,
        { objectType, groupId: group.id ?? null, conditionIndex: index, field: condition.field },
      );
  }
  return new UnprocessableError(
    'invalid_field',
    `Salesforce refused the ${objectType} eligibility conditions: ${salesforceReason(message)}`,
    { objectType },
  );
}

/**
 * Salesforce refuses an operator for a field's type (a multi-select picklist takes only equals and does not equal; a
 * checkbox has no order): the admin's input, so a 422 naming the condition. Salesforce points at it with
 * `ERROR at Row:1:Column:N`; the compiled SOQL says which condition covers that column.
 */
export function refusedOperator(objectType: ObjectType, groups: NamedGroup[], soql: string, message: string) {
  const conditions = groups.flatMap((g) => g.conditions);
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
  const named = found
    ? `The condition "${found.field} ${OPERATOR_WORDS[found.operator]}${found.value === undefined ? '' : ` ${JSON.stringify(found.value)}`}"`
    : 'A condition';
  return new UnprocessableError(
    'invalid_condition',
    `${named} of the ${objectType} eligibility cannot be asked of Salesforce: ${salesforceReason(message)}. A multi-select picklist takes only "equals" or "does not equal" (the exact set of values), and a checkbox only "equals"; change the condition.`,
    {
      objectType,
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      ...(found ? { field: found.field, operator: found.operator } : {}),
    },
  );
}

/** Counts eligible records per type through jsforce; a field that no longer exists is reported on its condition. */
export async function countEligible(conn: Connection, eligibility: CountedEligibility): Promise<EligibilityCount[]> {
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
      if (errorCode === 'INVALID_QUERY_FILTER_OPERATOR')
        throw refusedOperator(objectType, e.groups, soql, message ?? '');
      if (errorCode === 'INVALID_FIELD' || errorCode === 'MALFORMED_QUERY' || errorCode === 'INVALID_TYPE')
        throw refusedCondition(objectType, e.groups, message);
      throw explainSalesforceError(err);
    }
  }
  return counts;
}
