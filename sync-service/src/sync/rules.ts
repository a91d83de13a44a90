import type { OrgScope } from '../db/scoped.js';
import { createEvaluator } from '../rules/evaluator.js';
import { loadReferences, loadRules, ruleProblems, type RuleProblem } from '../rules/repo.js';
import type { License, Role, Visibility } from '../users/vocabulary.js';

/** What a User Settings Rule gives a user the sync creates (and which rule did it). */
export interface Assignment {
  ruleId: string | null;
  profileId: string;
  role: Role;
  objectVisibility: Visibility;
  licenses: License[];
}

export interface RuleSubject {
  jobTitle: string;
  teamId: string;
}

/** null: an invalid rule stands where this subject's rule would be decided, so the user waits (never misassigned). */
export type AssignFn = ((subject: RuleSubject) => Assignment | null) & {
  invalid: { ruleId: string; ruleName: string; problems: RuleProblem[] }[];
};

/**
 * The org's rules as one function, loaded in the run's transaction after its teams are in place (Team Name and
 * Team Manager filters see them). An invalid rule (a replaced or deleted team, a missing profile) is never applied,
 * nor silently passed over: rules above it still decide, and a user who would reach it is held back (the run says
 * which rule and why) until an admin fixes it. Valid rules keep working for everyone they decide.
 */
export async function loadAssigner(scope: OrgScope): Promise<AssignFn> {
  const [rules, refs] = [await loadRules(scope), await loadReferences(scope)];
  const invalid = rules
    .map((rule) => ({
      ruleId: rule.id,
      ruleName: rule.name,
      isCatchAll: rule.isCatchAll,
      problems: ruleProblems(rule, refs),
    }))
    .filter((r) => r.problems.length > 0);
  const firstBad = rules.findIndex((r) => invalid.some((i) => i.ruleId === r.id));
  const catchAll = rules.find((r) => r.isCatchAll)!;
  // The rules before the first invalid one decide alone; past it nothing can be decided.
  const usable = firstBad === -1 ? rules : [...rules.slice(0, firstBad).filter((r) => !r.isCatchAll), catchAll];
  const evaluate = createEvaluator(refs.teams, usable);
  const assign = (subject: RuleSubject): Assignment | null => {
    const { rule, assignments: a } = evaluate(subject);
    if (rule.isCatchAll && firstBad !== -1) return null;
    return {
      ruleId: rule.id,
      profileId: a.profileId,
      role: a.role,
      objectVisibility: a.visibility,
      licenses: [...a.licenses],
    };
  };
  return Object.assign(assign, { invalid: invalid.map(({ isCatchAll: _c, ...r }) => r) });
}

/** The run's words for rules it could not apply and the users who wait for them. */
export function invalidRuleWarnings(assign: AssignFn, held: number): string[] {
  return assign.invalid.map(
    (r) =>
      `User Settings Rule "${r.ruleName}" is invalid and is not applied: ${r.problems.map((p) => p.message).join(' ')}${
        held ? ` ${held} new user(s) wait until it is fixed.` : ''
      }`,
  );
}
