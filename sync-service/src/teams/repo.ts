import type { OrgScope } from '../db/scoped.js';
import type { HierarchyTeamRow, TeamRow } from './rows.js';

// The hierarchy's reads: its teams (the top-level team, the teams below it, Unassigned) by id, name and kind, and
// the tree's shape (a team's children, its subtree). Writes are write-repo.ts; stays in a team, history-repo.ts;
// custom teams, custom-repo.ts.

/** The teams an admin edits by hand: the top-level team, the hierarchy below it and the Unassigned group. */
export const HIERARCHY_KINDS: readonly TeamRow['kind'][] = ['top', 'hierarchy', 'unassigned'];

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

/** The id of the org's top-level team or of Unassigned. */
export async function builtinTeamId(scope: OrgScope, kind: 'top' | 'unassigned'): Promise<string> {
  const row: Pick<TeamRow, 'id'> = await scope.table('teams').where('kind', kind).first('id');
  return row.id;
}

/** Whether the id is a team now (not only one that was replaced). */
export async function teamExists(scope: OrgScope, id: string): Promise<boolean> {
  return !!(await scope.table('teams').where('id', id).first('id'));
}
