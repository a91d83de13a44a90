import { UnprocessableError } from '../shared/errors.js';
import { createEvaluator, describeFilter, type Evaluator, type Explainer, type Rule } from './evaluator.js';
import type { TeamIndex } from './team-index.js';

// What the rules mean once loaded, apart from how they are stored (repo.ts): checks and the evaluator, pure.

export interface StoredRule extends Rule {
  description: string;
  position: number;
}

export interface RuleProblem {
  code: 'missing_profile' | 'missing_team' | 'replaced_team' | 'missing_user' | 'not_hierarchy_team';
  message: string;
  /** The filter clause at fault (index in the rule's filters, and in the admin's words). */
  clause?: { index: number; text: string };
}

export interface References {
  teams: TeamIndex;
  /** Teams of the hierarchy (rules cannot name custom teams: no user sits in one as their team). */
  hierarchyTeams: Set<string>;
  profiles: Set<string>;
  users: Map<string, string>;
  /** Replaced team ids: the old name, and the team that took most of its people (if one did). */
  redirects: Map<string, { name: string | null; to: string | null }>;
}

/** Why a rule cannot be applied: the profile, team or user it names no longer exists. */
export function ruleProblems(rule: Rule, refs: References): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!refs.profiles.has(rule.assignments.profileId)) {
    problems.push({
      code: 'missing_profile',
      message: `Its configuration profile (${rule.assignments.profileId}) does not exist (deleted?); choose another profile.`,
    });
  }
  rule.filters.forEach((f, index) => {
    const replaced = f.field === 'team_name' ? refs.redirects.get(f.value) : undefined;
    const text = describeFilter(
      f,
      refs.teams,
      (id) => refs.users.get(id),
      (id) => refs.redirects.get(id)?.name ?? undefined,
    );
    const clause = { index, text };
    // A replaced team is never followed to its successor: the successor may be far wider than the team meant.
    if (f.field === 'team_name' && !refs.teams.has(f.value) && replaced)
      problems.push({
        code: 'replaced_team',
        clause,
        message: `${text}: that team was replaced${
          replaced.to && refs.teams.has(replaced.to)
            ? ` (most of its people are now in "${refs.teams.name(replaced.to)}")`
            : ''
        }; choose the team this rule should mean.`,
      });
    else if (f.field === 'team_name' && !refs.teams.has(f.value))
      problems.push({
        code: 'missing_team',
        clause,
        message: `${text}: that team does not exist (deleted?).`,
      });
    else if (f.field === 'team_name' && !refs.hierarchyTeams.has(f.value))
      problems.push({
        code: 'not_hierarchy_team',
        clause,
        message: `Team Name names a custom team (${refs.teams.name(f.value)}); rules match teams of the hierarchy.`,
      });
    if (f.field === 'team_manager' && !refs.users.has(f.value))
      problems.push({
        code: 'missing_user',
        clause,
        message: `Team Manager names a user who does not exist (deleted?): ${f.value}.`,
      });
  });
  return problems;
}

export interface RuleSet {
  rules: StoredRule[];
  teams: TeamIndex;
  refs: References;
  evaluate: Evaluator;
  explain: Explainer;
}

/** Refuses to evaluate while any rule is invalid, naming the first (and listing all): never skips one silently. */
export function assertRulesValid(rules: Rule[], refs: References): void {
  const invalid = rules
    .map((rule) => ({ rule, problems: ruleProblems(rule, refs) }))
    .filter((x) => x.problems.length > 0);
  const [first] = invalid;
  if (!first) return;
  throw new UnprocessableError(
    'invalid_rule',
    `User Settings Rule "${first.rule.name}" is invalid: ${first.problems.map((p) => p.message).join(' ')} Fix it before rules are applied.`,
    {
      ruleId: first.rule.id,
      ruleName: first.rule.name,
      invalidRules: invalid.map((x) => ({ ruleId: x.rule.id, ruleName: x.rule.name, problems: x.problems })),
    },
  );
}

export function ruleSetFrom(rules: StoredRule[], refs: References): RuleSet {
  assertRulesValid(rules, refs);
  const evaluator = createEvaluator(refs.teams, rules);
  return { rules, teams: refs.teams, refs, evaluate: evaluator, explain: evaluator.explain };
}
