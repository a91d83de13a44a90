import type { OrgScope } from '../db/scoped.js';
import type { CustomMemberRow, TeamRow } from './rows.js';
import { pgArrayOf } from '../shared/pg-array.js';

/** Who a custom team is made of and who may view it (its name and manager sit on its teams row). */
export interface Composition {
  userIds: readonly string[];
  teamIds: readonly string[];
  viewerIds: readonly string[];
}

/** The org's custom teams' ids, by name. */
export async function customTeamIds(scope: OrgScope): Promise<string[]> {
  const rows: Pick<TeamRow, 'id'>[] = await scope.table('teams').where('kind', 'custom').orderBy('name').select('id');
  return rows.map((t) => t.id);
}

export async function findCustomTeam(scope: OrgScope, id: string): Promise<TeamRow | undefined> {
  return scope.table('teams').where({ id, kind: 'custom' }).first();
}

export async function customTeamMembers(scope: OrgScope, id: string): Promise<CustomMemberRow[]> {
  return scope.table('custom_team_members').where('team_id', id).select('member_user_id', 'member_team_id');
}

export async function customTeamViewerIds(scope: OrgScope, id: string): Promise<string[]> {
  const rows: { user_id: string }[] = await scope.table('custom_team_viewers').where('team_id', id).select('user_id');
  return rows.map((v) => v.user_id);
}

/** Distinct people in a custom team: its users plus everyone in its member teams and their sub-teams. */
export async function expandedCount(
  scope: OrgScope,
  userIds: readonly string[],
  teamIds: readonly string[],
): Promise<number> {
  const { rows }: { rows: { n: number }[] } = await scope.db.raw(
    `WITH RECURSIVE sub(id) AS (
       SELECT id FROM teams WHERE org_id = ? AND id = ANY(?::uuid[])
       UNION SELECT t.id FROM teams t JOIN sub ON t.parent_id = sub.id WHERE t.org_id = ?
     )
     SELECT count(*)::int AS n FROM (
       SELECT id FROM users WHERE org_id = ? AND team_id IN (SELECT id FROM sub)
       UNION SELECT unnest(?::uuid[])
     ) people`,
    [scope.orgId, pgArrayOf(teamIds), scope.orgId, scope.orgId, pgArrayOf(userIds)],
  );
  return rows[0]!.n;
}

/** A custom team's row; a manager named here is set by hand (custom teams derive none). */
export async function insertCustomTeam(
  scope: OrgScope,
  team: { name: string; managerUserId: string | null },
): Promise<string> {
  const [row]: Pick<TeamRow, 'id'>[] = await scope
    .insert('teams', {
      name: team.name,
      kind: 'custom',
      manager_user_id: team.managerUserId,
      manager_set_by_hand: !!team.managerUserId,
    })
    .returning('id');
  return row!.id;
}

