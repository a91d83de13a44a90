import type { ObjectType } from '../../sync-service/src/matching/conditions.js';
import {
  rankCandidates,
  type Candidate,
  type MatchingProfile,
  type RankingGroup,
} from '../../sync-service/src/matching/engine.js';
import type { Benchmark } from './run.js';

const TYPES: ObjectType[] = ['Opportunity', 'Account', 'Lead'];

/**
 * One activity's 50 candidate records through a profile with eligibility groups and 10 ranking groups.
 * Target: one core keeps up with 2,000 activities a second (unloaded, about 500k candidates/s).
 */
const bench: Benchmark = async () => {
  let seed = 11;
  const random = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const candidates: Candidate[] = Array.from({ length: 50 }, (_, i) => ({
    id: `r${i}`,
    objectType: pick(TYPES),
    score: Math.round(random() * 100),
    fields: {
      Type: pick(['Partner', 'Customer', 'Prospect', null]),
      StageName: pick(['Prospecting', 'Negotiation', 'Closed Won']),
      Amount: Math.round(random() * 1e5),
      CloseDate: `2026-${String(1 + (i % 12)).padStart(2, '0')}-15`,
      Owner: { Name: pick(['Ann Smith', 'Bo Li']) },
    },
  }));
  const rankingGroups: RankingGroup[] = Array.from({ length: 10 }, (_, i) =>
    i % 2 === 0
      ? {
          target: pick([...TYPES, 'All'] as const),
          kind: 'select',
          conditions: [
            { kind: 'select', field: 'Type', operator: 'in', value: ['Partner', 'Customer'] },
            { kind: 'select', field: 'Owner.Name', operator: 'contains', value: 'smith' },
          ],
        }
      : {
          target: pick([...TYPES, 'All'] as const),
          kind: 'sort',
          conditions: [
            {
              kind: 'sort',
              field: pick(['Amount', 'CloseDate', 'StageName']),
              direction: pick(['asc', 'desc'] as const),
            },
          ],
        },
  );
  const profile: MatchingProfile = {
    minScore: 20,
    eligibility: {
      Opportunity: {
        state: 'filtered',
        groups: [
          { conditions: [{ field: 'StageName', operator: 'not_equals', value: 'Closed Won' }] },
          { conditions: [{ field: 'Amount', operator: 'greater_than', value: 50000 }] },
        ],
      },
      Account: {
        state: 'filtered',
        groups: [{ conditions: [{ field: 'Type', operator: 'in', value: ['Partner', 'Customer'] }] }],
      },
      Lead: { state: 'all', groups: [] },
    },
    rankingGroups,
  };
  for (let i = 0; i < 2000; i += 1) rankCandidates(candidates, profile);
  let rounds = 0;
  const started = performance.now();
  while (performance.now() - started < 1000) {
    for (let i = 0; i < 100; i += 1) rankCandidates(candidates, profile);
    rounds += 100;
  }
  const seconds = (performance.now() - started) / 1000;
  const perSecond = (rounds * candidates.length) / seconds;
  return [
    {
      name: 'matching.candidates_per_second_50x10_groups',
      value: Math.round(perSecond),
      unit: 'candidates/s',
      target: '> 100000 candidates/s',
      ok: perSecond > 100_000,
    },
    {
      name: 'matching.activities_per_second',
      value: Math.round(rounds / seconds),
      unit: 'activities/s',
      target: '> 2000 activities/s',
      ok: rounds / seconds > 2_000,
    },
  ];
};
export default bench;
