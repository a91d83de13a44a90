import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Condition, ObjectType } from '../../src/matching/conditions.js';
import { rankCandidates, type Candidate, type MatchingProfile, type RankingGroup } from '../../src/matching/engine.js';

const TYPES: ObjectType[] = ['Opportunity', 'Account', 'Lead'];
const TYPE_VALUES = ['Partner', 'Customer', 'Prospect', 'partner'];

const candidateArb = fc.record({
  objectType: fc.constantFrom(...TYPES),
  score: fc.integer({ min: 0, max: 20 }),
  fields: fc.record({
    Type: fc.option(fc.constantFrom(...TYPE_VALUES), { nil: null }),
    Amount: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
    Name: fc.constantFrom('Acme Partner', 'Globex', 'Initech partners', ''),
  }),
});
const candidatesArb = fc
  .array(candidateArb, { maxLength: 40 })
  .map((cs) => cs.map((c, i) => ({ ...c, id: `r${i}` }) as Candidate));

const conditionArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    field: fc.constant('Type'),
    operator: fc.constantFrom('equals' as const, 'not_equals' as const),
    value: fc.constantFrom(...TYPE_VALUES),
  }),
  fc.record({
    field: fc.constant('Type'),
    operator: fc.constant('in' as const),
    value: fc.uniqueArray(fc.constantFrom(...TYPE_VALUES), { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant('Amount'),
    operator: fc.constantFrom('greater_than' as const, 'less_than' as const),
    value: fc.integer({ min: -5, max: 5 }),
  }),
  fc.record({ field: fc.constantFrom('Type', 'Amount'), operator: fc.constant('is_empty' as const) }),
  fc.record({
    field: fc.constant('Name'),
    operator: fc.constant('contains' as const),
    value: fc.constantFrom('partner', 'GLOB', 'x'),
  }),
);
const groupsArb = fc.array(fc.record({ conditions: fc.array(conditionArb, { minLength: 1, maxLength: 3 }) }), {
  minLength: 1,
  maxLength: 3,
});
const typeEligibilityArb = fc.oneof(
  fc.constant({ state: 'all' as const, groups: [] as { conditions: Condition[] }[] }),
  fc.constant({ state: 'none' as const, groups: [] as { conditions: Condition[] }[] }),
  groupsArb.map((groups) => ({ state: 'filtered' as const, groups })),
);
const rankingGroupArb: fc.Arbitrary<RankingGroup> = fc.oneof(
  fc.record({
    target: fc.constantFrom(...TYPES, 'All' as const),
    kind: fc.constant('sort' as const),
    conditions: fc.array(
      fc.record({
        kind: fc.constant('sort' as const),
        field: fc.constantFrom('Amount', 'Type', 'Name'),
        direction: fc.constantFrom('asc' as const, 'desc' as const),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  }),
  fc.record({
    target: fc.constantFrom(...TYPES, 'All' as const),
    kind: fc.constant('select' as const),
    conditions: fc.array(
      conditionArb.map((c) => ({ kind: 'select' as const, ...c })),
      { minLength: 1, maxLength: 2 },
    ),
  }),
);
const profileArb = (rankingGroups: fc.Arbitrary<RankingGroup[]>): fc.Arbitrary<MatchingProfile> =>
  fc.record({
    minScore: fc.integer({ min: 0, max: 20 }),
    eligibility: fc.record({ Opportunity: typeEligibilityArb, Account: typeEligibilityArb, Lead: typeEligibilityArb }),
    rankingGroups,
  });

// An independent reading of the article's rules, to check the engine against.
function holds(c: Condition, fields: Record<string, unknown>): boolean {
  const v = fields[c.field];
  const empty = v === null || v === undefined || v === '';
  const text = (x: unknown) => String(x).toLowerCase();
  switch (c.operator) {
    case 'equals':
      return !empty && text(v) === text(c.value);
    case 'not_equals':
      return empty || text(v) !== text(c.value);
    case 'in':
      return !empty && (c.value as string[]).some((x) => text(x) === text(v));
    case 'greater_than':
      return !empty && (v as number) > (c.value as number);
    case 'less_than':
      return !empty && (v as number) < (c.value as number);
    case 'is_empty':
      return empty;
    case 'contains':
      return !empty && text(v).includes(text(c.value));
  }
}
function eligible(c: Candidate, p: MatchingProfile): boolean {
  const e = p.eligibility[c.objectType];
  if (e.state === 'all') return true;
  if (e.state === 'none') return false;
  return e.groups.some((g) => g.conditions.every((cond) => holds(cond, c.fields)));
}

describe('matching engine properties', () => {
  it('returns a subset of the input, each record once', () => {
    fc.assert(
      fc.property(candidatesArb, profileArb(fc.array(rankingGroupArb, { maxLength: 4 })), (cands, profile) => {
        const out = rankCandidates(cands, profile);
        expect(new Set(out).size).toBe(out.length);
        for (const r of out) expect(cands).toContain(r);
      }),
    );
  });

  it('keeps exactly the eligible records at or above the minimum score', () => {
    fc.assert(
      fc.property(candidatesArb, profileArb(fc.array(rankingGroupArb, { maxLength: 4 })), (cands, profile) => {
        const out = rankCandidates(cands, profile);
        const expected = cands.filter((c) => c.score >= profile.minScore && eligible(c, profile));
        expect(new Set(out.map((c) => c.id))).toEqual(new Set(expected.map((c) => c.id)));
      }),
    );
  });

  it('orders by score, highest first, when the profile has no ranking groups', () => {
    fc.assert(
      fc.property(candidatesArb, profileArb(fc.constant([])), (cands, profile) => {
        const scores = rankCandidates(cands, profile).map((c) => c.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      }),
    );
  });

  it('ranks record types with a ranking group ahead of types without one', () => {
    fc.assert(
      fc.property(
        candidatesArb,
        profileArb(fc.array(rankingGroupArb, { minLength: 1, maxLength: 4 })),
        (cands, profile) => {
          const targeted = (t: ObjectType) => profile.rankingGroups.some((g) => g.target === 'All' || g.target === t);
          const flags = rankCandidates(cands, profile).map((c) => targeted(c.objectType));
          const firstUntargeted = flags.indexOf(false);
          if (firstUntargeted >= 0) expect(flags.slice(firstUntargeted)).not.toContain(true);
        },
      ),
    );
  });

  it('puts every record matching the top select group ahead of those that do not', () => {
    const selectFirst = fc
      .tuple(
        fc.array(
          conditionArb.map((c) => ({ kind: 'select' as const, ...c })),
          { minLength: 1, maxLength: 2 },
        ),
        fc.array(rankingGroupArb, { maxLength: 2 }),
      )
      .map(([conditions, rest]) => [{ target: 'All' as const, kind: 'select' as const, conditions }, ...rest]);
    fc.assert(
      fc.property(candidatesArb, profileArb(selectFirst), (cands, profile) => {
        const top = profile.rankingGroups[0] as Extract<RankingGroup, { kind: 'select' }>;
        const flags = rankCandidates(cands, profile).map((c) => top.conditions.every((cond) => holds(cond, c.fields)));
        const firstMiss = flags.indexOf(false);
        if (firstMiss >= 0) expect(flags.slice(firstMiss)).not.toContain(true);
      }),
    );
  });

  it('orders by the field of a sort group, empty values last, then by score', () => {
    fc.assert(
      fc.property(
        candidatesArb,
        profileArb(
          fc.constantFrom<RankingGroup[]>([
            { target: 'All', kind: 'sort', conditions: [{ kind: 'sort', field: 'Amount', direction: 'desc' }] },
          ]),
        ),
        (cands, profile) => {
          const out = rankCandidates(cands, profile);
          for (let i = 1; i < out.length; i += 1) {
            const [a, b] = [out[i - 1] as Candidate, out[i] as Candidate];
            const [x, y] = [a.fields.Amount as number | null, b.fields.Amount as number | null];
            if (x === null) expect(y).toBeNull();
            else if (y !== null) expect(x > y || (x === y && a.score >= b.score)).toBe(true);
          }
        },
      ),
    );
  });

  it('is stable: ranking its own output changes nothing', () => {
    fc.assert(
      fc.property(candidatesArb, profileArb(fc.array(rankingGroupArb, { maxLength: 4 })), (cands, profile) => {
        const once = rankCandidates(cands, profile);
        expect(rankCandidates(once, profile)).toEqual(once);
      }),
    );
  });
});

describe('matching engine examples', () => {
  const all = { state: 'all' as const, groups: [] };
  const base: MatchingProfile = {
    minScore: 10,
    eligibility: { Opportunity: all, Account: all, Lead: all },
    rankingGroups: [],
  };
  const rec = (id: string, objectType: ObjectType, score: number, fields: Record<string, unknown> = {}): Candidate => ({
    id,
    objectType,
    score,
    fields,
  });

  it('logs an SDR activity against the Lead first when a Lead ranking group exists', () => {
    const cands = [rec('opp', 'Opportunity', 90), rec('acc', 'Account', 80), rec('lead', 'Lead', 20)];
    const profile: MatchingProfile = {
      ...base,
      rankingGroups: [
        {
          target: 'Lead',
          kind: 'select',
          conditions: [{ kind: 'select', field: 'Status', operator: 'equals', value: 'Open' }],
        },
      ],
    };
    expect(rankCandidates(cands, profile).map((c) => c.id)).toEqual(['lead', 'opp', 'acc']);
  });

  it('orders Opportunities on one Account by close date when a sort group says so', () => {
    const cands = [
      rec('late', 'Opportunity', 50, { CloseDate: '2026-12-01' }),
      rec('soon', 'Opportunity', 40, { CloseDate: '2026-01-15' }),
      rec('none', 'Opportunity', 99, {}),
    ];
    const profile: MatchingProfile = {
      ...base,
      rankingGroups: [
        { target: 'Opportunity', kind: 'sort', conditions: [{ kind: 'sort', field: 'CloseDate', direction: 'asc' }] },
      ],
    };
    expect(rankCandidates(cands, profile).map((c) => c.id)).toEqual(['soon', 'late', 'none']);
  });

  it('drops records under the minimum score and records of a type with none eligible', () => {
    const cands = [rec('low', 'Account', 9), rec('ok', 'Account', 10), rec('lead', 'Lead', 50)];
    const profile: MatchingProfile = {
      ...base,
      eligibility: { ...base.eligibility, Lead: { state: 'none', groups: [] } },
    };
    expect(rankCandidates(cands, profile).map((c) => c.id)).toEqual(['ok']);
  });

  it('keeps an Account of a filtered type only when one of its groups holds (groups OR, conditions AND)', () => {
    const profile: MatchingProfile = {
      ...base,
      minScore: 0,
      eligibility: {
        ...base.eligibility,
        Account: {
          state: 'filtered',
          groups: [
            {
              conditions: [
                { field: 'Type', operator: 'equals', value: 'Partner' },
                { field: 'Industry', operator: 'equals', value: 'Retail' },
              ],
            },
            { conditions: [{ field: 'Owner.Name', operator: 'contains', value: 'smith' }] },
          ],
        },
      },
    };
    const cands = [
      rec('partner-retail', 'Account', 1, { Type: 'partner', Industry: 'Retail' }),
      rec('partner-only', 'Account', 1, { Type: 'Partner', Industry: 'Banking' }),
      rec('owned', 'Account', 1, { Owner: { Name: 'Jo Smith' } }),
    ];
    expect(rankCandidates(cands, profile).map((c) => c.id)).toEqual(['partner-retail', 'owned']);
  });
});
