import type { OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { chunks } from '../shared/chunks.js';
import type { HierarchyTeamRow, TeamRow } from './rows.js';

// Writes of the teams table: the sync's set-based creates, renames and moves of hierarchy teams (audited here), an
// admin's one-team edits, the teams every org starts with, and deletions (custom.ts renames and deletes custom teams
// through updateTeam and deleteTeam too).

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

/** Inserts one hand-made hierarchy team (the caller audits it). */
export async function insertTeam(scope: OrgScope, team: { name: string; parentId: string }): Promise<HierarchyTeamRow> {
  const [row] = await scope
    .insert('teams', { name: team.name, kind: 'hierarchy', parent_id: team.parentId })
    .returning('*');
  return row;
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
