import type { OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { refreshDerivedManagers } from '../teams/managers.js';
import type { ReplacedTeamInfo } from '../teams/redirects.js';
import { moveUsersToTeam } from '../users/repo.js';
import { topological, type DesiredTeam, type HierarchySource } from './projection.js';

export interface TeamCounts {
  teamsCreated: number;
  teamsRenamed: number;
  teamsMoved: number;
  teamsDeleted: number;
}

export interface TeamIndex {
  topTeamId: string;
  /** Team id for a key; the top-level team for null or an unknown key. */
  idOf(key: string | null): string;
}

/** A hierarchy team the run deleted: who was in it, and the teams an old id could sensibly mean instead. */
export type ReplacedTeam = ReplacedTeamInfo;

const keyColumn = (source: HierarchySource) => (source === 'role' ? 'sf_role_id' : 'sf_manager_id');

/**
 * Makes the hierarchy teams equal the desired ones, in place: a team keyed on a role (or manager) keeps its id
 * when renamed or moved. A hierarchy team with no desired key is deleted: its users wait in the nearest surviving
 * ancestor's team (for a manual team the top-level team) until the user plan places them; settleRedirects then
 * says where the old id went.
 */
export async function reconcileTeams(
  scope: OrgScope,
  actor: Actor,
  source: HierarchySource,
  desired: DesiredTeam[],
): Promise<{ index: TeamIndex; counts: TeamCounts; membersMoved: number; replaced: ReplacedTeam[] }> {
  let membersMoved = 0;
  const col = keyColumn(source);
  const counts: TeamCounts = { teamsCreated: 0, teamsRenamed: 0, teamsMoved: 0, teamsDeleted: 0 };
  const top = await scope.table('teams').where('kind', 'top').first('id');
  const existing: {
    id: string;
    name: string;
    parent_id: string | null;
    key: string | null;
    sf_role_id: string | null;
  }[] = await scope
    .table('teams')
    .where('kind', 'hierarchy')
    .select('id', 'name', 'parent_id', `${col} as key`, 'sf_role_id');
  const byKey = new Map<string, (typeof existing)[number]>();
  for (const t of existing) if (t.key) byKey.set(t.key, t);
  const ids = new Map<string, string>();
  const idOf = (key: string | null) => (key ? (ids.get(key) ?? top.id) : top.id);

  const audits: Parameters<typeof recordAudit>[2] = [];
  for (const d of topological(desired)) {
    const parentId = idOf(d.parentKey);
    const cur = byKey.get(d.key);
    if (!cur) {
      const [row] = await scope
        .insert('teams', { name: d.name, kind: 'hierarchy', parent_id: parentId, [col]: d.key })
        .returning('id');
      ids.set(d.key, row.id);
      counts.teamsCreated += 1;
      audits.push({
        action: 'team.create',
        targetType: 'team',
        targetId: row.id,
        after: { name: d.name, parentId, [col]: d.key },
      });
      continue;
    }
    ids.set(d.key, cur.id);
    if (cur.name !== d.name || cur.parent_id !== parentId) {
      await scope
        .table('teams')
        .where('id', cur.id)
        .update({ name: d.name, parent_id: parentId, updated_at: scope.db.fn.now() });
      if (cur.name !== d.name) {
        counts.teamsRenamed += 1;
        audits.push({
          action: 'team.rename',
          targetType: 'team',
          targetId: cur.id,
          before: { name: cur.name },
          after: { name: d.name },
        });
      }
      if (cur.parent_id !== parentId) {
        counts.teamsMoved += 1;
        audits.push({
          action: 'team.move',
          targetType: 'team',
          targetId: cur.id,
          before: { parentId: cur.parent_id },
          after: { parentId },
        });
      }
    }
  }

  const desiredKeys = new Set(desired.map((d) => d.key));
  const obsolete = existing.filter((t) => !t.key || !desiredKeys.has(t.key));
  const replaced: ReplacedTeam[] = [];
  if (obsolete.length) {
    const obsoleteIds = new Set(obsolete.map((t) => t.id));
    const byId = new Map(existing.map((t) => [t.id, t]));
    const desiredByName = new Map<string, string>();
    for (const d of desired)
      if (!desiredByName.has(d.name.toLowerCase())) desiredByName.set(d.name.toLowerCase(), ids.get(d.key)!);
    // Keyed team whose role went away: its nearest ancestor that survives.
    const survivingAncestor = (t: (typeof existing)[number]): string => {
      let cur = t.parent_id;
      const seen = new Set<string>();
      while (cur && obsoleteIds.has(cur) && !seen.has(cur)) {
        seen.add(cur);
        cur = byId.get(cur)?.parent_id ?? null;
      }
      return cur ?? top.id;
    };
    // Detach first: obsolete teams may be each other's parents (FK RESTRICT).
    await scope
      .table('teams')
      .whereIn('id', [...obsoleteIds])
      .update({ parent_id: top.id });
    for (const team of obsolete) {
      const members: string[] = await scope.table('users').where('team_id', team.id).pluck('id');
      // A manual team's users are not in the Salesforce hierarchy: the top-level team holds them until their own
      // Salesforce record (if any) places them; where they land decides where the old id points (settleRedirects).
      const holding = team.key ? survivingAncestor(team) : top.id;
      if (members.length) membersMoved += (await moveUsersToTeam(scope, actor, members, holding)).length;
      const named = desiredByName.get(team.name.toLowerCase());
      replaced.push({
        id: team.id,
        name: team.name,
        members,
        alternatives: [...new Set([...(named ? [named] : []), survivingAncestor(team)])],
      });
      // Its custom-team memberships go with it (ON DELETE CASCADE); keepCustomTeamPeople keeps their people.
      await scope.table('teams').where('id', team.id).delete();
      counts.teamsDeleted += 1;
    }
  }
  if (audits.length) await recordAudit(scope, actor, audits);
  if (counts.teamsCreated + counts.teamsDeleted > 0) await refreshDerivedManagers(scope, null, actor);
  return { index: { topTeamId: top.id, idOf }, counts, membersMoved, replaced };
}
