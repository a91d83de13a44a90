import { createEvaluator, type Rule, type RuleFilter } from '../../sync-service/src/rules/evaluator.js';
import { buildTeamIndex, type TeamNode } from '../../sync-service/src/rules/team-index.js';
import type { Benchmark } from './run.js';

const USERS = 100_000;
const RULES = 100;

// Deterministic data: a tree of 1,000 teams six levels deep, titles from a realistic mix.
function prng(seed: number) {
  let a = seed;
  return () => (a = (a * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** 100k users against 100 rules, TeamIndex and rule compilation included: the automatic sync's worst case. */
const bench: Benchmark = async () => {
  const random = prng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const teams: TeamNode[] = [{ id: 't0', name: 'Top', parentId: null, managerUserId: 'u0' }];
  for (let i = 1; i < 1000; i += 1)
    teams.push({
      id: `t${i}`,
      name: `Team ${i}`,
      parentId: `t${Math.floor((i - 1) / 4)}`,
      managerUserId: `u${i % 300}`,
    });
  const titles = [
    'Account Executive',
    'Senior Account Executive',
    'SDR',
    'Sales Engineer',
    'VP Sales',
    'Customer Success Manager',
    'Support Agent',
    'Engineer',
    'Director of Marketing',
    'Recruiter',
  ];
  // Clauses that mostly hold, then one that fails: every user walks every clause of every rule to the catch-all.
  const passing = (): RuleFilter =>
    pick<() => RuleFilter>([
      () => ({
        field: 'job_title',
        operator: pick(['not_equals', 'does_not_contain'] as const),
        value: `${pick(titles).slice(0, 6)}zz`,
      }),
      () => ({ field: 'team_name', operator: 'is_under', value: 't0' }),
      () => ({ field: 'team_manager', operator: 'is_not', value: 'nobody' }),
    ])();
  const failing = (): RuleFilter =>
    pick<() => RuleFilter>([
      () => ({
        field: 'job_title',
        operator: pick(['equals', 'contains', 'starts_with'] as const),
        value: `${pick(titles).slice(0, 6)}zz`,
      }),
      () => ({ field: 'team_name', operator: 'is_under', value: 'no-such-team' }),
      () => ({ field: 'team_manager', operator: 'is', value: 'nobody' }),
    ])();
  const assignments = {
    profileId: 'p',
    role: 'member' as const,
    visibility: 'full' as const,
    licenses: ['foundation' as const],
  };
  const rules: Rule[] = Array.from({ length: RULES - 1 }, (_, i) => ({
    id: `r${i}`,
    name: `Rule ${i}`,
    isCatchAll: false,
    filters: [passing(), passing(), failing()].slice(i % 2),
    assignments,
  }));
  rules.push({ id: 'catch', name: 'Catch-all', isCatchAll: true, filters: [], assignments });
  const users = Array.from({ length: USERS }, () => ({
    jobTitle: pick(titles),
    teamId: random() < 0.02 ? null : pick(teams).id,
  }));

  // Worst case for the per-title memo: no two users share a title.
  const distinct = users.map((u, i) => ({ ...u, jobTitle: `${u.jobTitle} ${i}` }));

  const run = (subjects: typeof users) => {
    const started = performance.now();
    const evaluate = createEvaluator(buildTeamIndex(teams), rules);
    let catchAll = 0;
    for (const u of subjects) if (evaluate(u).rule.isCatchAll) catchAll += 1;
    return { ms: performance.now() - started, catchAll };
  };
  const median = (subjects: typeof users) => {
    run(subjects);
    return Array.from({ length: 5 }, () => run(subjects)).sort((a, b) => a.ms - b.ms)[2] as {
      ms: number;
      catchAll: number;
    };
  };
  const shared = median(users);
  const unique = median(distinct);
  return [
    {
      name: 'rules.evaluate_100k_users_x_100_rules',
      value: shared.ms,
      unit: 'ms',
      target: '< 1000 ms',
      ok: shared.ms < 1000,
    },
    {
      name: 'rules.evaluate_100k_users_x_100_rules_distinct_titles',
      value: unique.ms,
      unit: 'ms',
      target: '< 1000 ms',
      ok: unique.ms < 1000,
    },
    {
      name: 'rules.users_reaching_catch_all',
      value: unique.catchAll,
      unit: 'users',
      target: '100000 (worst case: every clause checked)',
      ok: unique.catchAll === USERS,
    },
  ];
};
export default bench;