/** Replaces the team's members and viewers with `c`'s. */
export async function replaceComposition(scope: OrgScope, id: string, c: Composition): Promise<void> {
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

/** One member of a custom team, and (for a member team) one person it holds through the team or a sub-team. */
export interface CustomTeamPersonRow {
  custom_id: string;
  name: string;
  member_team_id: string | null;
  member_user_id: string | null;
  /** A person in the member team or below it; null for a user member or an empty team. */
  via_user: string | null;
}

/**
 * The members, and the people their member teams hold, of every custom team that has member teams: what the sync
 * keeps them to (custom teams never change by sync).
 */
export async function customTeamsWithMemberTeams(scope: OrgScope): Promise<CustomTeamPersonRow[]> {
  const org = scope.orgId;
  const { rows }: { rows: CustomTeamPersonRow[] } = await scope.db.raw(
    `WITH RECURSIVE sub(root, id) AS (
       SELECT DISTINCT member_team_id, member_team_id FROM custom_team_members
        WHERE org_id = ? AND member_team_id IS NOT NULL
       UNION SELECT sub.root, t.id FROM teams t JOIN sub ON t.parent_id = sub.id WHERE t.org_id = ?
     )
     SELECT m.team_id AS custom_id, ct.name, m.member_team_id, m.member_user_id, u.id AS via_user
       FROM custom_team_members m
       JOIN teams ct ON ct.id = m.team_id
       LEFT JOIN sub ON sub.root = m.member_team_id
       LEFT JOIN users u ON u.org_id = ? AND u.team_id = sub.id
      WHERE m.org_id = ?
        AND m.team_id IN (SELECT team_id FROM custom_team_members WHERE org_id = ? AND member_team_id IS NOT NULL)`,
    [org, org, org, org, org],
  );
  return rows;
}

/** Makes users members of a custom team (the caller leaves out those who are already). */
export async function addUserMembers(scope: OrgScope, customId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await scope.insert(
    'custom_team_members',
    userIds.map((id) => ({ team_id: customId, member_user_id: id })),
  );
}

/** Removes every member of a custom team, users and teams. */
export async function clearMembers(scope: OrgScope, customId: string): Promise<void> {
  await scope.table('custom_team_members').where('team_id', customId).delete();
}

/**
 * Custom teams past `max` people that hold (as a member team, or a member team above it) any of `teamIds`: the
 * custom teams people moving into those teams can take over the cap.
 */
export async function customTeamsPastCap(
  scope: OrgScope,
  teamIds: readonly string[],
  max: number,
): Promise<{ id: string; name: string; people: number }[]> {
  if (teamIds.length === 0) return [];
  const org = scope.orgId;
  const { rows }: { rows: { id: string; name: string; people: number }[] } = await scope.db.raw(
    `WITH RECURSIVE up(id) AS (
       SELECT id FROM teams WHERE org_id = ? AND id = ANY(?::uuid[])
       UNION SELECT t.parent_id FROM teams t JOIN up ON t.id = up.id WHERE t.org_id = ? AND t.parent_id IS NOT NULL
     ),
     held AS (
       SELECT DISTINCT team_id FROM custom_team_members WHERE org_id = ? AND member_team_id IN (SELECT id FROM up)
     ),
     sub(custom_id, id) AS (
       SELECT team_id, member_team_id FROM custom_team_members
        WHERE org_id = ? AND team_id IN (SELECT team_id FROM held) AND member_team_id IS NOT NULL
       UNION SELECT sub.custom_id, t.id FROM teams t JOIN sub ON t.parent_id = sub.id WHERE t.org_id = ?
     ),
     people AS (
       SELECT sub.custom_id, u.id FROM sub JOIN users u ON u.org_id = ? AND u.team_id = sub.id
       UNION SELECT team_id, member_user_id FROM custom_team_members
        WHERE org_id = ? AND team_id IN (SELECT team_id FROM held) AND member_user_id IS NOT NULL
     )
     SELECT p.custom_id AS id, ct.name, count(*)::int AS people
       FROM people p JOIN teams ct ON ct.id = p.custom_id
      GROUP BY p.custom_id, ct.name
     HAVING count(*) > ?
      ORDER BY ct.name`,
    [org, pgArrayOf(teamIds), org, org, org, org, org, org, max],
  );
  return rows;
}

/** A custom team as the cap sees it: the hierarchy teams its member teams reach, its user members, its people now. */
export interface CustomTeamReach {
  id: string;
  name: string;
  teamIds: ReadonlySet<string>;
  userIds: ReadonlySet<string>;
  people: ReadonlySet<string>;
}

/** The custom teams that hold (as a member team, or a member team above it) any of `teamIds`, each as it reaches. */
export async function customTeamReach(scope: OrgScope, teamIds: readonly string[]): Promise<CustomTeamReach[]> {
  if (teamIds.length === 0) return [];
  const org = scope.orgId;
  const { rows }: { rows: { id: string; name: string; team_ids: string[]; user_ids: string[]; people: string[] }[] } =
    await scope.db.raw(
      `WITH RECURSIVE up(id) AS (
         SELECT id FROM teams WHERE org_id = ? AND id = ANY(?::uuid[])
         UNION SELECT t.parent_id FROM teams t JOIN up ON t.id = up.id WHERE t.org_id = ? AND t.parent_id IS NOT NULL
       ),
       held AS (
         SELECT DISTINCT team_id FROM custom_team_members WHERE org_id = ? AND member_team_id IN (SELECT id FROM up)
       ),
       sub(custom_id, id) AS (
         SELECT team_id, member_team_id FROM custom_team_members
          WHERE org_id = ? AND team_id IN (SELECT team_id FROM held) AND member_team_id IS NOT NULL
         UNION SELECT sub.custom_id, t.id FROM teams t JOIN sub ON t.parent_id = sub.id WHERE t.org_id = ?
       )
       SELECT ct.id, ct.name,
              ARRAY(SELECT sub.id::text FROM sub WHERE sub.custom_id = ct.id) AS team_ids,
              ARRAY(SELECT m.member_user_id::text FROM custom_team_members m
                     WHERE m.org_id = ? AND m.team_id = ct.id AND m.member_user_id IS NOT NULL) AS user_ids,
              ARRAY(SELECT u.id::text FROM users u
                     WHERE u.org_id = ? AND u.team_id IN (SELECT sub.id FROM sub WHERE sub.custom_id = ct.id)) AS people
         FROM teams ct
        WHERE ct.org_id = ? AND ct.id IN (SELECT team_id FROM held)
        ORDER BY ct.name`,
      [org, pgArrayOf(teamIds), org, org, org, org, org, org, org],
    );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    teamIds: new Set(r.team_ids),
    userIds: new Set(r.user_ids),
    people: new Set([...r.people, ...r.user_ids]),
  }));
}
