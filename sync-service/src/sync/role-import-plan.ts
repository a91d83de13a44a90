import { randomUUID } from 'node:crypto';
import { previewTokenOf, type PlanCategory } from '../shared/preview-token.js';
import type { NewUserFields } from '../users/repo.js';
import type { SfUser } from './fetch.js';
import type { RoleMirror } from './mirror-changes.js';
import type { ImportPreview } from './schemas.js';

/** Depth-first, parents before children, siblings by name: the order the role tree is shown in. */
export function treeOrder(roles: RoleMirror[]): { role: RoleMirror; depth: number }[] {
  const ids = new Set(roles.map((r) => r.id));
  const children = new Map<string | null, RoleMirror[]>();
  for (const r of roles) {
    const p = r.parentId && ids.has(r.parentId) ? r.parentId : null;
    const list = children.get(p);
    if (list) list.push(r);
    else children.set(p, [r]);
  }
  const out: { role: RoleMirror; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const r of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push({ role: r, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Everything a role import is planned from: the mirror, and the Roster teams and users it must not duplicate. */
export interface RoleImportState {
  roles: Map<string, RoleMirror>;
  mirrorUsers: SfUser[];
  /** Teams that already stand for a role, by its id. */
  roleTeams: Map<string, { id: string; name: string }>;
  /** Salesforce user ids already linked to a Roster user. */
  linked: Set<string>;
  /** Lower-cased emails of every Roster user. */
  emails: Set<string>;
  topTeamId: string;
  defaultProfileId: string;
}

/** Why a Salesforce user is left out, in the order checked: the first that applies. */
export type RoleImportSkip = ImportPreview['skipped'][number]['reason'];

/** One import: teams in tree order (parents first), users to create in them, and who is left out and why. */
export interface RoleImportPlan {
  teams: {
    sfRoleId: string;
    name: string;
    /** The nearest enabled ancestor role, whose team this one sits under (none: the top-level team). */
    parentSfRoleId: string | null;
    /** The team's id: the existing team's, or the one the import gives it. */
    id: string;
    exists: boolean;
    parentId: string;
  }[];
  users: (NewUserFields & { sfUserId: string; name: string })[];
  skipped: ImportPreview['skipped'];
}

/**
 * Teams under the nearest enabled ancestor (else the top-level team), users of enabled roles, skips with reasons
 * (pure). New teams get their ids here, so the apply writes them in one statement.
 */
export function planRoleImport(state: RoleImportState, newId: () => string = randomUUID): RoleImportPlan {
  const { roles, roleTeams } = state;
  const enabled = new Set([...roles.values()].filter((r) => r.importEnabled && !r.deleted).map((r) => r.id));
  const nearestEnabled = (id: string | null) => {
    const seen = new Set<string>();
    let cur = id;
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      if (enabled.has(cur)) return cur;
      cur = roles.get(cur)?.parentId ?? null;
    }
    return null;
  };
  const teamIds = new Map([...roleTeams].map(([sfRoleId, t]) => [sfRoleId, t.id]));
  const teams: RoleImportPlan['teams'] = [];
  for (const { role } of treeOrder([...roles.values()].filter((r) => !r.deleted))) {
    if (!enabled.has(role.id)) continue;
    const parentSfRoleId = nearestEnabled(role.parentId);
    const exists = roleTeams.has(role.id);
    const id = roleTeams.get(role.id)?.id ?? newId();
    teamIds.set(role.id, id);
    const parentId = (parentSfRoleId && teamIds.get(parentSfRoleId)) || state.topTeamId;
    teams.push({ sfRoleId: role.id, name: role.name, parentSfRoleId, id, exists, parentId });
  }

  const emails = new Set(state.emails);
  const users: RoleImportPlan['users'] = [];
  const skipped: RoleImportPlan['skipped'] = [];
  for (const u of state.mirrorUsers) {
    const name = `${u.firstName} ${u.lastName}`.trim();
    const why: RoleImportSkip | null = !u.isActive
      ? 'inactive'
      : u.userType !== 'Standard'
        ? 'not_standard'
        : !u.roleId || !roles.has(u.roleId)
          ? 'no_role'
          : !enabled.has(u.roleId)
            ? 'role_toggled_off'
            : state.linked.has(u.id) || emails.has(u.email.toLowerCase())
              ? 'already_in_roster'
              : null;
    if (why) {
      skipped.push({ sfUserId: u.id, name, email: u.email, reason: why });
      continue;
    }
    emails.add(u.email.toLowerCase());
    users.push({
      sfUserId: u.id,
      name,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      jobTitle: u.title,
      teamId: teamIds.get(u.roleId!) ?? state.topTeamId,
      role: 'member',
      objectVisibility: 'full',
      licenses: ['foundation'],
      profileId: state.defaultProfileId,
    });
  }
  return { teams, users, skipped };
}

export const ROLE_IMPORT = 'roles1';
type Described = Omit<ImportPreview, 'previewToken' | 'summary'>;

/** The plan by category, in the admin's words: teams the import creates (not those kept), users, skips. */
export function roleImportCategories(d: Described): PlanCategory[] {
  return [
    { key: 'teamsCreate', label: 'teams to create', items: d.teams.filter((t) => !t.exists) },
    { key: 'usersCreate', label: 'users to create', items: d.users },
    { key: 'skipped', label: 'Salesforce users skipped', items: d.skipped },
  ];
}

/** The plan in the admin's words (team names instead of ids), with its token and summary counts. */
export function describeRoleImport(state: RoleImportState, plan: RoleImportPlan): ImportPreview {
  const described = describedImport(state, plan);
  return { ...described, ...previewTokenOf(ROLE_IMPORT, roleImportCategories(described)) };
}

function describedImport(state: RoleImportState, plan: RoleImportPlan): Described {
  const teamName = new Map<string, string>([[state.topTeamId, 'Top-level team']]);
  for (const t of state.roleTeams.values()) teamName.set(t.id, t.name);
  for (const t of plan.teams) if (!t.exists) teamName.set(t.id, t.name);
  const name = (id: string | null) => (id ? (teamName.get(id) ?? 'Top-level team') : 'Top-level team');
  return {
    teams: plan.teams.map((t) => ({
      sfRoleId: t.sfRoleId,
      name: t.name,
      parentName: name(t.parentId),
      exists: t.exists,
    })),
    users: plan.users.map((u) => ({ sfUserId: u.sfUserId, email: u.email, name: u.name, teamName: name(u.teamId) })),
    skipped: plan.skipped,
  };
}
