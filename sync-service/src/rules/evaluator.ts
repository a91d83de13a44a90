import type { Assignments, RuleFilterValue } from './schemas.js';
import type { TeamIndex } from './team-index.js';

export type { TeamIndex } from './team-index.js';
export type RuleFilter = RuleFilterValue;

export interface Rule {
  id: string;
  name: string;
  isCatchAll: boolean;
  filters: RuleFilter[];
  assignments: Assignments;
}

export interface RuleSubject {
  jobTitle: string;
  teamId: string | null;
}

export interface Evaluation {
  rule: Rule;
  /** The clause that settled the match (the last one checked, all having held); null for the catch-all or a rule without filters. */
  decidingClause: { index: number; filter: RuleFilter } | null;
  assignments: Assignments;
}

// Operators as data. Job titles compare case-insensitively: both sides arrive lower-cased.
export const jobTitleOperators = {
  equals: (title: string, value: string) => title === value,
  not_equals: (title: string, value: string) => title !== value,
  contains: (title: string, value: string) => title.includes(value),
  does_not_contain: (title: string, value: string) => !title.includes(value),
  starts_with: (title: string, value: string) => title.startsWith(value),
} as const;

export const teamNameOperators = {
  is: (teamId: string | null, value: string) => teamId === value,
  is_not: (teamId: string | null, value: string) => teamId !== value,
  is_under: (teamId: string | null, value: string, teams: TeamIndex) => teams.isUnder(teamId, value),
} as const;

export const teamManagerOperators = {
  is: (managerId: string | null, value: string) => managerId === value,
  is_not: (managerId: string | null, value: string) => managerId !== value,
} as const;

interface Prepared {
  titleLower: string;
  teamId: string | null;
  managerId: string | null;
}
type Clause = (s: Prepared) => boolean;

function compileFilter(f: RuleFilter, teams: TeamIndex): Clause {
  switch (f.field) {
    case 'job_title': {
      const op = jobTitleOperators[f.operator];
      const value = f.value.toLowerCase();
      return (s) => op(s.titleLower, value);
    }
    case 'team_name': {
      const op = teamNameOperators[f.operator];
      return (s) => op(s.teamId, f.value, teams);
    }
    case 'team_manager': {
      const op = teamManagerOperators[f.operator];
      return (s) => op(s.managerId, f.value);
    }
  }
}

/** Results are shared between subjects: treat them as read-only. */
export type Evaluator = (subject: RuleSubject) => Evaluation;
export type Explainer = (
  subject: RuleSubject,
) => Evaluation & { passedOver: { rule: Rule; failedClause: { index: number; filter: RuleFilter } }[] };

/**
 * Compiles rules once for many subjects: first match wins, the catch-all otherwise. Rules must be in order;
 * the catch-all (isCatchAll) is used only when nothing above it matches, wherever it appears.
 */
