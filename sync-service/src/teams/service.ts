import type { Knex } from 'knex';
import { flushDeferred, inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import { getManagementMode } from '../orgs/repo.js';
import { userExists } from '../users/repo.js';
import { memberCount, memberCounts, memberIds } from '../users/team-members-repo.js';
import { moveUsersToTeam } from '../users/write-repo.js';
import { ownedBySalesforce } from '../users/service.js';
import { refuseCustomTeamsPastCap } from './custom-cap.js';
import { customTeamPeople, keepCustomTeamPeople } from './custom-people.js';
import { refreshDerivedManagers } from './managers.js';
import { teamReplacedError } from './redirects.js';
import { redirectTeam, settleRedirect, teamKnown } from './redirects-repo.js';
import { membershipHistory } from './history-repo.js';
import {
  builtinTeamId,
  childTeamIds,
  findHierarchyTeam,
  HIERARCHY_KINDS,
  hierarchyNameTaken,
  hierarchyTeams,
  subtreeIds,
  teamKind,
} from './repo.js';
import { deleteTeam, insertTeam, reparentTeams, updateTeam, type TeamChanges } from './write-repo.js';
import type { HierarchyTeamRow } from './rows.js';
import type { NewTeam, Team, TeamNode, TeamPatch } from './schemas.js';

const toTeam = (row: HierarchyTeamRow, memberCount = 0): Team => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  parentId: row.parent_id,
  managerUserId: row.manager_user_id,
  managerSetByHand: row.manager_set_by_hand,
  managerWarning: row.manager_warning,
  memberCount,
  sfRoleId: row.sf_role_id,
});

async function loadTeam(scope: OrgScope, id: string, lock = false): Promise<HierarchyTeamRow> {
  await flushDeferred(scope.db); // derived managers settled by the changes so far
  const row = await findHierarchyTeam(scope, id, lock);
  // A replaced team's id says where the team went (410 team_replaced) rather than just "not found".
  if (!row) throw (await teamReplacedError(scope, id)) ?? new NotFoundError('Team', id);
  return row;
}

async function assertNameFree(scope: OrgScope, name: string, exceptId?: string) {
  // Names must be unique: the CSV import names teams by name.
  if (await hierarchyNameTaken(scope, name, exceptId))
    throw new ConflictError('team_name_taken', `A team named "${name}" already exists.`, { field: 'name' });
}

async function assertParent(scope: OrgScope, parentId: string) {
  const kind = await teamKind(scope, parentId);
  if (!kind) throw new BadRequestError('unknown_team', `Team ${parentId} does not exist.`, { field: 'parentId' });
  if (kind !== 'top' && kind !== 'hierarchy') {
    throw new BadRequestError(
      'invalid_parent',
      'A team can only sit under the top-level team or another hierarchy team.',
      { field: 'parentId' },
    );
  }
}

async function refuseInAutomaticMode(scope: OrgScope, what: string) {
  if ((await getManagementMode(scope)) === 'automatic') throw ownedBySalesforce([what]);
}

