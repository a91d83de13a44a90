import type { OrgScope } from '../db/scoped.js';
import { OBJECT_TYPES, type ObjectType } from '../matching/conditions.js';
import type { MatchingProfile, RankingGroup as EngineRankingGroup } from '../matching/engine.js';
import type { EligibilityState } from '../matching/soql.js';
import { allTogglesOff, DEFAULT_PROFILE_NAME } from '../orgs/builtins.js';
import { NotFoundError } from '../shared/errors.js';
import { usersPerProfile } from '../users/repo.js';
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

/** Whether the org has a profile of this id. */
export async function profileExists(scope: OrgScope, id: string): Promise<boolean> {
  return !!(await scope.table('configuration_profiles').where({ id }).first('id'));
}

/** The ids of every profile of the org. */
export async function profileIds(scope: OrgScope): Promise<string[]> {
  return scope.table('configuration_profiles').pluck('id');
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
  const counts = await usersPerProfile(scope, [id]);
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

export async function touch(scope: OrgScope, id: string): Promise<void> {
  await scope.table('configuration_profiles').where({ id }).update({ updated_at: scope.db.fn.now() });
}

/** Whether another profile than `exceptId` has this name (names compare case-insensitively, as the unique index does). */
export async function profileNameTaken(scope: OrgScope, name: string, exceptId?: string): Promise<boolean> {
  const q = scope.table('configuration_profiles').whereRaw('lower(name) = lower(?)', [name]);
  if (exceptId) q.whereNot({ id: exceptId });
  return !!(await q.first('id'));
}

/** The settings a new profile starts with (a copy: the source's). */
export type NewProfile = Pick<ProfileRow, 'name' | 'activity' | 'eligibility_state' | 'min_score' | 'notifications'>;

/** Inserts a profile; returns its id. */
export async function insertProfile(scope: OrgScope, profile: NewProfile): Promise<string> {
  const [row] = await scope.insert('configuration_profiles', { ...profile }).returning('id');
  return row.id;
}

/** The id of the org's default profile. */
export async function defaultProfileId(scope: OrgScope): Promise<string> {
  const row: Pick<ProfileRow, 'id'> = await scope
    .table('configuration_profiles')
    .where({ is_builtin: true, name: DEFAULT_PROFILE_NAME })
    .first('id');
  return row.id;
}

/** Inserts the org's default profile (every activity off), with the org; returns its id. */
export async function insertBuiltinProfile(scope: OrgScope): Promise<string> {
  const [row]: Pick<ProfileRow, 'id'>[] = await scope
    .insert('configuration_profiles', { name: DEFAULT_PROFILE_NAME, is_builtin: true, activity: allTogglesOff() })
    .returning('id');
  return row!.id;
}

/** Copies the profile's rows of one table to another profile, keeping of each row what `keep` returns. */
async function copyRows<R>(
  scope: OrgScope,
  table: string,
  fromId: string,
  toId: string,
  keep: (row: R) => Record<string, unknown>,
): Promise<void> {
  const rows: R[] = await scope.table(table).where({ profile_id: fromId });
  if (rows.length)
    await scope.insert(
      table,
      rows.map((r) => ({ ...keep(r), profile_id: toId })),
    );
}

/** Copies every group and follow-up question of profile `fromId` to profile `toId` (each copy gets its own id). */
export async function copyProfileParts(scope: OrgScope, fromId: string, toId: string): Promise<void> {
  await copyRows(scope, 'eligibility_groups', fromId, toId, (r: EligibilityGroupRow) => ({
    object_type: r.object_type,
    name: r.name,
    position: r.position,
    conditions: JSON.stringify(r.conditions),
  }));
  await copyRows(scope, 'ranking_groups', fromId, toId, (r: RankingGroupRow) => ({
    name: r.name,
    position: r.position,
    target: r.target,
    kind: r.kind,
    sort_field: r.sort_field,
    sort_direction: r.sort_direction,
    conditions: JSON.stringify(r.conditions),
  }));
  await copyRows(scope, 'follow_up_questions', fromId, toId, (r: FollowUpQuestionRow) => ({
    position: r.position,
    crm_category: r.crm_category,
    question: r.question,
    answer_field: r.answer_field,
  }));
}

export type ProfileChanges = Partial<
  Pick<ProfileRow, 'name' | 'min_score' | 'activity' | 'eligibility_state' | 'notifications'>
>;

export async function updateProfile(scope: OrgScope, id: string, changes: ProfileChanges): Promise<void> {
  await scope
    .table('configuration_profiles')
    .where({ id })
    .update({ ...changes, updated_at: scope.db.fn.now() });
}

export async function deleteProfile(scope: OrgScope, id: string): Promise<void> {
  await scope.table('configuration_profiles').where({ id }).delete();
}

/** The eligibility state of one object type set, the others kept. */
export async function setEligibilityState(
  scope: OrgScope,
  profile: ProfileRow,
  objectType: ObjectType,
  state: EligibilityState,
): Promise<void> {
  await updateProfile(scope, profile.id, { eligibility_state: { ...eligibilityStates(profile), [objectType]: state } });
}

/** The notification settings and the follow-up questions, in the order given, replace the stored ones. */
export async function replaceNotifications(
  scope: OrgScope,
  id: string,
  settings: Omit<Notifications, 'followUpQuestions'>,
  questions: Notifications['followUpQuestions'],
): Promise<void> {
  await updateProfile(scope, id, { notifications: settings });
  await scope.table('follow_up_questions').where({ profile_id: id }).delete();
  if (questions.length)
    await scope.insert(
      'follow_up_questions',
      questions.map((q, position) => ({
        profile_id: id,
        position,
        crm_category: q.crmCategory,
        question: q.question,
        answer_field: q.answerField,
      })),
    );
}
