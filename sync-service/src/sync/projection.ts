import type { SfUser } from './fetch.js';
import type { RoleMirror } from './mirror-changes.js';

/**
 * What Roster's hierarchy should be, computed from the mirror alone (pure): the tests' "projection of the org".
 * A team is keyed on its Salesforce role (or manager); `parentKey` null means under the top-level team.
 */
export interface DesiredTeam {
  key: string;
  name: string;
  parentKey: string | null;
}

export type HierarchySource = 'role' | 'manager';

/** Why a Salesforce user is not (or no longer) an active Roster user; null when they should be active. */
export type Ineligibility = 'inactive' | 'frozen' | 'not_standard';

/**
 * A missing license is never a reason: every real user has a profile and every profile a license, so a license
 * Salesforce does not return (a profile the integration user cannot see) is unknown, not revoked. A revoked license
 * shows as a profile change to another license: the license-change rule in plan-users.ts.
 */
export function ineligibility(u: SfUser): Ineligibility | null {
  if (!u.isActive) return 'inactive';
  if (u.frozen) return 'frozen';
  if (u.userType !== 'Standard') return 'not_standard';
  return null;
}

export interface Hierarchy {
  teams: DesiredTeam[];
  /** The team key a Salesforce user belongs in; null = the top-level team. */
  teamKeyOf(u: SfUser): string | null;
}

/** The nearest live role at or above `id` (through deleted roles' last known parents), cycle-safe. */
function liveRole(roles: Map<string, RoleMirror>, id: string | null): string | null {
  const seen = new Set<string>();
  let cur = id;
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    const r = roles.get(cur);
    if (!r) return null;
    if (!r.deleted) return cur;
    cur = r.parentId;
  }
  return null;
}

export function roleHierarchy(roles: Map<string, RoleMirror>): Hierarchy {
  const teams: DesiredTeam[] = [];
  for (const r of roles.values()) {
    if (r.deleted) continue;
    const parent = liveRole(roles, r.parentId);
    teams.push({ key: r.id, name: r.name, parentKey: parent === r.id ? null : parent });
  }
  return { teams: breakCycles(teams), teamKeyOf: (u) => liveRole(roles, u.roleId) };
}

export const managerTeamName = (m: SfUser) => `${[m.firstName, m.lastName].filter(Boolean).join(' ')}'s team`;

/**
 * A team per manager (an active user someone active reports to), nested by the managers' own managers. The
 * manager leads the team (refreshDerivedManagers) and is a member of the team above it.
 */
export function managerHierarchy(users: Map<string, SfUser>): Hierarchy {
  const managers = new Set<string>();
  for (const u of users.values()) {
    if (ineligibility(u) === null && u.managerId && u.managerId !== u.id && users.has(u.managerId))
      managers.add(u.managerId);
  }
  const teams: DesiredTeam[] = [...managers].map((id) => {
    const m = users.get(id)!;
    return {
      key: id,
      name: managerTeamName(m),
      parentKey: m.managerId && managers.has(m.managerId) && m.managerId !== id ? m.managerId : null,
    };
  });
  return {
    teams: breakCycles(teams),
    // Everyone sits in their manager's team, managers included: a manager leads their own team from its parent.
    teamKeyOf: (u) => (u.managerId && u.managerId !== u.id && managers.has(u.managerId) ? u.managerId : null),
  };
}

/** A cycle in Salesforce data (possible for managers) would make an unreachable subtree: hang it under the top. */
function breakCycles(teams: DesiredTeam[]): DesiredTeam[] {
  const byKey = new Map(teams.map((t) => [t.key, t]));
  const ok = new Set<string>();
  for (const t of teams) {
    const path: DesiredTeam[] = [];
    const onPath = new Set<string>();
    let cur: DesiredTeam | undefined = t;
    while (cur && !ok.has(cur.key)) {
      if (onPath.has(cur.key)) {
        cur.parentKey = null;
        break;
      }
      onPath.add(cur.key);
      path.push(cur);
      cur = cur.parentKey ? byKey.get(cur.parentKey) : undefined;
      if (!cur && path.length && path[path.length - 1]!.parentKey) path[path.length - 1]!.parentKey = null;
    }
    for (const p of path) ok.add(p.key);
  }
  return teams;
}

/** Parents before children, so teams can be created in one pass. */
export function topological(teams: DesiredTeam[]): DesiredTeam[] {
  const children = new Map<string | null, DesiredTeam[]>();
  for (const t of teams) {
    const list = children.get(t.parentKey);
    if (list) list.push(t);
    else children.set(t.parentKey, [t]);
  }
  const out: DesiredTeam[] = [];
  const queue = [...(children.get(null) ?? [])];
  for (let i = 0; i < queue.length; i += 1) {
    const t = queue[i]!;
    out.push(t);
    for (const c of children.get(t.key) ?? []) queue.push(c);
  }
  return out;
}
