import type { OrgField } from '../describe/schemas.js';
import { findField } from '../describe/service.js';
import { OBJECT_TYPES, type Condition, type ConditionOperator, type ConditionValue } from '../matching/conditions.js';
import { typeMismatch } from '../matching/field-types.js';
import { UnprocessableError } from '../shared/errors.js';
import type { RankingCondition } from './schemas.js';
import type { z } from 'zod';

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

/** Refuses, before any transaction (describe may use other connections), conditions the org cannot evaluate. */
export async function checkEligibility(
  fields: FieldLookup | undefined,
  orgId: string,
  objectType: string,
  conditions?: Condition[],
) {
  if (!fields || !conditions?.length) return;
  const known = await fields(objectType, orgId);
  if (known) assertConditionsFit(`This ${objectType} group`, conditionProblems(objectType, known, conditions));
}

/** Ranking conditions for one type must exist on it; for All, on at least one of the types. */
export async function checkRanking(
  fields: FieldLookup | undefined,
  orgId: string,
  target: string,
  conditions?: z.infer<typeof RankingCondition>[],
) {
  if (!fields || !conditions?.length) return;
  const types = target === 'All' ? OBJECT_TYPES : [target];
  const checks: ConditionProblem[][] = [];
  for (const type of types) {
    const known = await fields(type, orgId);
    if (!known) return;
    checks.push(conditionProblems(type, known, conditions));
  }
  // For All, a condition is fine when some type can use it; the problems shown are the first type's.
  const failing = (checks[0] ?? []).filter((p) => checks.every((c) => c.some((q) => q.index === p.index)));
  assertConditionsFit(`This ranking group`, failing);
}
