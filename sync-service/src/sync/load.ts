import type { OrgScope } from '../db/scoped.js';
import type { Changes, SfUser } from './fetch.js';
import { loadRoles, loadUsers } from './mirror.js';
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
import { loadRuleInputs, type RuleInputs } from './rules.js';
import type { UserRow } from '../users/repo.js';
import { chunks } from '../shared/chunks.js';

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
        for (const id of await scope.table('users').whereNotNull('sf_user_id').pluck('sf_user_id'))
          if (frozen.has(String(id).slice(0, 15))) ids.add(id);
        for (const id of await scope
          .table('users')
          .where('suspension_reason', SYNC_SUSPENSION.frozen)
          .whereNotNull('sf_user_id')
          .pluck('sf_user_id'))
          ids.add(id);
      }
      for (const held of await scope.table('sync_held_users').pluck('sf_user_id')) ids.add(held);
      if (roleChanges.deleted.length)
        for (const id of await scope
          .table('salesforce_users')
          .whereIn('sf_role_id', roleChanges.deleted)
          .pluck('sf_user_id'))
          ids.add(id);
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
  const topTeamId: string = (await scope.table('teams').where('kind', 'top').first('id')).id;
  const teams: ExistingTeam[] = (
    await scope.table('teams').where('kind', 'hierarchy').select('id', 'name', 'parent_id', `${col} as key`)
  ).map((t: { id: string; name: string; parent_id: string | null; key: string | null }) => ({
    id: t.id,
    name: t.name,
    parentId: t.parent_id,
    key: t.key,
  }));
  const obsolete = obsoleteTeams(teams, hierarchy.teams).map((t) => t.id);
  const obsoleteMembers = obsolete.length
    ? await scope.table('users').whereIn('team_id', obsolete).select('id', 'email', 'team_id')
    : [];
  // Enabling: users not present in the Salesforce hierarchy wait in the top-level team (SPEC 3), wherever an admin
  // had put them, so a later role deletion in Salesforce never has to move them anywhere.
  const strays: SyncState['strays'] = [];
  if (input.enabling && teams.length) {
    const rows: { id: string; email: string; team_id: string; sf_user_id: string | null }[] = await scope
      .table('users')
      .whereIn(
        'team_id',
        teams.map((t) => t.id),
      )
      .select('id', 'email', 'team_id', 'sf_user_id');
    for (const r of rows)
      if (!r.sf_user_id || !mirrorUsers?.has(r.sf_user_id))
        strays.push({ id: r.id, email: r.email, team_id: r.team_id });
  }
  const activeUsers = Number(
    (await scope.table('users').whereNotNull('sf_user_id').whereNot('status', 'suspended').count({ n: '*' }).first())
      ?.n ?? 0,
  );
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
  // The ids travel as one array parameter per chunk, not one binding each.
  for (const part of chunks(sfIds))
    for (const r of (await scope.table('users').whereRaw('sf_user_id = ANY(?::text[])', [part])) as UserRow[])
      linked.set(r.sf_user_id!, r);
  const emails = [...new Set(users.map((u) => u.email.toLowerCase()))];
  const byEmail: RosterUsers['byEmail'] = new Map();
  for (const part of chunks(emails)) {
    for (const r of await scope
      .table('users')
      .whereRaw('lower(email) = ANY(?::text[])', [part])
      .select('id', 'email', 'sf_user_id'))
      byEmail.set(r.email.toLowerCase(), r);
  }
  // Open and dismissed conflicts are few: read once, not looked up per chunk of the users.
  const asked = new Set(sfIds);
  const held = new Set<string>(
    (
      await scope.table('sync_conflicts').whereIn('status', ['open', 'dismissed']).distinct().pluck('sf_user_id')
    ).filter((id: string) => asked.has(id)),
  );
  const drifting = new Set<string>(await scope.table('sync_drift').pluck('user_id'));
  return { linked, byEmail, held, drifting };
}
