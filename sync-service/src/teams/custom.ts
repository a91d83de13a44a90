import type { Knex } from 'knex';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { BadRequestError, NotFoundError, UnprocessableError } from '../shared/errors.js';
import { existingUserIds, userNames } from '../users/repo.js';
import {
  customTeamIds,
  customTeamMembers,
  customTeamViewerIds,
  expandedCount,
  findCustomTeam,
  insertCustomTeam,
  replaceComposition,
} from './custom-repo.js';
import { existingHierarchyTeamIds } from './repo.js';
import { deleteTeam, updateTeam } from './write-repo.js';
import { CUSTOM_TEAM_MAX_PEOPLE, type CustomTeam, type CustomTeamPatch, type NewCustomTeam } from './schemas.js';

interface Composition {
  name: string;
  userIds: string[];
  teamIds: string[];
  managerUserId: string | null;
  viewerIds: string[];
}

async function load(scope: OrgScope, id: string): Promise<CustomTeam> {
  const team = await findCustomTeam(scope, id);
  if (!team) throw new NotFoundError('Custom team', id);
  const members = await customTeamMembers(scope, id);
  const viewerIds = await customTeamViewerIds(scope, id);
  const userIds = members.flatMap((m) => (m.member_user_id ? [m.member_user_id] : []));
  const teamIds = members.flatMap((m) => (m.member_team_id ? [m.member_team_id] : []));
  // Names for every user the team refers to, so a screen can show them without loading the org's users.
  const referenced = [...new Set([...userIds, ...viewerIds, ...(team.manager_user_id ? [team.manager_user_id] : [])])];
  const people = await userNames(scope, referenced);
  return {
    id: team.id,
    name: team.name,
    userIds,
    teamIds,
    managerUserId: team.manager_user_id,
    viewerIds,
    people: people.map((p) => ({
      id: p.id,
      name: [p.first_name, p.last_name].filter(Boolean).join(' ') || p.email,
      email: p.email,
    })),
    memberCount: await expandedCount(scope, userIds, teamIds),
    createdAt: new Date(team.created_at).toISOString(),
    updatedAt: new Date(team.updated_at).toISOString(),
  };
}

/**
 * Checks every referenced user and team belongs to the org, and the 100-people limit, before anything is written.
 * `before`: the people a custom team holds now. One already past the limit (made before the limit held everywhere)
 * may be edited as long as it does not grow, so the admin can bring it back under.
 */
async function validate(scope: OrgScope, c: Composition, before = 0) {
  const people = [...new Set([...c.userIds, ...c.viewerIds, ...(c.managerUserId ? [c.managerUserId] : [])])];
  const known = await existingUserIds(scope, people);
  const unknownUsers = people.filter((p) => !known.has(p));
  if (unknownUsers.length)
    throw new BadRequestError('unknown_user', `Unknown user(s): ${unknownUsers.join(', ')}.`, {
      userIds: unknownUsers,
    });
  const knownTeams = await existingHierarchyTeamIds(scope, c.teamIds);
  const unknownTeams = c.teamIds.filter((t) => !knownTeams.has(t));
  if (unknownTeams.length) {
    throw new BadRequestError('unknown_team', `Unknown or non-hierarchy team(s): ${unknownTeams.join(', ')}.`, {
      teamIds: unknownTeams,
    });
  }
  const count = await expandedCount(scope, c.userIds, c.teamIds);
  if (count <= CUSTOM_TEAM_MAX_PEOPLE || count <= before) return;
  const over = before > CUSTOM_TEAM_MAX_PEOPLE ? ` It holds ${before} now: an edit may keep or lower that.` : '';
  throw new UnprocessableError(
    'custom_team_too_large',
    `A custom team holds at most ${CUSTOM_TEAM_MAX_PEOPLE} people; these members expand to ${count}.${over}`,
    { count, max: CUSTOM_TEAM_MAX_PEOPLE, before },
  );
}

const composition = (t: CustomTeam): Composition => ({
  name: t.name,
  userIds: t.userIds,
  teamIds: t.teamIds,
  managerUserId: t.managerUserId,
  viewerIds: t.viewerIds,
});

/** Custom teams: outside the hierarchy, never touched by the sync (SPEC section 2). */
export function createCustomTeamsService({ db }: { db: Knex }) {
  const write = <T>(orgId: string, work: (scope: OrgScope) => Promise<T>) => inOrgTransaction(db, orgId, work);
  return {
    async list(orgId: string) {
      const scope = scoped(db, orgId);
      const items: CustomTeam[] = [];
      for (const id of await customTeamIds(scope)) items.push(await load(scope, id));
      return { items };
    },
    get: (orgId: string, id: string) => load(scoped(db, orgId), id),

    create: (orgId: string, actor: Actor, input: NewCustomTeam) =>
      write(orgId, async (scope) => {
        await validate(scope, input);
        const id = await insertCustomTeam(scope, input);
        await replaceComposition(scope, id, input);
        await recordAudit(scope, actor, {
          action: 'custom_team.create',
          targetType: 'custom_team',
          targetId: id,
          after: input,
        });
        return load(scope, id);
      }),

    update: (orgId: string, actor: Actor, id: string, patch: CustomTeamPatch) =>
      write(orgId, async (scope) => {
        const current = await load(scope, id);
        const next: Composition = { ...composition(current), ...patch };
        await validate(scope, next, await expandedCount(scope, current.userIds, current.teamIds));
        await updateTeam(scope, id, {
          name: next.name,
          manager_user_id: next.managerUserId,
          manager_set_by_hand: !!next.managerUserId,
        });
        await replaceComposition(scope, id, next);
        await recordAudit(scope, actor, {
          action: 'custom_team.update',
          targetType: 'custom_team',
          targetId: id,
          before: composition(current),
          after: next,
        });
        return load(scope, id);
      }),

    remove: (orgId: string, actor: Actor, id: string) =>
      write(orgId, async (scope) => {
        const current = await load(scope, id);
        await deleteTeam(scope, id);
        await recordAudit(scope, actor, {
          action: 'custom_team.delete',
          targetType: 'custom_team',
          targetId: id,
          before: composition(current),
        });
      }),
  };
}
