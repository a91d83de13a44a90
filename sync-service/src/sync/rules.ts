import type { OrgScope } from '../db/scoped.js';
import { createEvaluator } from '../rules/evaluator.js';
import { loadReferenceRows, loadRules, referencesFrom, type ReferenceRows } from '../rules/repo.js';
import { ruleProblems, type RuleProblem, type StoredRule } from '../rules/rule-set.js';
import type { License, Role, Visibility } from '../users/vocabulary.js';
import type { TeamPlan } from './plan-teams.js';

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

export interface RuleInputs {
  rules: StoredRule[];
  refs: ReferenceRows;
}

export async function loadRuleInputs(scope: OrgScope): Promise<RuleInputs> {
  return { rules: await loadRules(scope), refs: await loadReferenceRows(scope) };
}

/**
 * The org's rules as one function, seeing the teams as the plan leaves them (Team Name and Team Manager filters see
 * new, renamed and moved teams; a team the plan deletes is a replaced team). Pure. An invalid rule (a replaced or
 * deleted team, a missing profile) is never applied, nor silently passed over: rules above it still decide, and a
 * user who would reach it is held back (the run says which rule and why) until an admin fixes it. Valid rules keep
 * working for everyone they decide.
 */
export function assignerFor(inputs: RuleInputs, teams?: TeamPlan): AssignFn {
  const refs = referencesFrom(teams ? referencesAfter(inputs.refs, teams) : inputs.refs);
  const { rules } = inputs;
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

export async function loadAssigner(scope: OrgScope): Promise<AssignFn> {
  return assignerFor(await loadRuleInputs(scope));
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

/** The teams as the plan leaves them: renamed, moved, created; a deleted team is a replaced id. */
function referencesAfter(refs: ReferenceRows, plan: TeamPlan): ReferenceRows {
  const renamed = new Map(plan.renames.map((r) => [r.id, r.to]));
  const moved = new Map(plan.moves.map((m) => [m.id, m.toParentId]));
  const deleted = new Map(plan.deletes.map((d) => [d.id, d]));
  const teams = refs.teams
    .filter((t) => !deleted.has(t.id))
    .map((t) => ({
      ...t,
      name: renamed.get(t.id) ?? t.name,
      parent_id: moved.has(t.id) ? moved.get(t.id)! : deleted.has(t.parent_id ?? '') ? plan.topTeamId : t.parent_id,
    }));
  for (const c of plan.creates)
    teams.push({ id: c.id, name: c.name, parent_id: c.parentId, manager_user_id: null, kind: 'hierarchy' });
  const redirects = refs.redirects.filter((r) => !deleted.has(r.old_team_id));
  for (const d of deleted.values()) redirects.push({ old_team_id: d.id, new_team_id: null, old_name: d.name });
  return { ...refs, teams, redirects };
}
