import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Condition, ObjectType } from '../../src/matching/conditions.js';
import { isEligible, rankCandidates, type Candidate, type SortCondition } from '../../src/matching/engine.js';
import { decide, type NamedMatchingProfile } from '../../src/matching/explain.js';
import { KIND_OF_TYPE, OPERATORS_BY_KIND, typeMismatch } from '../../src/matching/field-types.js';
import { scoreRecords } from '../../src/matching/scoring.js';

const TYPES: ObjectType[] = ['Opportunity', 'Account', 'Lead'];
const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    field: fc.constant('Type'),
    operator: fc.constantFrom('equals' as const, 'not_equals' as const),
    value: fc.constantFrom('Partner', 'Customer'),
  }),
  fc.record({
    field: fc.constant('Amount'),
    operator: fc.constant('greater_than' as const),
    value: fc.integer({ min: 0, max: 5 }),
  }),
  fc.record({ field: fc.constant('Type'), operator: fc.constant('is_empty' as const) }),
);
const eligibility = fc.oneof(
  fc.constant({ state: 'all' as const, groups: [] as { name?: string; conditions: Condition[] }[] }),
  fc.constant({ state: 'none' as const, groups: [] as { name?: string; conditions: Condition[] }[] }),
  fc
    .array(
      fc.record({
        name: fc.constantFrom('', 'Partners'),
        conditions: fc.array(condition, { minLength: 1, maxLength: 2 }),
      }),
      {
        minLength: 1,
        maxLength: 2,
      },
    )
    .map((groups) => ({ state: 'filtered' as const, groups })),
);
const profile: fc.Arbitrary<NamedMatchingProfile> = fc.record({
  minScore: fc.integer({ min: 0, max: 10 }),
  eligibility: fc.record({ Opportunity: eligibility, Account: eligibility, Lead: eligibility }),
  rankingGroups: fc.array(
    fc.oneof(
      fc.record({
        name: fc.constantFrom('', 'First'),
        target: fc.constantFrom(...TYPES, 'All' as const),
        kind: fc.constant('sort' as const),
        conditions: fc.constant([{ kind: 'sort', field: 'Amount', direction: 'desc' }] as SortCondition[]),
      }),
      fc.record({
        name: fc.constantFrom('', 'Partners up'),
        target: fc.constantFrom(...TYPES, 'All' as const),
        kind: fc.constant('select' as const),
        conditions: condition.map((c) => [{ kind: 'select' as const, ...c }]),
      }),
    ),
    { maxLength: 3 },
  ),
});
const candidates = fc
  .array(
    fc.record({
      objectType: fc.constantFrom(...TYPES),
      score: fc.integer({ min: 0, max: 12 }),
      name: fc.constantFrom('Acme', 'Globex'),
      signals: fc.constant([]),
      fields: fc.record({
        Type: fc.option(fc.constantFrom('Partner', 'Customer'), { nil: null }),
        Amount: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
      }),
    }),
    { maxLength: 25 },
  )
  .map((cs) => cs.map((c, i) => ({ ...c, id: `r${i}` }) as Candidate & { name: string }));

describe('the matching decisions', () => {
  it("keep exactly the engine's ranking, in its order, and drop every other candidate once", () => {
    fc.assert(
      fc.property(candidates, profile, (cs, p) => {
        const decisions = decide(cs, p);
        const kept = decisions.filter((d) => d.outcome === 'kept');
        expect(kept.map((d) => d.candidate.id)).toEqual(rankCandidates(cs, p).map((c) => c.id));
        expect(kept.map((d) => d.rank)).toEqual(kept.map((_, i) => i + 1));
        expect(decisions.map((d) => d.candidate.id).sort()).toEqual(cs.map((c) => c.id).sort());
      }),
    );
  });

  it('say why each candidate was dropped: not eligible, below the minimum score, or both', () => {
    fc.assert(
      fc.property(candidates, profile, (cs, p) => {
        for (const d of decide(cs, p)) {
          const eligible = isEligible(d.candidate, p);
          const enough = d.candidate.score >= p.minScore;
          expect(/^(Every|Eligible through)/.test(d.why[0]!)).toBe(eligible);
          expect(d.why.some((w) => w.includes('below the minimum score'))).toBe(!enough);
          expect(d.placement.length > 0).toBe(d.outcome === 'kept');
        }
      }),
    );
  });

  it('name the group and the condition that kept a record out, with the value it has', () => {
    const [d] = decide([{ id: 'a', objectType: 'Account', score: 1, fields: { Type: 'Customer' } }], {
      minScore: 0,
      eligibility: {
        Opportunity: { state: 'all', groups: [] },
        Account: {
          state: 'filtered',
          groups: [{ name: 'Partners', conditions: [{ field: 'Type', operator: 'equals', value: 'Partner' }] }],
        },
        Lead: { state: 'all', groups: [] },
      },
      rankingGroups: [],
    });
    expect(d!.why).toEqual(['Not eligible: group "Partners" needs Type equals "Partner" (it is "Customer").']);
  });
});

describe('signals and field types', () => {
  it('scores the Lead a participant is, the Accounts their Contacts are at, and deals they have a role on', () => {
    const scored = scoreRecords(
      {
        contacts: [{ Id: 'c1', Email: 'ann@acme.example', AccountId: 'a1' }],
        leads: [{ Id: 'l1', Name: 'Dan', Email: 'dan@x.example' }],
        accounts: [{ Id: 'a1', Name: 'Acme' }],
        opportunities: [{ Id: 'o1', Name: 'Acme Renewal', AccountId: 'a1' }],
        contactRoles: [{ OpportunityId: 'o1', ContactId: 'c1' }],
      },
      'Re: Acme Renewal',
    );
    expect(scored.map((c) => [c.name, c.score])).toEqual([
      ['Dan', 10],
      ['Acme', 8],
      ['Acme Renewal', 16],
    ]);
  });

  it("refuses operators and values a field's type does not take", () => {
    expect(typeMismatch('boolean', 'greater_than', true)).toBe('"greater than" does not apply to a boolean field.');
    expect(typeMismatch('multipicklist', 'contains', 'EMEA')).toBe(
      '"contains" does not apply to a multipicklist field.',
    );
    expect(typeMismatch('date', 'less_than', 'tomorrow')).toMatch(/takes a date/);
    expect(typeMismatch('currency', 'in', [1, 2])).toBeNull();
    expect(typeMismatch('picklist', 'in', ['Partner'])).toBeNull();
  });
});

describe('the condition pickers', () => {
  it('offer the operators the service accepts for each field type (one table, two copies)', async () => {
    // A variable path: the LWC module is plain JavaScript with no type declarations.
    const lwc = new URL('../../../force-app/main/default/lwc/profileFields/operators.js', import.meta.url);
    const screens = await import(lwc.href);
    expect(screens.KIND_OF_TYPE).toEqual(KIND_OF_TYPE);
    expect(screens.OPERATORS_BY_KIND).toEqual(OPERATORS_BY_KIND);
  });
});
