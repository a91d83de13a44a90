import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEvaluator, evaluateRules, type Rule, type RuleFilter } from '../../src/rules/evaluator.js';
import { buildTeamIndex, type TeamNode } from '../../src/rules/team-index.js';

const teams: TeamNode[] = [
  { id: 'top', name: 'Top', parentId: null, managerUserId: 'ceo' },
  { id: 'sales', name: 'Sales', parentId: 'top', managerUserId: 'cro' },
  { id: 'emea', name: 'EMEA', parentId: 'sales', managerUserId: 'anna' },
  { id: 'uk', name: 'UK', parentId: 'emea', managerUserId: null },
  { id: 'support', name: 'Support', parentId: 'top', managerUserId: 'sam' },
];
const index = buildTeamIndex(teams);
const assign = (profileId: string) => ({
  profileId,
  role: 'member' as const,
  visibility: 'full' as const,
  licenses: ['foundation' as const],
});
const catchAll: Rule = {
  id: 'catch',
  name: 'Catch-all',
  isCatchAll: true,
  filters: [],
  assignments: assign('default'),
};
const rule = (id: string, filters: RuleFilter[]): Rule => ({
  id,
  name: id,
  isCatchAll: false,
  filters,
  assignments: assign(`p-${id}`),
});

describe('rule evaluator', () => {
  it.each<[RuleFilter, string, string | null, boolean]>([
    [{ field: 'job_title', operator: 'equals', value: 'Account Executive' }, 'account executive', null, true],
    [{ field: 'job_title', operator: 'not_equals', value: 'Account Executive' }, 'ACCOUNT EXECUTIVE', null, false],
    [{ field: 'job_title', operator: 'contains', value: 'SALES' }, 'Inside Sales Rep', null, true],
    [{ field: 'job_title', operator: 'does_not_contain', value: 'sales' }, 'Inside Sales Rep', null, false],
    [{ field: 'job_title', operator: 'starts_with', value: 'vp' }, 'VP Sales', null, true],
    [{ field: 'job_title', operator: 'starts_with', value: 'sales' }, 'VP Sales', null, false],
    [{ field: 'team_name', operator: 'is', value: 'emea' }, '', 'emea', true],
    [{ field: 'team_name', operator: 'is', value: 'emea' }, '', 'uk', false],
    [{ field: 'team_name', operator: 'is_not', value: 'emea' }, '', 'uk', true],
    [{ field: 'team_name', operator: 'is_not', value: 'emea' }, '', null, true],
    [{ field: 'team_name', operator: 'is_under', value: 'sales' }, '', 'uk', true],
    [{ field: 'team_name', operator: 'is_under', value: 'sales' }, '', 'sales', true],
    [{ field: 'team_name', operator: 'is_under', value: 'sales' }, '', 'support', false],
    [{ field: 'team_name', operator: 'is_under', value: 'emea' }, '', 'sales', false],
    [{ field: 'team_name', operator: 'is_under', value: 'sales' }, '', null, false],
    [{ field: 'team_manager', operator: 'is', value: 'anna' }, '', 'emea', true],
    [{ field: 'team_manager', operator: 'is', value: 'anna' }, '', 'uk', false],
    [{ field: 'team_manager', operator: 'is_not', value: 'anna' }, '', 'uk', true],
    [{ field: 'team_manager', operator: 'is_not', value: 'anna' }, '', null, true],
  ])('%j on title %j in team %j matches: %s', (filter, jobTitle, teamId, expected) => {
    const result = evaluateRules({ jobTitle, teamId }, index, [rule('r', [filter]), catchAll]);
    expect(result.rule.id).toBe(expected ? 'r' : 'catch');
  });

  it('lets the first matching rule win and reports its deciding clause', () => {
    const rules = [
      rule('managers', [{ field: 'job_title', operator: 'contains', value: 'manager' }]),
      rule('emea', [
        { field: 'team_name', operator: 'is_under', value: 'emea' },
        { field: 'job_title', operator: 'starts_with', value: 'account' },
      ]),
      rule('sales', [{ field: 'team_name', operator: 'is_under', value: 'sales' }]),
      catchAll,
    ];
    const r = evaluateRules({ jobTitle: 'Account Executive', teamId: 'uk' }, index, rules);
    expect(r.rule.id).toBe('emea');
    expect(r.decidingClause).toEqual({
      index: 1,
      filter: { field: 'job_title', operator: 'starts_with', value: 'account' },
    });
    expect(r.assignments.profileId).toBe('p-emea');
    const fallback = evaluateRules({ jobTitle: 'Engineer', teamId: 'support' }, index, rules);
    expect(fallback).toEqual({ rule: catchAll, decidingClause: null, assignments: catchAll.assignments });
  });

  it('explains which clause passed over each earlier rule', () => {
    const rules = [
      rule('a', [{ field: 'job_title', operator: 'equals', value: 'x' }]),
      rule('b', [{ field: 'team_name', operator: 'is', value: 'uk' }]),
      catchAll,
    ];
    const explained = createEvaluator(index, rules).explain({ jobTitle: 'y', teamId: 'uk' });
    expect(explained.rule.id).toBe('b');
    expect(explained.passedOver.map((p) => [p.rule.id, p.failedClause.index])).toEqual([['a', 0]]);
  });

  it('agrees with a plain reading of the rules for any user and any rule list', () => {
    const titles = ['Account Executive', 'VP Sales', 'Sales Engineer', 'Support Agent', ''];
    const filterArb: fc.Arbitrary<RuleFilter> = fc.oneof(
      fc.record({
        field: fc.constant('job_title' as const),
        operator: fc.constantFrom(
          'equals' as const,
          'not_equals' as const,
          'contains' as const,
          'does_not_contain' as const,
          'starts_with' as const,
        ),
        value: fc.constantFrom('sales', 'ACCOUNT', 'vp', 'Support Agent'),
      }),
      fc.record({
        field: fc.constant('team_name' as const),
        operator: fc.constantFrom('is' as const, 'is_not' as const, 'is_under' as const),
        value: fc.constantFrom(...teams.map((t) => t.id)),
      }),
      fc.record({
        field: fc.constant('team_manager' as const),
        operator: fc.constantFrom('is' as const, 'is_not' as const),
        value: fc.constantFrom('anna', 'cro', 'sam'),
      }),
    );
    const rulesArb = fc
      .array(fc.array(filterArb, { minLength: 1, maxLength: 3 }), { maxLength: 6 })
      .map((fs) => [...fs.map((f, i) => rule(`r${i}`, f)), catchAll]);
    const ancestors = (id: string | null): string[] =>
      id === null ? [] : [id, ...ancestors(teams.find((t) => t.id === id)?.parentId ?? null)];
    const holds = (f: RuleFilter, title: string, teamId: string | null): boolean => {
      const t = title.toLowerCase();
      const v = f.value.toLowerCase();
      const manager = teams.find((x) => x.id === teamId)?.managerUserId ?? null;
      switch (`${f.field}:${f.operator}`) {
        case 'job_title:equals':
          return t === v;
        case 'job_title:not_equals':
          return t !== v;
        case 'job_title:contains':
          return t.includes(v);
        case 'job_title:does_not_contain':
          return !t.includes(v);
        case 'job_title:starts_with':
          return t.startsWith(v);
        case 'team_name:is':
          return teamId === f.value;
        case 'team_name:is_not':
          return teamId !== f.value;
        case 'team_name:is_under':
          return ancestors(teamId).includes(f.value);
        case 'team_manager:is':
          return manager === f.value;
        default:
          return manager !== f.value;
      }
    };
    fc.assert(
      fc.property(
        rulesArb,
        fc.constantFrom(...titles),
        fc.constantFrom(null, ...teams.map((t) => t.id)),
        (rules, jobTitle, teamId) => {
          const expected =
            rules.find((r) => !r.isCatchAll && r.filters.every((f) => holds(f, jobTitle, teamId))) ?? catchAll;
          expect(evaluateRules({ jobTitle, teamId }, index, rules).rule.id).toBe(expected.id);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('uses the catch-all only when nothing above it matches, wherever it is passed', () => {
    const rules = [catchAll, rule('a', [{ field: 'job_title', operator: 'contains', value: 'a' }])];
    expect(evaluateRules({ jobTitle: 'a', teamId: null }, index, rules).rule.id).toBe('a');
  });
});
