import type { OrgScope } from '../db/scoped.js';
import { OBJECT_TYPES, type ObjectType } from '../matching/conditions.js';
import type { MatchingProfile, RankingGroup as EngineRankingGroup } from '../matching/engine.js';
import type { EligibilityState } from '../matching/soql.js';
import { allTogglesOff } from '../orgs/builtins.js';
import { NotFoundError } from '../shared/errors.js';
import type { Notifications, Profile } from './schemas.js';

type Row = Record<string, any>;
const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const iso = (v: unknown) => new Date(v as string).toISOString();

export const DEFAULT_NOTIFICATIONS: Omit<Notifications, 'followUpQuestions'> = {
  meetingCategoryField: null,
  creationRecipients: 'owner_only',
  completionRecipients: 'owner_only',
};

export async function findProfileRow(scope: OrgScope, id: string, lock = false): Promise<Row> {
  const query = scope.table('configuration_profiles').where({ id });
  const row = await (lock ? query.forUpdate() : query).first();
  if (!row) throw new NotFoundError('Configuration profile', id);
  return row;
}

export async function userCounts(scope: OrgScope, profileIds?: string[]): Promise<Map<string, number>> {
  const q = scope.table('users').groupBy('profile_id').select('profile_id').count({ n: '*' });
  if (profileIds) q.whereIn('profile_id', profileIds);
  const rows: Row[] = await q;
  return new Map(rows.map((r) => [r.profile_id as string, Number(r.n)]));
}

export async function listProfileRows(scope: OrgScope): Promise<Row[]> {
  return scope.table('configuration_profiles').orderBy([{ column: 'is_builtin', order: 'desc' }, 'name']);
}

export const eligibilityGroupDto = (r: Row) => ({
  id: r.id as string,
  objectType: r.object_type as ObjectType,
  name: (r.name ?? '') as string,
  position: r.position as number,
  conditions: parse<any[]>(r.conditions),
});

export const rankingGroupDto = (r: Row) => ({
  id: r.id as string,
  name: (r.name ?? '') as string,
  position: r.position as number,
  target: r.target,
  kind: r.kind,
  conditions: parse<any[]>(r.conditions),
});

export function eligibilityStates(row: Row): Record<ObjectType, EligibilityState> {
  const stored = parse<Partial<Record<ObjectType, EligibilityState>>>(row.eligibility_state) ?? {};
  return Object.fromEntries(OBJECT_TYPES.map((t) => [t, stored[t] ?? 'all'])) as Record<ObjectType, EligibilityState>;
}

/** The whole profile as the API shows it. */
export async function loadProfile(scope: OrgScope, id: string): Promise<Profile> {
  const row = await findProfileRow(scope, id);
  // One after another: inside a transaction the scope holds a single connection.
  const groups = await scope.table('eligibility_groups').where({ profile_id: id }).orderBy(['object_type', 'position']);
  const ranking = await scope.table('ranking_groups').where({ profile_id: id }).orderBy('position');
  const questions = await scope.table('follow_up_questions').where({ profile_id: id }).orderBy('position');
  const counts = await userCounts(scope, [id]);
  const states = eligibilityStates(row);
  const eligibility = Object.fromEntries(
    OBJECT_TYPES.map((t) => [
      t,
      { state: states[t], groups: groups.filter((g: Row) => g.object_type === t).map(eligibilityGroupDto) },
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
      followUpQuestions: questions.map((q: Row) => ({
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
