import type { OrgScope } from '../db/scoped.js';
import { UnprocessableError } from '../shared/errors.js';
import { createEvaluator, type Evaluator, type Explainer, type Rule, type RuleFilter } from './evaluator.js';
import type { Assignments } from './schemas.js';
import { buildTeamIndex, type TeamIndex, type TeamNode } from './team-index.js';

type Row = Record<string, any>;
const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export interface StoredRule extends Rule {
  description: string;
  position: number;
}

export interface RuleProblem {
  code: 'missing_profile' | 'missing_team' | 'missing_user' | 'not_hierarchy_team';
  message: string;
}

/** Ordered rules, the catch-all last whatever its stored position. */
export async function loadRules(scope: OrgScope): Promise<StoredRule[]> {
  const rows: Row[] = await scope
    .table('user_settings_rules')
    .orderBy([{ column: 'is_catch_all', order: 'asc' }, 'position', 'created_at']);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    position: r.position,
    isCatchAll: r.is_catch_all,
    filters: parse<RuleFilter[]>(r.filters),
    assignments: parse<Assignments>(r.assignments),
  }));
}

export interface References {
  teams: TeamIndex;
  /** Teams of the hierarchy (rules cannot name custom teams: no user sits in one as their team). */
  hierarchyTeams: Set<string>;
  profiles: Set<string>;
  users: Map<string, string>;
  /** Deleted team id to the team that replaced it (Automatic Mode keeps old ids resolvable). */
  redirects: Map<string, string>;
}

export async function loadReferences(scope: OrgScope): Promise<References> {
  const teams: Row[] = await scope.table('teams').select('id', 'name', 'parent_id', 'manager_user_id', 'kind');
  const profiles: string[] = await scope.table('configuration_profiles').pluck('id');
  const redirects: Row[] = await scope.table('team_redirects').select('old_team_id', 'new_team_id');
  const managerIds = [...new Set(teams.map((t) => t.manager_user_id).filter(Boolean))];
  return {
    teams: buildTeamIndex(
      teams.map((t): TeamNode => ({ id: t.id, name: t.name, parentId: t.parent_id, managerUserId: t.manager_user_id })),
    ),
    hierarchyTeams: new Set(teams.filter((t) => t.kind !== 'custom').map((t) => t.id)),
    profiles: new Set(profiles),
    redirects: new Map(redirects.map((r) => [r.old_team_id, r.new_team_id])),
    ...(await userLabels(scope, managerIds)),
  };
}

/** Emails of the users rules name as team managers (and of team managers), for clause texts and checks. */
export async function userLabels(scope: OrgScope, extra: string[] = []): Promise<{ users: Map<string, string> }> {
  const rules = await loadRules(scope);
  const ids = [
    ...new Set([
      ...extra,
      ...rules.flatMap((r) => r.filters.filter((f) => f.field === 'team_manager').map((f) => f.value)),
    ]),
  ];
  const users: Row[] = [];
  for (let i = 0; i < ids.length; i += 1000)
    users.push(
      ...(await scope
        .table('users')
        .whereIn('id', ids.slice(i, i + 1000))
        .select('id', 'email')),
    );
  return { users: new Map(users.map((u) => [u.id, u.email])) };
}

/** Follows team redirects so a rule naming a replaced team keeps meaning the team that replaced it. */
export function resolveRule<T extends Rule>(rule: T, refs: References): T {
  if (!rule.filters.some((f) => f.field === 'team_name' && refs.redirects.has(f.value))) return rule;
  return {
    ...rule,
    filters: rule.filters.map((f) =>
      f.field === 'team_name' && refs.redirects.has(f.value)
        ? { ...f, value: refs.redirects.get(f.value) as string }
        : f,
    ),
  };
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
  for (const f of resolveRule(rule, refs).filters) {
    if (f.field === 'team_name' && !refs.teams.has(f.value))
      problems.push({
        code: 'missing_team',
        message: `Team Name names a team that does not exist (deleted?): ${f.value}.`,
      });
    else if (f.field === 'team_name' && !refs.hierarchyTeams.has(f.value))
      problems.push({
        code: 'not_hierarchy_team',
        message: `Team Name names a custom team (${refs.teams.name(f.value)}); rules match teams of the hierarchy.`,
      });
    if (f.field === 'team_manager' && !refs.users.has(f.value))
      problems.push({
        code: 'missing_user',
        message: `Team Manager names a user who does not exist (deleted?): ${f.value}.`,
      });
  }
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
  const resolved = rules.map((r) => resolveRule(r, refs));
  const evaluator = createEvaluator(refs.teams, resolved);
  return { rules: resolved, teams: refs.teams, refs, evaluate: evaluator, explain: evaluator.explain };
}

/**
 * The org's rules ready to apply (the automatic sync calls this when it creates users, and records
 * `users.rule_id = result.rule.id`). Throws UnprocessableError 'invalid_rule' naming the rule when any rule
 * references a deleted profile or team. Pass the sync's transaction scope.
 */
export async function loadRuleSet(scope: OrgScope): Promise<RuleSet> {
  const [rules, refs] = [await loadRules(scope), await loadReferences(scope)];
  return ruleSetFrom(rules, refs);
}
