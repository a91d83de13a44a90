import { randomUUID } from 'node:crypto';
import { topological, type DesiredTeam, type HierarchySource } from './projection.js';

/** A hierarchy team as the planner sees it; `key` is its role (or manager) id, null for a team never Salesforce's. */
export interface ExistingTeam {
  id: string;
  name: string;
  parentId: string | null;
  key: string | null;
}

export interface TeamIndex {
  topTeamId: string;
  /** Team id for a key; the top-level team for null or an unknown key. */
  idOf(key: string | null): string;
}

export interface TeamPlan extends TeamIndex {
  source: HierarchySource;
  /** In creation order (parents first); the ids are chosen now, so users can be planned into new teams. */
  creates: { id: string; key: string; name: string; parentId: string }[];
  renames: { id: string; from: string; to: string }[];
  moves: { id: string; name: string; fromParentId: string | null; toParentId: string }[];
  /**
   * Obsolete teams: members not placed by their own Salesforce record wait in `membersTo`; once every user is placed,
   * the old id points to the team that took most of its people (settleRedirects), `alternatives` being the others
   * it could mean.
   */
  deletes: { id: string; name: string; membersTo: string; alternatives: string[] }[];
}

export interface TeamCounts {
  teamsCreated: number;
  teamsRenamed: number;
  teamsMoved: number;
  teamsDeleted: number;
}

export const teamCounts = (plan: TeamPlan): TeamCounts => ({
  teamsCreated: plan.creates.length,
  teamsRenamed: plan.renames.length,
  teamsMoved: plan.moves.length,
  teamsDeleted: plan.deletes.length,
});

/**
 * What makes the hierarchy teams equal the desired ones, in place (pure): a team keyed on a role (or manager) keeps its
 * id when renamed or moved. A hierarchy team with no desired key is deleted: its sub-teams go under the top-level
 * team until placed, its users wait in the nearest surviving ancestor's team (for a manual team the top-level team)
 * unless their own Salesforce record places them.
 */
export function planTeams(
  source: HierarchySource,
  topTeamId: string,
  existing: readonly ExistingTeam[],
  desired: readonly DesiredTeam[],
  newId: () => string = randomUUID,
): TeamPlan {
  const byKey = new Map<string, ExistingTeam>();
  for (const t of existing) if (t.key) byKey.set(t.key, t);
  const ids = new Map<string, string>();
  const idOf = (key: string | null) => (key ? (ids.get(key) ?? topTeamId) : topTeamId);
  const plan: TeamPlan = { source, topTeamId, idOf, creates: [], renames: [], moves: [], deletes: [] };

  for (const d of topological([...desired])) {
    const parentId = idOf(d.parentKey);
    const cur = byKey.get(d.key);
    if (!cur) {
      const id = newId();
      ids.set(d.key, id);
      plan.creates.push({ id, key: d.key, name: d.name, parentId });
      continue;
    }
    ids.set(d.key, cur.id);
    if (cur.name !== d.name) plan.renames.push({ id: cur.id, from: cur.name, to: d.name });
    if (cur.parentId !== parentId)
      plan.moves.push({ id: cur.id, name: d.name, fromParentId: cur.parentId, toParentId: parentId });
  }

  const obsolete = obsoleteTeams(existing, desired);
  const obsoleteIds = new Set(obsolete.map((t) => t.id));
  const byId = new Map(existing.map((t) => [t.id, t]));
  const desiredByName = new Map<string, string>();
  for (const d of desired)
    if (!desiredByName.has(d.name.toLowerCase())) desiredByName.set(d.name.toLowerCase(), ids.get(d.key)!);
  // Keyed team whose role went away: its nearest ancestor that survives.
  const survivingAncestor = (t: ExistingTeam): string => {
    let cur = t.parentId;
    const seen = new Set<string>();
    while (cur && obsoleteIds.has(cur) && !seen.has(cur)) {
      seen.add(cur);
      cur = byId.get(cur)?.parentId ?? null;
    }
    return cur ?? topTeamId;
  };
  // A team that was never Salesforce's (a manual team replaced on enabling): its users are not in the Salesforce
  // hierarchy, so the top-level team holds them until their own Salesforce record (if any) places them.
  for (const t of obsolete) {
    const named = desiredByName.get(t.name.toLowerCase());
    plan.deletes.push({
      id: t.id,
      name: t.name,
      membersTo: t.key ? survivingAncestor(t) : topTeamId,
      alternatives: [...new Set([...(named ? [named] : []), survivingAncestor(t)])],
    });
  }
  return plan;
}

/** Hierarchy teams no desired team keeps: a manual team, or one whose role (or manager) went away. */
export function obsoleteTeams(existing: readonly ExistingTeam[], desired: readonly DesiredTeam[]): ExistingTeam[] {
  const keys = new Set(desired.map((d) => d.key));
  return existing.filter((t) => !t.key || !keys.has(t.key));
}

/** Every team's name once the plan is applied, and the deleted ones' last names (for previews). */
export function teamNamesAfter(plan: TeamPlan, names: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map(names);
  for (const c of plan.creates) out.set(c.id, c.name);
  for (const r of plan.renames) out.set(r.id, r.to);
  return out;
}
