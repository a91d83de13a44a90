import type { Knex } from 'knex';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { BadRequestError, NotFoundError, UnprocessableError } from '../shared/errors.js';
import type { CustomMemberRow, TeamRow } from './rows.js';
import { pgArray } from './tree.js';
import { CUSTOM_TEAM_MAX_PEOPLE, type CustomTeam, type CustomTeamPatch, type NewCustomTeam } from './schemas.js';

interface Composition {
  name: string;
  userIds: string[];
  teamIds: string[];
  managerUserId: string | null;
  viewerIds: string[];
}

/** Distinct people in a custom team: its users plus everyone in its member teams and their sub-teams. */
async function expandedCount(scope: OrgScope, userIds: string[], teamIds: string[]): Promise<number> {
  const { rows } = await scope.db.raw(
    `WITH RECURSIVE sub(id) AS (
       SELECT id FROM teams WHERE org_id = ? AND id = ANY(?::uuid[])
       UNION SELECT t.id FROM teams t JOIN sub ON t.parent_id = sub.id WHERE t.org_id = ?
     )
     SELECT count(*)::int AS n FROM (
       SELECT id FROM users WHERE org_id = ? AND team_id IN (SELECT id FROM sub)
       UNION SELECT unnest(?::uuid[])
     ) people`,
    [scope.orgId, pgArray(teamIds), scope.orgId, scope.orgId, pgArray(userIds)],
  );
  return rows[0].n;
}

async function load(scope: OrgScope, id: string): Promise<CustomTeam> {
  const team: TeamRow | undefined = await scope.table('teams').where({ id, kind: 'custom' }).first();
  if (!team) throw new NotFoundError('Custom team', id);
  const members: CustomMemberRow[] = await scope
    .table('custom_team_members')
    .where('team_id', id)
    .select('member_user_id', 'member_team_id');
  const viewers = await scope.table('custom_team_viewers').where('team_id', id).select('user_id');
  const userIds = members.flatMap((m) => (m.member_user_id ? [m.member_user_id] : []));
  const teamIds = members.flatMap((m) => (m.member_team_id ? [m.member_team_id] : []));
  const viewerIds = viewers.map((v: { user_id: string }) => v.user_id);
  // Names for every user the team refers to, so a screen can show them without loading the org's users.
  const referenced = [...new Set([...userIds, ...viewerIds, ...(team.manager_user_id ? [team.manager_user_id] : [])])];
  const people = referenced.length
    ? await scope.table('users').whereIn('id', referenced).select('id', 'first_name', 'last_name', 'email')
    : [];
  return {
    id: team.id,
    name: team.name,
    userIds,
    teamIds,
    managerUserId: team.manager_user_id,
    viewerIds,
    people: people.map((p: { id: string; first_name: string; last_name: string; email: string }) => ({
      id: p.id,
      name: [p.first_name, p.last_name].filter(Boolean).join(' ') || p.email,
      email: p.email,
    })),
    memberCount: await expandedCount(scope, userIds, teamIds),
    createdAt: new Date(team.created_at).toISOString(),
    updatedAt: new Date(team.updated_at).toISOString(),
  };
}

/** Checks every referenced user and team belongs to the org, and the 100-people limit, before anything is written. */
async function validate(scope: OrgScope, c: Composition) {
  const people = [...new Set([...c.userIds, ...c.viewerIds, ...(c.managerUserId ? [c.managerUserId] : [])])];
  const known = new Set(
    (await scope.table('users').whereIn('id', people).select('id')).map((u: { id: string }) => u.id),
  );
  const unknownUsers = people.filter((p) => !known.has(p));
  if (unknownUsers.length)
    throw new BadRequestError('unknown_user', `Unknown user(s): ${unknownUsers.join(', ')}.`, {
      userIds: unknownUsers,
    });
  const teams = await scope
    .table('teams')
    .whereIn('id', c.teamIds)
    .whereIn('kind', ['top', 'hierarchy', 'unassigned'])
    .select('id');
  const knownTeams = new Set(teams.map((t: { id: string }) => t.id));
  const unknownTeams = c.teamIds.filter((t) => !knownTeams.has(t));
  if (unknownTeams.length) {
    throw new BadRequestError('unknown_team', `Unknown or non-hierarchy team(s): ${unknownTeams.join(', ')}.`, {
      teamIds: unknownTeams,
    });
  }
  const count = await expandedCount(scope, c.userIds, c.teamIds);
  if (count > CUSTOM_TEAM_MAX_PEOPLE) {
    throw new UnprocessableError(
      'custom_team_too_large',
      `A custom team holds at most ${CUSTOM_TEAM_MAX_PEOPLE} people; these members expand to ${count}.`,
      { count, max: CUSTOM_TEAM_MAX_PEOPLE },
    );
  }
}

async function writeComposition(scope: OrgScope, id: string, c: Composition) {
  await scope.table('custom_team_members').where('team_id', id).delete();
  await scope.table('custom_team_viewers').where('team_id', id).delete();
  const members = [
    ...c.userIds.map((u) => ({ team_id: id, member_user_id: u })),
    ...c.teamIds.map((t) => ({ team_id: id, member_team_id: t })),
  ];
  if (members.length) await scope.insert('custom_team_members', members);
  if (c.viewerIds.length)
    await scope.insert(
      'custom_team_viewers',
      c.viewerIds.map((u) => ({ team_id: id, user_id: u })),
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
      const ids = await scope.table('teams').where('kind', 'custom').orderBy('name').select('id');
      const items: CustomTeam[] = [];
      for (const { id } of ids) items.push(await load(scope, id));
      return { items };
    },
    get: (orgId: string, id: string) => load(scoped(db, orgId), id),

    create: (orgId: string, actor: Actor, input: NewCustomTeam) =>
      write(orgId, async (scope) => {
        await validate(scope, input);
        const [row] = await scope
          .insert('teams', {
            name: input.name,
            kind: 'custom',
            manager_user_id: input.managerUserId,
            manager_set_by_hand: !!input.managerUserId,
          })
          .returning('id');
        await writeComposition(scope, row.id, input);
        await recordAudit(scope, actor, {
          action: 'custom_team.create',
          targetType: 'custom_team',
          targetId: row.id,
          after: input,
        });
        return load(scope, row.id);
      }),

    update: (orgId: string, actor: Actor, id: string, patch: CustomTeamPatch) =>
      write(orgId, async (scope) => {
        const current = await load(scope, id);
        const next: Composition = { ...composition(current), ...patch };
        await validate(scope, next);
        await scope.table('teams').where('id', id).update({
          name: next.name,
          manager_user_id: next.managerUserId,
          manager_set_by_hand: !!next.managerUserId,
          updated_at: scope.db.fn.now(),
        });
        await writeComposition(scope, id, next);
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
        await scope.table('teams').where('id', id).delete();
        await recordAudit(scope, actor, {
          action: 'custom_team.delete',
          targetType: 'custom_team',
          targetId: id,
          before: composition(current),
        });
      }),
  };
}
