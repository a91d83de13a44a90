import type { OrgScope } from '../db/scoped.js';
import { builtinTeamId, hierarchyTeams } from '../teams/repo.js';
import {
  activeLinkedCount,
  linkedSfUserIds,
  sfUserIdsSuspendedFor,
  usersByEmail,
  usersInTeams,
  usersLinkedTo,
} from '../users/lookups.js';
import type { UserRow } from '../users/repo.js';
import type { Changes, SfUser } from './fetch.js';
import { loadRoles, loadUsers, userIdsInRoles } from './mirror.js';
import {
  diffRoles,
  diffUsers,
  missingRoles,
  rolesAfter,
  type RoleChanges,
  type RoleMirror,
  type UserChange,
} from './mirror-changes.js';
import { obsoleteTeams, type ExistingTeam } from './plan-teams.js';
import { SYNC_SUSPENSION, type RosterUsers } from './plan-users.js';
import { managerHierarchy, roleHierarchy, type Hierarchy, type HierarchySource } from './projection.js';
import { driftingUserIds, heldByConflict, heldSfUserIds } from './repo.js';
import { loadRuleInputs, type RuleInputs } from './rules.js';

export interface SyncInput {
  source: HierarchySource;
  /** A full read (every user and role), else the changes since the cursors. */
  full: boolean;
  changes: Changes;
  /** Every live role id, when this run compares them in full (no /deleted). */
  liveRoleIds: string[] | null;
  /** Enabling Automatic Mode never suspends anyone. */
  enabling: boolean;
}

/** Everything a sync plan is computed from: the mirror as the changes leave it, and the Roster side it touches. */
export interface SyncState {
  input: SyncInput;
  userChanges: UserChange[];
  /** Mirror users Salesforce's full answer no longer has. */
  staleUserIds: string[];
  roleChanges: RoleChanges;
  roles: Map<string, RoleMirror>;
  /** Every mirror user after the changes, when the run looks at all of them (full, or manager hierarchy). */
  mirrorUsers: Map<string, SfUser> | null;
  hierarchy: Hierarchy;
  /** The Salesforce users this run plans. */
  subject: SfUser[];
  topTeamId: string;
  teams: ExistingTeam[];
  /** Members of hierarchy teams the plan deletes: they wait in the replacement team unless placed. */
  obsoleteMembers: { id: string; email: string; team_id: string }[];
  /** Enabling: users in hierarchy teams with no record in the Salesforce hierarchy; they wait in the top-level team. */
  strays: { id: string; email: string; team_id: string }[];
  roster: RosterUsers;
  rules: RuleInputs;
  /** Non-suspended Roster users Salesforce can suspend (linked), for the mass-suspension guard's share. */
  activeUsers: number;
}

const keyColumn = (source: HierarchySource) => (source === 'role' ? 'sf_role_id' : 'sf_manager_id');

