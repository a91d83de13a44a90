import type { OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { chunks } from '../shared/chunks.js';
import type { HierarchyTeamRow, MembershipRow, TeamRow } from './rows.js';

/** A hierarchy team to create: its id is chosen by the plan, so users can be planned into it. */
export interface NewHierarchyTeam {
  id: string;
  name: string;
  parentId: string;
  /** The Salesforce record it mirrors: a role, or a manager (manager hierarchy). */
  sfRoleId?: string | null;
  sfManagerId?: string | null;
  /** What the audit's `team.create` entry records as created. */
  audited: Record<string, unknown>;
}

/**
 * Creates hierarchy teams, one statement per 5,000 (PostgreSQL checks the parent references at each statement's end,
 * so a new team may sit under another new one in the same chunk: pass them parents first), audited each.
 */
export async function createHierarchyTeams(
  scope: OrgScope,
  actor: Actor,
  teams: readonly NewHierarchyTeam[],
): Promise<void> {
  if (teams.length === 0) return;
  // The rows travel as one JSON parameter per chunk, not six bindings each.
  for (const part of chunks(teams))
    await scope.db.raw(
      `INSERT INTO teams (id, org_id, name, kind, parent_id, sf_role_id, sf_manager_id)
       SELECT id, ?, name, 'hierarchy', parent_id, sf_role_id, sf_manager_id
         FROM jsonb_to_recordset(?::jsonb) AS v(id uuid, name text, parent_id uuid, sf_role_id text, sf_manager_id text)`,
      [
        scope.orgId,
        JSON.stringify(
          part.map((t) => ({
            id: t.id,
            name: t.name,
            parent_id: t.parentId,
            sf_role_id: t.sfRoleId ?? null,
            sf_manager_id: t.sfManagerId ?? null,
          })),
        ),
      ],
    );
  await recordAudit(
    scope,
    actor,
    teams.map((t) => ({ action: 'team.create', targetType: 'team', targetId: t.id, after: t.audited })),
  );
}

/**
 * Renames and moves hierarchy teams in one statement (a team may be both), audited as `team.rename` and `team.move`.
 */
export async function renameAndMoveTeams(
  scope: OrgScope,
  actor: Actor,
  renames: readonly { id: string; from: string; to: string }[],
  moves: readonly { id: string; fromParentId: string | null; toParentId: string }[],
): Promise<void> {
  const changed = new Map<string, { name?: string; parent_id?: string }>();
  for (const r of renames) changed.set(r.id, { ...changed.get(r.id), name: r.to });
  for (const m of moves) changed.set(m.id, { ...changed.get(m.id), parent_id: m.toParentId });
  if (changed.size === 0) return;
  await scope.db.raw(
    `UPDATE teams t SET name = coalesce(v.name, t.name), parent_id = coalesce(v.parent_id, t.parent_id), updated_at = now()
       FROM jsonb_to_recordset(?::jsonb) AS v(id uuid, name text, parent_id uuid)
      WHERE t.org_id = ? AND t.id = v.id`,
    [JSON.stringify([...changed].map(([id, c]) => ({ id, ...c }))), scope.orgId],
  );
  await recordAudit(scope, actor, [
    ...renames.map((r) => ({
      action: 'team.rename',
      targetType: 'team',
      targetId: r.id,
      before: { name: r.from },
      after: { name: r.to },
    })),
    ...moves.map((m) => ({
      action: 'team.move',
      targetType: 'team',
      targetId: m.id,
      before: { parentId: m.fromParentId },
      after: { parentId: m.toParentId },
    })),
  ]);
}

/** The teams an admin edits by hand: the top-level team, the hierarchy below it and the Unassigned group. */
export const HIERARCHY_KINDS: readonly TeamRow['kind'][] = ['top', 'hierarchy', 'unassigned'];

/** A team's history entry: the stay plus who it was. */
export type HistoryRow = MembershipRow & { email: string; first_name: string; last_name: string; started_key: string };

export async function hierarchyTeams(scope: OrgScope): Promise<HierarchyTeamRow[]> {
  return scope.table('teams').whereIn('kind', HIERARCHY_KINDS).orderBy('name');
}

/** A hierarchy team by id (`lock`: for update), or undefined. */
export async function findHierarchyTeam(
  scope: OrgScope,
  id: string,
  lock = false,
): Promise<HierarchyTeamRow | undefined> {
  return scope
    .table('teams')
    .where('id', id)
    .whereIn('kind', HIERARCHY_KINDS)
    .modify((q) => (lock ? q.forUpdate() : q))
    .first();
}

export async function teamKind(scope: OrgScope, id: string): Promise<TeamRow['kind'] | undefined> {
  const row: Pick<TeamRow, 'kind'> | undefined = await scope.table('teams').where('id', id).first('kind');
  return row?.kind;
}

/** The warning the team's manager derivation left (several Manager-role members, say), or null. */
export async function managerWarning(scope: OrgScope, id: string): Promise<string | null> {
  const row: Pick<TeamRow, 'manager_warning'> | undefined = await scope
    .table('teams')
    .where('id', id)
    .first('manager_warning');
  return row?.manager_warning ?? null;
}

/** Which of these ids are teams of the top-level team's hierarchy (or Unassigned). */
export async function existingHierarchyTeamIds(scope: OrgScope, ids: readonly string[]): Promise<Set<string>> {
  const rows: Pick<TeamRow, 'id'>[] = await scope
    .table('teams')
    .whereIn('id', ids)
    .whereIn('kind', HIERARCHY_KINDS)
    .select('id');
  return new Set(rows.map((t) => t.id));
}

/** Every team's name and kind, by id. */
export async function teamNamesAndKinds(scope: OrgScope): Promise<Map<string, Pick<TeamRow, 'name' | 'kind'>>> {
  const rows: Pick<TeamRow, 'id' | 'name' | 'kind'>[] = await scope.table('teams').select('id', 'name', 'kind');
  return new Map(rows.map((t) => [t.id, t]));
}

/** Whether a hierarchy team other than `exceptId` has this name, whatever its case. */
export async function hierarchyNameTaken(scope: OrgScope, name: string, exceptId?: string): Promise<boolean> {
  const taken = await scope
    .table('teams')
    .whereIn('kind', HIERARCHY_KINDS)
    .whereRaw('lower(name) = lower(?)', [name])
    .modify((q) => (exceptId ? q.whereNot('id', exceptId) : q))
    .first('id');
  return !!taken;
}

/** SQL (with its bindings) for the ids of a team and every team beneath it; UNION keeps it safe from cycles. */
export function subtreeSql(scope: OrgScope, teamId: string): { sql: string; bindings: string[] } {
  return {
    sql: `WITH RECURSIVE sub(id) AS (
            SELECT id FROM teams WHERE org_id = ? AND id = ?
            UNION SELECT t.id FROM teams t JOIN sub ON t.parent_id = sub.id WHERE t.org_id = ?
          ) SELECT id FROM sub`,
    bindings: [scope.orgId, teamId, scope.orgId],
  };
}

export async function subtreeIds(scope: OrgScope, teamId: string): Promise<string[]> {
  const { sql, bindings } = subtreeSql(scope, teamId);
  const { rows }: { rows: Pick<TeamRow, 'id'>[] } = await scope.db.raw(sql, bindings);
  return rows.map((r) => r.id);
}

export async function childTeamIds(scope: OrgScope, teamId: string): Promise<string[]> {
  const rows: { id: string }[] = await scope.table('teams').where('parent_id', teamId).select('id');
  return rows.map((t) => t.id);
}

/** Inserts one hand-made hierarchy team (the caller audits it). */
export async function insertTeam(scope: OrgScope, team: { name: string; parentId: string }): Promise<HierarchyTeamRow> {
  const [row] = await scope
    .insert('teams', { name: team.name, kind: 'hierarchy', parent_id: team.parentId })
    .returning('*');
  return row;
}

/** The id of the org's top-level team or of Unassigned. */
export async function builtinTeamId(scope: OrgScope, kind: 'top' | 'unassigned'): Promise<string> {
  const row: Pick<TeamRow, 'id'> = await scope.table('teams').where('kind', kind).first('id');
  return row.id;
}

/** Inserts one of the teams every org starts with (the top-level team, Unassigned), with the org; returns its id. */
export async function insertBuiltinTeam(scope: OrgScope, kind: 'top' | 'unassigned', name: string): Promise<string> {
  const [row]: Pick<TeamRow, 'id'>[] = await scope.insert('teams', { name, kind }).returning('id');
  return row!.id;
}

export type TeamChanges = Partial<
  Pick<TeamRow, 'name' | 'parent_id' | 'manager_user_id' | 'manager_set_by_hand' | 'manager_warning'>
>;

export async function updateTeam(scope: OrgScope, id: string, changes: TeamChanges): Promise<void> {
  await scope
    .table('teams')
    .where('id', id)
    .update({ ...changes, updated_at: scope.db.fn.now() });
}

export async function reparentTeams(scope: OrgScope, ids: readonly string[], parentId: string): Promise<void> {
  if (ids.length === 0) return;
  await scope.table('teams').whereIn('id', ids).update({ parent_id: parentId, updated_at: scope.db.fn.now() });
}

export async function deleteTeam(scope: OrgScope, id: string): Promise<void> {
  await scope.table('teams').where('id', id).delete();
}

/** Deletes teams (their custom-team memberships go with them: ON DELETE CASCADE). */
export async function deleteTeams(scope: OrgScope, ids: readonly string[]): Promise<void> {
  for (const part of chunks(ids)) await scope.table('teams').whereIn('id', part).delete();
}

/** Whether the id is a team now (not only one that was replaced). */
export async function teamExists(scope: OrgScope, id: string): Promise<boolean> {
  return !!(await scope.table('teams').where('id', id).first('id'));
}

/** Up to `limit` stays in the team (and the teams it replaced), newest first, from before `after` if given. */
export async function membershipHistory(
  scope: OrgScope,
  id: string,
  limit: number,
  after?: { startedAt: string; rowId: string },
): Promise<HistoryRow[]> {
  const q = scope
    .table('team_memberships')
    .join('users', 'users.id', 'team_memberships.user_id')
    .where((w) =>
      w
        .where('team_memberships.team_id', id)
        .orWhereIn(
          'team_memberships.team_id',
          scope.table('team_redirects').where('new_team_id', id).select('old_team_id'),
        ),
    )
    .select(
      'team_memberships.*',
      'users.email',
      'users.first_name',
      'users.last_name',
      scope.db.raw('team_memberships.started_at::text AS started_key'),
    )
    .orderBy([
      { column: 'team_memberships.started_at', order: 'desc' },
      { column: 'team_memberships.id', order: 'desc' },
    ])
    .limit(limit);
  if (after)
    q.whereRaw('(team_memberships.started_at, team_memberships.id) < (?::timestamptz, ?::uuid)', [
      after.startedAt,
      after.rowId,
    ]);
  return q;
}
