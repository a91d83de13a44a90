import type { Connection } from 'jsforce';
import type { Knex } from 'knex';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { OBJECT_TYPES, type ObjectType } from '../matching/conditions.js';
import { countEligible } from '../matching/eligible-counts.js';
import { assertConditionsFit, conditionProblems, type FieldLookup } from './field-check.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { BadRequestError } from '../shared/errors.js';
import { eligibilityGroups, rankingGroups, type GroupKind } from './group-kinds.js';
import {
  deleteEligibilityGroups,
  deleteGroup,
  findGroup,
  insertGroup,
  peekGroup,
  rankingGroupIds,
  renumber,
  updateGroup,
  type GroupTable,
} from './groups-repo.js';
import {
  eligibilityGroupDto,
  eligibilityStates,
  findProfileRow,
  loadProfile,
  setEligibilityState,
  touch,
} from './repo.js';

/** Eligibility filter groups, ranking groups and the eligibility preview of one profile. */
export function createProfileGroupsService({ db, fields }: { db: Knex; fields?: FieldLookup }) {
  const tx = <T>(orgId: string, work: (scope: OrgScope) => Promise<T>) => inOrgTransaction(db, orgId, work);
  const audit = (scope: OrgScope, actor: Actor, action: string, targetId: string, before: unknown, after: unknown) =>
    recordAudit(scope, actor, { action, targetType: 'configuration_profile', targetId, before, after });

  /** Adding, editing and removing a group of one kind: checked against the org's fields, audited on the profile. */
  const handlers = <T extends GroupTable, Input, Patch, Group>(kind: GroupKind<T, Input, Patch, Group>) => ({
    async add(orgId: string, actor: Actor, profileId: string, input: Input): Promise<Group> {
      await kind.check(fields, orgId, input);
      return tx(orgId, async (scope) => {
        const profile = await findProfileRow(scope, profileId, true);
        const row = await insertGroup(scope, kind.table, kind.row(profileId, input));
        await kind.added(scope, profile, row);
        const group = kind.dto(row);
        await audit(scope, actor, `${kind.audit}.create`, profileId, null, group);
        return group;
      });
    },

    async update(orgId: string, actor: Actor, profileId: string, groupId: string, patch: Patch): Promise<Group> {
      if (fields && kind.checked.some((field) => patch[field])) {
        const stored = await peekGroup(scoped(db, orgId), kind.table, groupId);
        if (stored) await kind.check(fields, orgId, kind.patched(kind.dto(stored), patch));
      }
      return tx(orgId, async (scope) => {
        await findProfileRow(scope, profileId, true);
        const before = kind.dto(await findGroup(scope, kind.table, profileId, groupId, kind.what));
        const row = await updateGroup(scope, kind.table, groupId, kind.changes(patch));
        await touch(scope, profileId);
        const after = kind.dto(row);
        await audit(scope, actor, `${kind.audit}.update`, profileId, before, after);
        return after;
      });
    },

    remove(orgId: string, actor: Actor, profileId: string, groupId: string): Promise<void> {
      return tx(orgId, async (scope) => {
        const profile = await findProfileRow(scope, profileId, true);
        const row = await findGroup(scope, kind.table, profileId, groupId, kind.what);
        const left = await deleteGroup(scope, kind.table, row);
        await kind.removed(scope, profile, row, left);
        await audit(scope, actor, `${kind.audit}.delete`, profileId, kind.dto(row), null);
      });
    },
  });
  const eligibility = handlers(eligibilityGroups);
  const ranking = handlers(rankingGroups);

  return {
    addEligibilityGroup: eligibility.add,
    updateEligibilityGroup: eligibility.update,
    removeEligibilityGroup: eligibility.remove,

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

    addRankingGroup: ranking.add,
    updateRankingGroup: ranking.update,
    removeRankingGroup: ranking.remove,

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
