import type { OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { refreshDerivedManagers } from '../teams/managers.js';
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

const keyColumn = (source: HierarchySource) => (source === 'role' ? 'sf_role_id' : 'sf_manager_id');

/**
 * Makes the hierarchy teams equal the desired ones, in place: a team keyed on a role (or manager) keeps its id
 * when renamed or moved. A hierarchy team with no desired key is deleted: its users and sub-teams go to its
 * replacement (the nearest surviving ancestor's team; for a manual team the top-level team, its id redirecting to a
 * desired team of the same name when there is one),
 * and a redirect keeps the old id resolvable.
 */
export async function reconcileTeams(
  scope: OrgScope,
  actor: Actor,
  source: HierarchySource,
  desired: DesiredTeam[],
): Promise<{ index: TeamIndex; counts: TeamCounts; membersMoved: number }> {
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
  if (obsolete.length) {
    const obsoleteIds = new Set(obsolete.map((t) => t.id));
    const byId = new Map(existing.map((t) => [t.id, t]));
    const desiredByName = new Map<string, string>();
    for (const d of desired)
      if (!desiredByName.has(d.name.toLowerCase())) desiredByName.set(d.name.toLowerCase(), ids.get(d.key)!);
    const replacement = (t: (typeof existing)[number]): string => {
      const named = desiredByName.get(t.name.toLowerCase());
      if (!t.key && named) return named;
      // Keyed team whose role went away: its nearest ancestor that survives.
      let cur = t.parent_id;
      const seen = new Set<string>();
      while (cur && obsoleteIds.has(cur) && !seen.has(cur)) {
        seen.add(cur);
        cur = byId.get(cur)?.parent_id ?? null;
      }
      return cur ?? top.id;
    };
    // A team that was never Salesforce's (a manual team replaced on enabling): its users are not in the Salesforce
    // hierarchy, so they go to the top-level team; its id redirects to the same-named new team when there is one.
    const plan = obsolete.map((t) => ({ team: t, to: replacement(t), membersTo: t.key ? replacement(t) : top.id }));
    // Detach first: obsolete teams may be each other's parents (FK RESTRICT).
    await scope
      .table('teams')
      .whereIn('id', [...obsoleteIds])
      .update({ parent_id: top.id });
    for (const { team, to, membersTo } of plan) {
      const members = await scope.table('users').where('team_id', team.id).pluck('id');
      if (members.length) membersMoved += (await moveUsersToTeam(scope, actor, members, membersTo)).length;
      await scope.table('custom_team_members').where('member_team_id', team.id).update({ member_team_id: to });
      await scope.table('team_redirects').where('new_team_id', team.id).update({ new_team_id: to });
      await scope
        .db('team_redirects')
        .insert({ org_id: scope.orgId, old_team_id: team.id, new_team_id: to })
        .onConflict(['org_id', 'old_team_id'])
        .merge();
      await scope.table('teams').where('id', team.id).delete();
      counts.teamsDeleted += 1;
      audits.push({
        action: 'team.delete',
        targetType: 'team',
        targetId: team.id,
        before: { name: team.name },
        after: { redirectTo: to },
      });
    }
  }
  if (audits.length) await recordAudit(scope, actor, audits);
  if (counts.teamsCreated + counts.teamsDeleted > 0) await refreshDerivedManagers(scope, null, actor);
  return { index: { topTeamId: top.id, idOf }, counts, membersMoved };
}
