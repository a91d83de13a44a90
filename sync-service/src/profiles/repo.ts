import type { OrgScope } from '../db/scoped.js';
import { OBJECT_TYPES, type ObjectType } from '../matching/conditions.js';
import type { MatchingProfile, RankingGroup as EngineRankingGroup } from '../matching/engine.js';
import type { EligibilityState } from '../matching/soql.js';
import { allTogglesOff } from '../orgs/builtins.js';
import { NotFoundError } from '../shared/errors.js';
import type { EligibilityGroup, Notifications, Profile, RankingGroup } from './schemas.js';

/** A row of configuration_profiles; jsonb columns arrive parsed (or as text from a raw query). */
export interface ProfileRow {
  id: string;
  org_id: string;
  name: string;
  is_builtin: boolean;
  activity: unknown;
  eligibility_state: unknown;
  min_score: string | number;
  notifications: unknown;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface EligibilityGroupRow {
  id: string;
  profile_id: string;
  object_type: ObjectType;
  name: string | null;
  position: number;
  conditions: unknown;
}

export interface RankingGroupRow {
  id: string;
  profile_id: string;
  name: string | null;
  position: number;
  target: RankingGroup['target'];
  kind: RankingGroup['kind'];
  sort_field: string | null;
  sort_direction: 'asc' | 'desc' | null;
  conditions: unknown;
}

export interface FollowUpQuestionRow {
  id: string;
  profile_id: string;
  position: number;
  crm_category: string;
  question: string;
  answer_field: string;
}
const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const iso = (v: unknown) => new Date(v as string).toISOString();

export const DEFAULT_NOTIFICATIONS: Omit<Notifications, 'followUpQuestions'> = {
  meetingCategoryField: null,
  creationRecipients: 'owner_only',
  completionRecipients: 'owner_only',
};

export async function findProfileRow(scope: OrgScope, id: string, lock = false): Promise<ProfileRow> {
  const query = scope.table('configuration_profiles').where({ id });
  const row: ProfileRow | undefined = await (lock ? query.forUpdate() : query).first();
  if (!row) throw new NotFoundError('Configuration profile', id);
  return row;
}

export async function userCounts(scope: OrgScope, profileIds?: string[]): Promise<Map<string, number>> {
  const q = scope.table('users').groupBy('profile_id').select('profile_id').count({ n: '*' });
  if (profileIds) q.whereIn('profile_id', profileIds);
  const rows: { profile_id: string; n: string | number }[] = await q;
  return new Map(rows.map((r) => [r.profile_id, Number(r.n)]));
}

export async function listProfileRows(scope: OrgScope): Promise<ProfileRow[]> {
  return scope.table('configuration_profiles').orderBy([{ column: 'is_builtin', order: 'desc' }, 'name']);
}

export const eligibilityGroupDto = (r: EligibilityGroupRow): EligibilityGroup => ({
  id: r.id,
  objectType: r.object_type,
  name: r.name ?? '',
  position: r.position,
  conditions: parse<EligibilityGroup['conditions']>(r.conditions),
});

export const rankingGroupDto = (r: RankingGroupRow): RankingGroup => ({
  id: r.id,
  name: r.name ?? '',
  position: r.position,
  target: r.target,
  kind: r.kind,
  conditions: parse<RankingGroup['conditions']>(r.conditions),
});

export function eligibilityStates(row: Pick<ProfileRow, 'eligibility_state'>): Record<ObjectType, EligibilityState> {
  const stored = parse<Partial<Record<ObjectType, EligibilityState>>>(row.eligibility_state) ?? {};
  return Object.fromEntries(OBJECT_TYPES.map((t) => [t, stored[t] ?? 'all'])) as Record<ObjectType, EligibilityState>;
}

/** The whole profile as the API shows it. */
export async function loadProfile(scope: OrgScope, id: string): Promise<Profile> {
  const row = await findProfileRow(scope, id);
  // One after another: inside a transaction the scope holds a single connection.
  const groups: EligibilityGroupRow[] = await scope
    .table('eligibility_groups')
    .where({ profile_id: id })
    .orderBy(['object_type', 'position']);
  const ranking: RankingGroupRow[] = await scope.table('ranking_groups').where({ profile_id: id }).orderBy('position');
  const questions: FollowUpQuestionRow[] = await scope
    .table('follow_up_questions')
    .where({ profile_id: id })
    .orderBy('position');
  const counts = await userCounts(scope, [id]);
  const states = eligibilityStates(row);
  const eligibility = Object.fromEntries(
    OBJECT_TYPES.map((t) => [
      t,
      { state: states[t], groups: groups.filter((g) => g.object_type === t).map(eligibilityGroupDto) },
    ]),
  ) as Profile['eligibility'];
  return {
    id: row.id,
    name: row.name,
    isBuiltin: row.is_builtin,
    userCount: counts.get(id) ?? 0,
    activity: { ...allTogglesOff(), ...parse<Record<string, boolean>>(row.activity) } as Profile['activity'],
    minScore: Number(row.min_score),
    eligibility,
    rankingGroups: ranking.map(rankingGroupDto),
    notifications: {
      ...DEFAULT_NOTIFICATIONS,
      ...parse<Partial<Notifications>>(row.notifications),
      followUpQuestions: questions.map((q) => ({
        crmCategory: q.crm_category,
        question: q.question,
        answerField: q.answer_field,
      })),
    },
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** What the matching engine needs from a stored profile. */
export function toMatchingProfile(profile: Profile): MatchingProfile {
  return {
    minScore: profile.minScore,
    eligibility: profile.eligibility,
    rankingGroups: profile.rankingGroups.map(
      (g) => ({ target: g.target, kind: g.kind, conditions: g.conditions }) as EngineRankingGroup,
    ),
  };
}

/** Keeps positions 0..n-1 after a removal or reorder. */
export async function renumber(scope: OrgScope, table: string, ids: string[]): Promise<void> {
  // Two passes would be needed with a unique index on position; there is none, so one update per row suffices.
  for (const [position, id] of ids.entries()) await scope.table(table).where({ id }).update({ position });
}

export const touch = (scope: OrgScope, id: string) =>
  scope.table('configuration_profiles').where({ id }).update({ updated_at: scope.db.fn.now() });