export function createEvaluator(teams: TeamIndex, rules: readonly Rule[]): Evaluator & { explain: Explainer } {
  const catchAll = rules.find((r) => r.isCatchAll);
  if (!catchAll) throw new Error('A rule set always has its catch-all.');
  const ordered = rules
    .filter((r) => !r.isCatchAll)
    .map((rule) => ({ rule, clauses: rule.filters.map((f) => compileFilter(f, teams)) }));
  const prepare = (s: RuleSubject): Prepared => ({
    titleLower: (s.jobTitle ?? '').toLowerCase(),
    teamId: s.teamId,
    managerId: teams.managerOf(s.teamId),
  });
  const fallback = (): Evaluation => ({ rule: catchAll, decidingClause: null, assignments: catchAll.assignments });

  // A rule's clauses split into those on the team and those on the title. The team part is decided once per
  // distinct team (a few hundred, against 100k users); the title part only for rules whose team part held.
  const teamParts = ordered.map(({ rule, clauses }) =>
    clauses.filter((_, i) => rule.filters[i]?.field !== 'job_title'),
  );
  const titleParts = ordered.map(({ rule, clauses }) =>
    clauses.filter((_, i) => rule.filters[i]?.field === 'job_title'),
  );
  const allHold = (cs: Clause[], s: Prepared) => {
    for (let j = 0; j < cs.length; j += 1) if (!(cs[j] as Clause)(s)) return false;
    return true;
  };
  const byTeam = new Map<string | null, Uint8Array>();
  const teamOutcomes = (teamId: string | null) => {
    const s: Prepared = { titleLower: '', teamId, managerId: teams.managerOf(teamId) };
    const out = new Uint8Array(teamParts.length);
    for (let i = 0; i < teamParts.length; i += 1) out[i] = allHold(teamParts[i] as Clause[], s) ? 1 : 0;
    return out;
  };
  const results: Evaluation[] = ordered.map(({ rule }) => ({
    rule,
    decidingClause: rule.filters.length
      ? { index: rule.filters.length - 1, filter: rule.filters[rule.filters.length - 1] as RuleFilter }
      : null,
    assignments: rule.assignments,
  }));
  const none = fallback();

  const evaluate: Evaluator = (subject) => {
    let team = byTeam.get(subject.teamId);
    if (!team) byTeam.set(subject.teamId, (team = teamOutcomes(subject.teamId)));
    const s: Prepared = { titleLower: (subject.jobTitle ?? '').toLowerCase(), teamId: subject.teamId, managerId: null };
    for (let i = 0; i < results.length; i += 1) {
      if (team[i] === 1 && allHold(titleParts[i] as Clause[], s)) return results[i] as Evaluation;
    }
    return none;
  };

  const explain: Explainer = (subject) => {
    const s = prepare(subject);
    const passedOver: ReturnType<Explainer>['passedOver'] = [];
    for (const { rule, clauses } of ordered) {
      const failed = clauses.findIndex((c) => !c(s));
      if (failed === -1) {
        const last = rule.filters.length - 1;
        return {
          rule,
          decidingClause: last < 0 ? null : { index: last, filter: rule.filters[last] as RuleFilter },
          assignments: rule.assignments,
          passedOver,
        };
      }
      passedOver.push({ rule, failedClause: { index: failed, filter: rule.filters[failed] as RuleFilter } });
    }
    return { ...fallback(), passedOver };
  };

  return Object.assign(evaluate, { explain });
}

// Compiled evaluators, reused while the same rules and team index are passed (neither is ever mutated).
const cache = new WeakMap<readonly Rule[], WeakMap<TeamIndex, Evaluator>>();

/** Pure: which rule configures this subject, the clause that decided it, and the settings it assigns. */
export function evaluateRules(subject: RuleSubject, teams: TeamIndex, rules: readonly Rule[]): Evaluation {
  let byTeams = cache.get(rules);
  if (!byTeams) cache.set(rules, (byTeams = new WeakMap()));
  let evaluator = byTeams.get(teams);
  if (!evaluator) byTeams.set(teams, (evaluator = createEvaluator(teams, rules)));
  return evaluator(subject);
}

const FIELD_LABELS: Record<RuleFilter['field'], string> = {
  team_name: 'Team Name',
  team_manager: 'Team Manager',
  job_title: 'Job Title',
};
const OPERATOR_LABELS: Record<string, string> = {
  is: 'is',
  is_not: 'is not',
  is_under: 'is under',
  equals: 'equals',
  not_equals: 'does not equal',
  contains: 'contains',
  does_not_contain: 'does not contain',
  starts_with: 'starts with',
};

/** A clause in the admin's words, e.g. `Team Name is under "EMEA"`; names come from the lookups when known. */
export function describeFilter(
  f: RuleFilter,
  teams: TeamIndex,
  userLabel: (id: string) => string | undefined = () => undefined,
  formerTeamName: (id: string) => string | undefined = () => undefined,
): string {
  const shown =
    f.field === 'team_name'
      ? (teams.name(f.value) ?? formerTeamName(f.value) ?? f.value)
      : f.field === 'team_manager'
        ? (userLabel(f.value) ?? f.value)
        : f.value;
  return `${FIELD_LABELS[f.field]} ${OPERATOR_LABELS[f.operator]} "${shown}"`;
}
