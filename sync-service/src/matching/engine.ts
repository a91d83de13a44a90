import { conditionHolds, fieldValue, type Condition, type ObjectType } from './conditions.js';
import type { TypeEligibility } from './soql.js';

/** A CRM record an activity might be matched to, with the matcher's score. */
export interface Candidate {
  id: string;
  objectType: ObjectType;
  score: number;
  fields: Record<string, unknown>;
}

export type RankingTarget = ObjectType | 'All';
export type SortCondition = { kind: 'sort'; field: string; direction: 'asc' | 'desc' };
export type SelectCondition = { kind: 'select' } & Condition;
export type RankingGroup =
  | { target: RankingTarget; kind: 'sort'; conditions: SortCondition[] }
  | { target: RankingTarget; kind: 'select'; conditions: SelectCondition[] };

/** The parts of a configuration profile matching needs. */
export interface MatchingProfile {
  minScore: number;
  eligibility: Record<ObjectType, TypeEligibility>;
  /** In priority order, highest first. */
  rankingGroups: RankingGroup[];
}

/** all: no group was ever defined; none: the last group was removed; filtered: any one group must hold. */
export function isEligible(candidate: Candidate, profile: MatchingProfile): boolean {
  const e = profile.eligibility[candidate.objectType];
  if (!e || e.state === 'all') return true;
  if (e.state === 'none') return false;
  return e.groups.some((g) => g.conditions.every((c) => conditionHolds(candidate.fields, c)));
}

const targets = (g: RankingGroup, type: ObjectType) => g.target === 'All' || g.target === type;

// Sort values: numbers, then text (case-insensitive), then booleans; empty values always last.
const typeRank = (v: unknown) =>
  typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : 3;
function compareSortValues(a: unknown, b: unknown): number {
  const emptyA = a === null || a === undefined || a === '';
  const emptyB = b === null || b === undefined || b === '';
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) - (b as number);
  const sa = ra === 1 ? (a as string).toLowerCase() : String(a);
  const sb = rb === 1 ? (b as string).toLowerCase() : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

interface Keyed {
  candidate: Candidate;
  index: number;
  /** Position of the first ranking group aimed at the record's type: such types come first. */
  typeTier: number;
  /** Per ranking group: 0 pushed up by a select group, else 1; for sort groups the field values (null: not targeted). */
  marks: (number | unknown[] | null)[];
}

/**
 * Keeps eligible candidates at or above the minimum score and ranks them: types with a ranking group first
 * (by that group's priority), then each group in priority order (select groups push matching records up,
 * sort groups order by their fields), then score, highest first. Pure; ties keep the input order.
 */
export function rankCandidates(candidates: readonly Candidate[], profile: MatchingProfile): Candidate[] {
  const groups = profile.rankingGroups;
  const keyed: Keyed[] = [];
  candidates.forEach((candidate, index) => {
    if (!(candidate.score >= profile.minScore) || !isEligible(candidate, profile)) return;
    const first = groups.findIndex((g) => targets(g, candidate.objectType));
    keyed.push({
      candidate,
      index,
      typeTier: first === -1 ? groups.length : first,
      marks: groups.map((g) => {
        if (!targets(g, candidate.objectType)) return g.kind === 'select' ? 1 : null;
        if (g.kind === 'select') return g.conditions.every((c) => conditionHolds(candidate.fields, c)) ? 0 : 1;
        return g.conditions.map((c) => fieldValue(candidate.fields, c.field));
      }),
    });
  });
  keyed.sort((a, b) => {
    if (a.typeTier !== b.typeTier) return a.typeTier - b.typeTier;
    for (let i = 0; i < groups.length; i += 1) {
      const d = compareMarks(groups[i] as RankingGroup, a.marks[i] ?? null, b.marks[i] ?? null);
      if (d !== 0) return d;
    }
    if (a.candidate.score !== b.candidate.score) return b.candidate.score - a.candidate.score;
    return a.index - b.index;
  });
  return keyed.map((k) => k.candidate);
}

function compareMarks(group: RankingGroup, a: Keyed['marks'][number], b: Keyed['marks'][number]): number {
  if (group.kind === 'select') return (a as number) - (b as number);
  // Records a sort group does not target come after those it orders.
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const av = a as unknown[];
  const bv = b as unknown[];
  for (let i = 0; i < group.conditions.length; i += 1) {
    const d = compareSortValues(av[i], bv[i]);
    if (d !== 0) return group.conditions[i]?.direction === 'desc' && !isEmptyPair(av[i], bv[i]) ? -d : d;
  }
  return 0;
}

// Empty values stay last whatever the direction.
const isEmptyPair = (a: unknown, b: unknown) => [a, b].some((v) => v === null || v === undefined || v === '');