/** Reads what planning a run needs (pass the run's transaction scope to apply what is planned). Writes nothing. */
export async function loadSyncState(scope: OrgScope, input: SyncInput): Promise<SyncState> {
  const { changes } = input;
  const rolesBefore = await loadRoles(scope);
  const frozen = changes.frozenIds ? new Set(changes.frozenIds.map((id) => id.slice(0, 15))) : null;
  let userChanges: UserChange[];
  let staleUserIds: string[] = [];
  let roleChanges: RoleChanges;
  let mirrorUsers: Map<string, SfUser> | null = null;
  let subject: SfUser[];
  if (input.full) {
    const before = await loadUsers(scope);
    userChanges = diffUsers(before, changes.users);
    mirrorUsers = new Map(changes.users.map((u) => [u.id, u]));
    staleUserIds = [...before.keys()].filter((id) => !mirrorUsers!.has(id));
    roleChanges = diffRoles(
      rolesBefore,
      changes.roles,
      missingRoles(
        rolesBefore,
        changes.roles.map((r) => r.id),
      ),
    );
    subject = [...mirrorUsers.values()];
  } else {
    const gone = [
      ...(changes.deletedRoleIds ?? []),
      ...(input.liveRoleIds ? missingRoles(rolesBefore, input.liveRoleIds) : []),
    ];
    roleChanges = diffRoles(rolesBefore, changes.roles, gone);
    userChanges = diffUsers(
      await loadUsers(
        scope,
        changes.users.map((u) => u.id),
      ),
      changes.users,
    );
    if (input.source === 'manager') {
      mirrorUsers = await loadUsers(scope);
      for (const c of userChanges) mirrorUsers.set(c.after.id, c.after);
      subject = [...mirrorUsers.values()];
    } else {
      // Those changed, those an invalid rule held back before, and those whose role went away (their team with it).
      const ids = new Set(userChanges.map((c) => c.after.id));
      if (frozen) {
        // Freezing and unfreezing leave the User row alone: look at every frozen user and every one suspended as frozen.
        for (const id of await linkedSfUserIds(scope)) if (frozen.has(id.slice(0, 15))) ids.add(id);
        for (const id of await sfUserIdsSuspendedFor(scope, SYNC_SUSPENSION.frozen)) ids.add(id);
      }
      for (const held of await heldSfUserIds(scope)) ids.add(held);
      if (roleChanges.deleted.length) for (const id of await userIdsInRoles(scope, roleChanges.deleted)) ids.add(id);
      const users = await loadUsers(scope, [...ids]);
      for (const c of userChanges) users.set(c.after.id, c.after);
      subject = [...users.values()].filter((u) => ids.has(u.id));
    }
  }
  // Without the frozen set (UserLogin unreadable) a user keeps the frozen state the last run saw.
  for (const u of subject) u.frozen = frozen ? frozen.has(u.id.slice(0, 15)) : undefined;
  const roles = rolesAfter(rolesBefore, roleChanges);
  const hierarchy = input.source === 'role' ? roleHierarchy(roles) : managerHierarchy(mirrorUsers!);

  const col = keyColumn(input.source);
  const topTeamId = await builtinTeamId(scope, 'top');
  const teams: ExistingTeam[] = (await hierarchyTeams(scope))
    .filter((t) => t.kind === 'hierarchy')
    .map((t) => ({ id: t.id, name: t.name, parentId: t.parent_id, key: t[col] }));
  const obsolete = obsoleteTeams(teams, hierarchy.teams).map((t) => t.id);
  const obsoleteMembers = (await usersInTeams(scope, obsolete)).map(({ id, email, team_id }) => ({
    id,
    email,
    team_id,
  }));
  // Enabling: users not present in the Salesforce hierarchy wait in the top-level team (SPEC 3), wherever an admin
  // had put them, so a later role deletion in Salesforce never has to move them anywhere.
  const strays: SyncState['strays'] = [];
  if (input.enabling && teams.length) {
    const rows = await usersInTeams(
      scope,
      teams.map((t) => t.id),
    );
    for (const r of rows)
      if (!r.sf_user_id || !mirrorUsers?.has(r.sf_user_id))
        strays.push({ id: r.id, email: r.email, team_id: r.team_id });
  }
  const activeUsers = await activeLinkedCount(scope);
  return {
    input,
    userChanges,
    staleUserIds,
    roleChanges,
    roles,
    mirrorUsers,
    hierarchy,
    subject,
    topTeamId,
    teams,
    obsoleteMembers,
    strays,
    roster: await loadRosterUsers(scope, subject),
    rules: await loadRuleInputs(scope),
    activeUsers,
  };
}

/** Reads the Roster side of `users`: who is linked to them, who holds their emails, which are held by a conflict. */
export async function loadRosterUsers(scope: OrgScope, users: readonly SfUser[]): Promise<RosterUsers> {
  const sfIds = users.map((u) => u.id);
  const linked = new Map<string, UserRow>();
  for (const r of await usersLinkedTo(scope, sfIds)) linked.set(r.sf_user_id!, r);
  const byEmail: RosterUsers['byEmail'] = new Map();
  for (const r of await usersByEmail(scope, [...new Set(users.map((u) => u.email.toLowerCase()))]))
    byEmail.set(r.email.toLowerCase(), r);
  return { linked, byEmail, held: await heldByConflict(scope, sfIds), drifting: await driftingUserIds(scope) };
}
