import type { OrgField } from '../describe/schemas.js';
import { findField } from '../describe/service.js';
import type { ConditionOperator, ConditionValue } from '../matching/conditions.js';
import { typeMismatch } from '../matching/field-types.js';
import { UnprocessableError } from '../shared/errors.js';

/** The org's fields of an object, or null when there is no Salesforce connection to ask (nothing to check against). */
export type FieldLookup = (objectType: string, orgId: string) => Promise<OrgField[] | null>;

interface CheckedCondition {
  field: string;
  kind?: 'sort' | 'select';
  operator?: ConditionOperator;
  value?: ConditionValue | ConditionValue[] | undefined;
}
export interface ConditionProblem {
  /** 0-based position of the condition in the group. */
  index: number;
  field: string;
  /** missing: the object has no such field; unusable: it cannot filter or sort; type: operator or value misfits. */
  problem: 'missing' | 'unusable' | 'type';
  message: string;
}

/** What is wrong with each condition against one object's fields: a missing field, one that cannot filter or sort, a type misfit. */
export function conditionProblems(
  objectType: string,
  fields: readonly OrgField[],
  conditions: readonly CheckedCondition[],
): ConditionProblem[] {
  const problems: ConditionProblem[] = [];
  conditions.forEach((c, index) => {
    const found = findField(fields, c.field);
    const say = (problem: ConditionProblem['problem'], message: string) =>
      problems.push({ index, field: c.field, problem, message });
    if (!found) return say('missing', `${objectType} has no field "${c.field}" in this Salesforce org.`);
    const direct = !c.field.includes('.');
    if (c.kind === 'sort') {
      if (direct && !found.sortable) say('unusable', `${found.label} (${c.field}) cannot be sorted on.`);
      return;
    }
    if (direct && !found.filterable)
      return say('unusable', `${found.label} (${c.field}) cannot be used in a condition.`);
    if (direct && c.operator) {
      const misfit = typeMismatch(found.type, c.operator, c.value);
      if (misfit) say('type', `${found.label} (${c.field}): ${misfit}`);
    }
  });
  return problems;
}

/** Refuses the save (422 naming each condition by its number and field) when any condition does not fit the org. */
export function assertConditionsFit(what: string, problems: ConditionProblem[]): void {
  if (!problems.length) return;
  throw new UnprocessableError(
    problems.some((p) => p.problem === 'missing') ? 'unknown_field' : 'invalid_condition',
    problems.map((p) => `${what}, condition ${p.index + 1}: ${p.message}`).join(' '),
    {
      field: 'conditions',
      conditions: problems,
      unknownFields: [...new Set(problems.filter((p) => p.problem === 'missing').map((p) => p.field))],
    },
  );
}