/** The team hierarchy as an admin edits it by hand (SPEC sections 2 and 3, Manual Mode). */
export function createTeamsService({ db }: { db: Knex }) {
  const write = <T>(orgId: string, work: (scope: OrgScope) => Promise<T>) => inOrgTransaction(db, orgId, work);

  return {
    async tree(orgId: string): Promise<{ top: TeamNode; unassigned: Team }> {
      const scope = scoped(db, orgId);
      const rows = await hierarchyTeams(scope);
      const countOf = await memberCounts(scope);
      const nodes = new Map<string, TeamNode>(
        rows.map((r) => [r.id, { ...toTeam(r, countOf.get(r.id) ?? 0), children: [] }]),
      );
      for (const node of nodes.values()) {
        if (node.parentId && nodes.has(node.parentId)) nodes.get(node.parentId)!.children.push(node);
      }
      const top = [...nodes.values()].find((n) => n.kind === 'top')!;
      const { children: _unused, ...unassigned } = [...nodes.values()].find((n) => n.kind === 'unassigned')!;
      return { top, unassigned };
    },

    async get(orgId: string, id: string): Promise<Team> {
      const scope = scoped(db, orgId);
      return toTeam(await loadTeam(scope, id), await memberCount(scope, id));
    },

    create: (orgId: string, actor: Actor, input: NewTeam) =>
      write(orgId, async (scope) => {
        await refuseInAutomaticMode(scope, 'teams');
        const parentId = input.parentId ?? (await builtinTeamId(scope, 'top'));
        await assertParent(scope, parentId);
        await assertNameFree(scope, input.name);
        const row = await insertTeam(scope, { name: input.name, parentId });
        await recordAudit(scope, actor, {
          action: 'team.create',
          targetType: 'team',
          targetId: row.id,
          after: { name: input.name, parentId },
        });
        return toTeam(row);
      }),

    update: (orgId: string, actor: Actor, id: string, patch: TeamPatch) =>
      write(orgId, async (scope) => {
        const row = await loadTeam(scope, id, true);
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        const changes: TeamChanges = {};
        if (patch.name !== undefined && patch.name !== row.name) {
          await refuseInAutomaticMode(scope, 'team names');
          if (row.kind === 'unassigned')
            throw new BadRequestError('builtin_team', 'The Unassigned group cannot be renamed.');
          await assertNameFree(scope, patch.name, id);
          Object.assign(before, { name: row.name });
          Object.assign(after, { name: patch.name });
          changes.name = patch.name;
        }
        if (patch.parentId !== undefined && patch.parentId !== row.parent_id) {
          await refuseInAutomaticMode(scope, 'team hierarchy');
          if (row.kind !== 'hierarchy')
            throw new BadRequestError('builtin_team', `The ${row.name} team cannot be moved.`);
          await assertParent(scope, patch.parentId);
          if ((await subtreeIds(scope, id)).includes(patch.parentId)) {
            throw new ConflictError('team_cycle', 'A team cannot move under itself or one of its own sub-teams.', {
              field: 'parentId',
            });
          }
          Object.assign(before, { parentId: row.parent_id });
          Object.assign(after, { parentId: patch.parentId });
          changes.parent_id = patch.parentId;
        }
        if (patch.managerUserId !== undefined) {
          if (row.kind === 'unassigned')
            throw new BadRequestError('builtin_team', 'The Unassigned group has no manager.');
          if (patch.managerUserId && !(await userExists(scope, patch.managerUserId))) {
            throw new BadRequestError('unknown_user', `User ${patch.managerUserId} does not exist.`, {
              field: 'managerUserId',
            });
          }
          const byHand = patch.managerUserId !== null;
          if (byHand !== row.manager_set_by_hand || (byHand && patch.managerUserId !== row.manager_user_id)) {
            Object.assign(before, { managerUserId: row.manager_user_id, managerSetByHand: row.manager_set_by_hand });
            Object.assign(after, { managerUserId: patch.managerUserId, managerSetByHand: byHand });
            Object.assign(changes, {
              manager_set_by_hand: byHand,
              ...(byHand ? { manager_user_id: patch.managerUserId, manager_warning: null } : {}),
            });
          }
        }
        if (Object.keys(changes).length > 0) {
          await updateTeam(scope, id, changes);
          // A team moved under another brings its people into the custom teams that hold its new parent.
          if (changes.parent_id) await refuseCustomTeamsPastCap(scope, [changes.parent_id]);
          await recordAudit(scope, actor, { action: 'team.update', targetType: 'team', targetId: id, before, after });
          if (changes.manager_set_by_hand === false) await refreshDerivedManagers(scope, [id], actor);
        }
        const updated = toTeam(await loadTeam(scope, id), await memberCount(scope, id));
        return { ...updated, warnings: updated.managerWarning ? [updated.managerWarning] : [] };
      }),

    remove: (orgId: string, actor: Actor, id: string, moveMembersTo: string | undefined) =>
      write(orgId, async (scope) => {
        const row = await loadTeam(scope, id, true);
        if (row.kind !== 'hierarchy')
          throw new BadRequestError('builtin_team', `The ${row.name} team always exists and cannot be deleted.`);
        await refuseInAutomaticMode(scope, 'teams');
        const members = await memberIds(scope, id);
        const children = await childTeamIds(scope, id);
        if (!moveMembersTo && (members.length || children.length)) {
          throw new ConflictError(
            'team_not_empty',
            `${row.name} still has ${members.length} member(s) and ${children.length} sub-team(s). Name a team to move them to with ?moveMembersTo=<teamId>.`,
            { members: members.length, subTeams: children.length },
          );
        }
        const customBefore = await customTeamPeople(scope);
        if (moveMembersTo) {
          const target = await teamKind(scope, moveMembersTo);
          if (!target || !HIERARCHY_KINDS.includes(target)) {
            throw new BadRequestError('unknown_team', `Team ${moveMembersTo} does not exist.`, {
              field: 'moveMembersTo',
            });
          }
          if ((await subtreeIds(scope, id)).includes(moveMembersTo)) {
            throw new ConflictError('team_cycle', 'Move the members to a team outside the one being deleted.', {
              field: 'moveMembersTo',
            });
          }
          if (children.length && target === 'unassigned') {
            throw new BadRequestError(
              'invalid_parent',
              'Sub-teams cannot move into the Unassigned group; name a hierarchy team.',
              { field: 'moveMembersTo' },
            );
          }
          await reparentTeams(scope, children, moveMembersTo);
          await moveUsersToTeam(scope, actor, members, moveMembersTo);
          await refuseCustomTeamsPastCap(scope, [moveMembersTo]);
          // Reports that still name the deleted team resolve to the one that took its members; never to the top-level
          // team, which would widen a saved view on it to the whole org: that old id answers "team replaced" instead.
          if (target === 'top') {
            const top = await loadTeam(scope, moveMembersTo);
            const choices = [{ id: top.id, name: top.name, people: members.length }];
            await settleRedirect(scope, { oldId: id, oldName: row.name, target: null, choices });
          } else await redirectTeam(scope, id, moveMembersTo, row.name);
        }
        await deleteTeam(scope, id);
        // A custom team that held it keeps its people, as user members, as when a run replaces a team.
        await keepCustomTeamPeople(scope, actor, customBefore, { enabling: false });
        await recordAudit(scope, actor, {
          action: 'team.delete',
          targetType: 'team',
          targetId: id,
          before: { name: row.name, parentId: row.parent_id },
          after: moveMembersTo
            ? { movedTo: moveMembersTo, members: members.length, subTeams: children.length }
            : undefined,
        });
      }),

    async history(orgId: string, id: string, limit: number, cursor?: string) {
      const scope = scoped(db, orgId);
      // A deleted team's id stays answerable: its memberships outlive it (team_redirects names its successor).
      if (!(await teamKnown(scope, id))) throw new NotFoundError('Team', id);
      let after: { startedAt: string; rowId: string } | undefined;
      if (cursor) {
        const [startedAt, rowId] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
        if (!startedAt || !rowId || !/^[0-9a-f-]{36}$/.test(rowId))
          throw new BadRequestError('invalid_cursor', 'The cursor is not valid.');
        after = { startedAt, rowId };
      }
      const rows = await membershipHistory(scope, id, limit + 1, after);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({
          userId: r.user_id,
          email: r.email,
          firstName: r.first_name,
          lastName: r.last_name,
          teamId: r.team_id,
          startedAt: new Date(r.started_at).toISOString(),
          endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
        })),
        nextCursor:
          rows.length > limit && last ? Buffer.from(`${last.started_key}|${last.id}`).toString('base64url') : null,
      };
    },
  };
}
