import type { z } from 'zod';
import type { OrgScope } from '../db/scoped.js';
import { BadRequestError } from '../shared/errors.js';
import { checkEligibility, checkRanking, type FieldLookup } from './field-check.js';
import type { GroupChanges, GroupRows, GroupTable, NewGroup } from './groups-repo.js';
import { eligibilityGroupDto, rankingGroupDto, setEligibilityState, touch, type ProfileRow } from './repo.js';
import type {
  EligibilityGroup,
  EligibilityGroupInput,
  EligibilityGroupPatch,
  RankingCondition,
  RankingGroup,
  RankingGroupInput,
  RankingGroupPatch,
} from './schemas.js';

/** What sets a profile's two kinds of group apart; adding, editing and removing one is otherwise the same. */
export interface GroupKind<T extends GroupTable, Input, Patch, Group> {
  table: T;
  /** How a 404 names the group. */
  what: string;
  /** The audit actions are `${audit}.create`, `.update` and `.delete`. */
  audit: string;
  dto: (row: GroupRows[T]) => Group;
  /** Refuses conditions the org cannot evaluate; runs before any transaction (describe may use other connections). */
  check: (fields: FieldLookup | undefined, orgId: string, group: Input) => Promise<void>;
  /** The patch fields `check` reads: a patch without any is not checked. */
  checked: readonly (keyof Patch)[];
  /** The group a patch would leave, as `check` reads it. */
  patched: (stored: Group, patch: Patch) => Input;
  row: (profileId: string, input: Input) => NewGroup<T>;
  changes: (patch: Patch) => GroupChanges<T>;
  /** What the profile records once a group is added (at least its updated_at). */
  added: (scope: OrgScope, profile: ProfileRow, row: GroupRows[T]) => Promise<void>;
  /** What the profile records once a group is removed, `left` of those it was ordered with remaining. */
  removed: (scope: OrgScope, profile: ProfileRow, row: GroupRows[T], left: number) => Promise<void>;
}

/** Sort and select conditions never share a group: the group's kind is the one kind its conditions have. */
function rankingKind(conditions: z.infer<typeof RankingCondition>[]): 'sort' | 'select' {
  const sorts = conditions.filter((c) => c.kind === 'sort').length;
  const selects = conditions.length - sorts;
  if (sorts && selects) {
    throw new BadRequestError(
      'mixed_ranking_kinds',
      `A ranking group's conditions must be all sort-based or all select-based; this one has ${sorts} sort-based and ${selects} select-based.`,
      { sort: sorts, select: selects },
    );
  }
  return sorts ? 'sort' : 'select';
}

const rankingColumns = (conditions: z.infer<typeof RankingCondition>[]) => {
  const kind = rankingKind(conditions);
  const firstSort = conditions[0]?.kind === 'sort' ? conditions[0] : null;
  return {
    kind,
    sort_field: firstSort?.field ?? null,
    sort_direction: firstSort?.direction ?? null,
    conditions: JSON.stringify(conditions),
  };
};

/** Filter groups: a record of the type is eligible when any group admits it. */
export const eligibilityGroups: GroupKind<
  'eligibility_groups',
  z.infer<typeof EligibilityGroupInput>,
  z.infer<typeof EligibilityGroupPatch>,
  EligibilityGroup
> = {
  table: 'eligibility_groups',
  what: 'Eligibility group',
  audit: 'profile.eligibility_group',
  dto: eligibilityGroupDto,
  check: (fields, orgId, g) => checkEligibility(fields, orgId, g.objectType, g.conditions),
  checked: ['conditions'],
  patched: (stored, patch) => ({
    objectType: stored.objectType,
    name: patch.name ?? stored.name,
    conditions: patch.conditions ?? stored.conditions,
  }),
  row: (profileId, input) => ({
    profile_id: profileId,
    object_type: input.objectType,
    name: input.name,
    conditions: JSON.stringify(input.conditions),
  }),
  changes: (patch) => ({
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.conditions ? { conditions: JSON.stringify(patch.conditions) } : {}),
  }),
  added: (scope, profile, row) => setEligibilityState(scope, profile, row.object_type, 'filtered'),
  // Only future matching changes; removing the type's last group leaves none of its records eligible.
  removed: (scope, profile, row, left) =>
    left === 0 ? setEligibilityState(scope, profile, row.object_type, 'none') : touch(scope, profile.id),
};

/** Ranking groups: the profile's priority order among the records that qualify. */
export const rankingGroups: GroupKind<
  'ranking_groups',
  z.infer<typeof RankingGroupInput>,
  z.infer<typeof RankingGroupPatch>,
  RankingGroup
> = {
  table: 'ranking_groups',
  what: 'Ranking group',
  audit: 'profile.ranking_group',
  dto: rankingGroupDto,
  check: (fields, orgId, g) => checkRanking(fields, orgId, g.target, g.conditions),
  checked: ['conditions', 'target'],
  patched: (stored, patch) => ({
    name: patch.name ?? stored.name,
    target: patch.target ?? stored.target,
    conditions: patch.conditions ?? stored.conditions,
  }),
  row: (profileId, input) => ({
    profile_id: profileId,
    name: input.name,
    target: input.target,
    ...rankingColumns(input.conditions),
  }),
  changes: (patch) => ({
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.target ? { target: patch.target } : {}),
    ...(patch.conditions ? rankingColumns(patch.conditions) : {}),
  }),
  added: (scope, profile) => touch(scope, profile.id),
  removed: (scope, profile) => touch(scope, profile.id),
};
