import { conditionHolds, fieldValue, OPERATOR_WORDS, type Condition, type ObjectType } from './conditions.js';
import type { EligibilityState } from './soql.js';
import { rankCandidates, type Candidate, type MatchingProfile, type RankingGroup } from './engine.js';

/** A matching profile whose groups carry their names, so each decision can say which group made it. */
export interface NamedMatchingProfile extends MatchingProfile {
  eligibility: Record<ObjectType, { state: EligibilityState; groups: { name?: string; conditions: Condition[] }[] }>;
  rankingGroups: (RankingGroup & { name?: string })[];
}

export interface Decision<C extends Candidate> {
  candidate: C;
  outcome: 'kept' | 'dropped';
  /** 1-based place among the kept candidates; null when dropped. */
  rank: number | null;
  /** Why it was kept or dropped: eligibility, then the minimum score. */
  why: string[];
  /** Why it sits where it does (kept only): the ranking groups that placed it, then its score. */
  placement: string[];
}

const shown = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return 'empty';
  if (Array.isArray(v)) return v.map(shown).join(', ');
  if (typeof v === 'object')
    return String((v as { date?: string; dateTime?: string }).date ?? (v as { dateTime?: string }).dateTime);
  return typeof v === 'string' ? `"${v}"` : String(v);
};
/** A record's own value, as the admin reads it in Salesforce. */
const plain = (v: unknown) => (v === null || v === undefined || v === '' ? 'empty' : String(v));
export const conditionText = (c: Condition) =>
  c.operator === 'is_empty' ? `${c.field} is empty` : `${c.field} ${OPERATOR_WORDS[c.operator]} ${shown(c.value)}`;
const groupName = (g: { name?: string }, n: number) => (g.name ? `"${g.name}"` : `${n}`);
const PLURAL: Record<ObjectType, string> = { Opportunity: 'Opportunities', Account: 'Accounts', Lead: 'Leads' };

function eligibility(c: Candidate, profile: NamedMatchingProfile): { eligible: boolean; reason: string } {
  const e = profile.eligibility[c.objectType];
  if (!e || e.state === 'all')
    return {
      eligible: true,
      reason: `Every ${c.objectType} is eligible (no eligibility group for ${PLURAL[c.objectType]}).`,
    };
  if (e.state === 'none')
    return { eligible: false, reason: `No ${c.objectType} is eligible: the last ${c.objectType} group was removed.` };
  const misses: string[] = [];
  for (const [i, g] of e.groups.entries()) {
    const failed = g.conditions.find((cond) => !conditionHolds(c.fields, cond));
    if (!failed)
      return { eligible: true, reason: `Eligible through the ${c.objectType} group ${groupName(g, i + 1)}.` };
    misses.push(
      `group ${groupName(g, i + 1)} needs ${conditionText(failed)} (it is ${shown(fieldValue(c.fields, failed.field))})`,
    );
  }
  return { eligible: false, reason: `Not eligible: ${misses.join('; ')}.` };
}

const targets = (g: RankingGroup, type: ObjectType) => g.target === 'All' || g.target === type;

function placement(c: Candidate, profile: NamedMatchingProfile): string[] {
  const groups = profile.rankingGroups;
  const lines: string[] = [];
  const first = groups.findIndex((g) => targets(g, c.objectType));
  if (groups.length && first === -1)
    lines.push(`No ranking group is for ${PLURAL[c.objectType]}: they come after the types that have one.`);
  else if (first !== -1 && groups[first]?.target !== 'All')
    lines.push(
      `Ranking group ${first + 1} is for ${PLURAL[c.objectType]}: they come before types with a later ranking group or none.`,
    );
  groups.forEach((g, i) => {
    if (!targets(g, c.objectType)) return;
    const name = `Ranking group ${i + 1}${g.name ? ` "${g.name}"` : ''}`;
    if (g.kind === 'select') {
      const holds = g.conditions.every((cond) => conditionHolds(c.fields, cond));
      const what = g.conditions.map(conditionText).join(' and ');
      lines.push(holds ? `${name} put it ahead: ${what}.` : `${name} did not put it ahead: not ${what}.`);
    } else {
      const order = g.conditions
        .map(
          (s) =>
            `${s.field} ${s.direction === 'asc' ? 'ascending' : 'descending'} (${plain(fieldValue(c.fields, s.field))})`,
        )
        .join(', then ');
      lines.push(`${name} orders by ${order}.`);
    }
  });
  lines.push(`Score ${c.score}${groups.length ? ' breaks remaining ties' : ' orders the list'}, highest first.`);
  return lines;
}

/** Every candidate with the engine's verdict and why: eligibility, minimum score, and what placed the kept ones. Pure. */
export function decide<C extends Candidate>(candidates: readonly C[], profile: NamedMatchingProfile): Decision<C>[] {
  const ranked = rankCandidates(candidates, profile) as C[];
  const kept: Decision<C>[] = ranked.map((candidate, i) => ({
    candidate,
    outcome: 'kept',
    rank: i + 1,
    why: [
      eligibility(candidate, profile).reason,
      `Score ${candidate.score} meets the minimum score of ${profile.minScore}.`,
    ],
    placement: placement(candidate, profile),
  }));
  const keptIds = new Set(ranked.map((c) => c.id));
  const dropped: Decision<C>[] = candidates
    .filter((c) => !keptIds.has(c.id))
    .map((candidate) => {
      const e = eligibility(candidate, profile);
      const why = [e.reason];
      if (!(candidate.score >= profile.minScore))
        why.push(`Score ${candidate.score} is below the minimum score of ${profile.minScore}.`);
      return { candidate, outcome: 'dropped', rank: null, why, placement: [] };
    });
  return [...kept, ...dropped];
}
