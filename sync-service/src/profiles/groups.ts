import type { Connection } from 'jsforce';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { OBJECT_TYPES, type ObjectType } from '../matching/conditions.js';
import { countEligible } from '../matching/eligible-counts.js';
import {
  assertConditionsFit,
  checkEligibility,
  checkRanking,
  conditionProblems,
  type FieldLookup,
} from './field-check.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { BadRequestError } from '../shared/errors.js';
import {
  deleteEligibilityGroups,
  deleteGroup,
  eligibilityGroupDto,
  eligibilityStates,
  findGroup,
  findProfileRow,
  insertGroup,
  loadProfile,
  peekGroup,
  rankingGroupDto,
  rankingGroupIds,
  renumber,
  setEligibilityState,
  touch,
  updateGroup,
} from './repo.js';
import type {
  EligibilityGroupInput,
  EligibilityGroupPatch,
  RankingCondition,
  RankingGroupInput,
  RankingGroupPatch,
} from './schemas.js';

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

/** Eligibility filter groups, ranking groups and the eligibility preview of one profile. */
export function createProfileGroupsService({ db, fields }: { db: Knex; fields?: FieldLookup }) {
  const tx = <T>(orgId: string, work: (scope: OrgScope) => Promise<T>) => inOrgTransaction(db, orgId, work);
  const audit = (scope: OrgScope, actor: Actor, action: string, targetId: string, before: unknown, after: unknown) =>
    recordAudit(scope, actor, { action, targetType: 'configuration_profile', targetId, before, after });

  return {
    async addEligibilityGroup(
      orgId: string,
      actor: Actor,
      profileId: string,
      input: z.infer<typeof EligibilityGroupInput>,
    ) {
      await checkEligibility(fields, orgId, input.objectType, input.conditions);
      return tx(orgId, async (scope) => {
        const profile = await findProfileRow(scope, profileId, true);
        const row = await insertGroup(scope, 'eligibility_groups', {
          profile_id: profileId,
          object_type: input.objectType,
          name: input.name,
          conditions: JSON.stringify(input.conditions),
        });
        await setEligibilityState(scope, profile, input.objectType, 'filtered');
        const group = eligibilityGroupDto(row);
        await audit(scope, actor, 'profile.eligibility_group.create', profileId, null, group);
        return group;
      });
    },

    async updateEligibilityGroup(
      orgId: string,
      actor: Actor,
      profileId: string,
      groupId: string,
      patch: z.infer<typeof EligibilityGroupPatch>,
    ) {
      if (patch.conditions && fields) {
        const row = await peekGroup(scoped(db, orgId), 'eligibility_groups', groupId);
        if (row) await checkEligibility(fields, orgId, row.object_type, patch.conditions);
      }
      return tx(orgId, async (scope) => {
        await findProfileRow(scope, profileId, true);
        const before = eligibilityGroupDto(
          await findGroup(scope, 'eligibility_groups', profileId, groupId, 'Eligibility group'),
        );
        const row = await updateGroup(scope, 'eligibility_groups', groupId, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.conditions ? { conditions: JSON.stringify(patch.conditions) } : {}),
        });
        await touch(scope, profileId);
        const after = eligibilityGroupDto(row);
        await audit(scope, actor, 'profile.eligibility_group.update', profileId, before, after);
        return after;
      });
    },

    /** Only future matching changes; removing the type's last group leaves none of its records eligible. */
    removeEligibilityGroup(orgId: string, actor: Actor, profileId: string, groupId: string) {
      return tx(orgId, async (scope) => {
        const profile = await findProfileRow(scope, profileId, true);
        const row = await findGroup(scope, 'eligibility_groups', profileId, groupId, 'Eligibility group');
        const before = eligibilityGroupDto(row);
        const left = await deleteGroup(scope, 'eligibility_groups', row);
        if (left === 0) await setEligibilityState(scope, profile, before.objectType, 'none');
        else await touch(scope, profileId);
        await audit(scope, actor, 'profile.eligibility_group.delete', profileId, before, null);
      });
    },

    /** Back to "all records eligible": the type's groups are removed. */
    resetEligibility(orgId: string, actor: Actor, profileId: string, objectType: ObjectType) {
      return tx(orgId, async (scope) => {
        const profile = await findProfileRow(scope, profileId, true);
        const removed = await deleteEligibilityGroups(scope, profileId, objectType);
        await setEligibilityState(scope, profile, objectType, 'all');
        const after = (await loadProfile(scope, profileId)).eligibility[objectType];
        await audit(
          scope,
          actor,
          'profile.eligibility.reset',
          profileId,
          { objectType, state: eligibilityStates(profile)[objectType], groups: removed.map(eligibilityGroupDto) },
          { objectType, ...after },
        );
        return { objectType, ...after };
      });
    },

    async addRankingGroup(orgId: string, actor: Actor, profileId: string, input: z.infer<typeof RankingGroupInput>) {
      await checkRanking(fields, orgId, input.target, input.conditions);
      return tx(orgId, async (scope) => {
        await findProfileRow(scope, profileId, true);
        const columns = rankingColumns(input.conditions);
        const row = await insertGroup(scope, 'ranking_groups', {
          profile_id: profileId,
          name: input.name,
          target: input.target,
          ...columns,
        });
        await touch(scope, profileId);
        const group = rankingGroupDto(row);
        await audit(scope, actor, 'profile.ranking_group.create', profileId, null, group);
        return group;
      });
    },

    async updateRankingGroup(
      orgId: string,
      actor: Actor,
      profileId: string,
      groupId: string,
      patch: z.infer<typeof RankingGroupPatch>,
    ) {
      if ((patch.conditions || patch.target) && fields) {
        const row = await peekGroup(scoped(db, orgId), 'ranking_groups', groupId);
        if (row)
          await checkRanking(
            fields,
            orgId,
            patch.target ?? row.target,
            patch.conditions ?? rankingGroupDto(row).conditions,
          );
      }
      return tx(orgId, async (scope) => {
        await findProfileRow(scope, profileId, true);
        const before = rankingGroupDto(await findGroup(scope, 'ranking_groups', profileId, groupId, 'Ranking group'));
        const row = await updateGroup(scope, 'ranking_groups', groupId, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.target ? { target: patch.target } : {}),
          ...(patch.conditions ? rankingColumns(patch.conditions) : {}),
        });
        await touch(scope, profileId);
        const after = rankingGroupDto(row);
        await audit(scope, actor, 'profile.ranking_group.update', profileId, before, after);
        return after;
      });
    },

    removeRankingGroup(orgId: string, actor: Actor, profileId: string, groupId: string) {
      return tx(orgId, async (scope) => {
        await findProfileRow(scope, profileId, true);
        const row = await findGroup(scope, 'ranking_groups', profileId, groupId, 'Ranking group');
        const before = rankingGroupDto(row);
        await deleteGroup(scope, 'ranking_groups', row);
        await touch(scope, profileId);
        await audit(scope, actor, 'profile.ranking_group.delete', profileId, before, null);
      });
    },

    /** The new priority order, all or nothing: `ids` must name every ranking group of the profile once. */
    orderRankingGroups(orgId: string, actor: Actor, profileId: string, ids: string[]) {
      return tx(orgId, async (scope) => {
        await findProfileRow(scope, profileId, true);
        const current = await rankingGroupIds(scope, profileId);
        const unknown = ids.filter((id) => !current.includes(id));
        const missing = current.filter((id) => !ids.includes(id));
        if (unknown.length || missing.length || new Set(ids).size !== ids.length) {
          throw new BadRequestError(
            'order_mismatch',
            'The order must list every ranking group of the profile exactly once.',
            { unknown, missing },
          );
        }
        await renumber(scope, 'ranking_groups', ids);
        await touch(scope, profileId);
        await audit(scope, actor, 'profile.ranking_group.order', profileId, { ids: current }, { ids });
        return (await loadProfile(scope, profileId)).rankingGroups;
      });
    },

    /** Counts eligible records per type in the org; the connection is asked for only once the profile is known. */
    async eligibilityPreview(orgId: string, profileId: string, connect: () => Promise<Connection>) {
      const profile = await loadProfile(scoped(db, orgId), profileId);
      // A field removed from the org since the save is named on its condition, before any query is refused;
      // an operator Salesforce refuses for the field's type is named from its answer (countEligible).
      for (const type of OBJECT_TYPES) {
        const { state, groups } = profile.eligibility[type];
        const known = fields && state === 'filtered' && groups.length ? await fields(type, orgId) : null;
        if (!known) continue;
        for (const g of groups)
          assertConditionsFit(
            `The ${type} group "${g.name || 'Unnamed group'}"`,
            conditionProblems(type, known, g.conditions).filter((p) => p.problem === 'missing'),
          );
      }
      return { profileId, counts: await countEligible(await connect(), profile.eligibility) };
    },
  };
}

export type ProfileGroupsService = ReturnType<typeof createProfileGroupsService>;
