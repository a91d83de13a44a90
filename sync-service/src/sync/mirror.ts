import type { OrgScope } from '../db/scoped.js';
import type { SfRole, SfUser } from './fetch.js';

/**
 * The org's last-seen Salesforce users and roles (salesforce_users, salesforce_roles). A row read again through the
 * overlap window with nothing changed is not a change: that is what makes re-reading idempotent.
 */
export interface RoleMirror extends SfRole {
  deleted: boolean;
  importEnabled: boolean;
  activeUserCount: number;
}

const CHUNK = 2000;
const chunks = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

export const userFromRow = (r: any): SfUser => ({
  id: r.sf_user_id,
  email: r.email,
  firstName: r.first_name,
  lastName: r.last_name,
  title: r.title,
  roleId: r.sf_role_id,
  managerId: r.sf_manager_id,
  isActive: r.is_active,
  userType: r.user_type,
  license: r.license,
  modstamp: r.system_modstamp ? new Date(r.system_modstamp).toISOString() : null,
});

const roleFromRow = (r: any): RoleMirror => ({
  id: r.sf_role_id,
  name: r.name,
  developerName: r.developer_name,
  parentId: r.parent_sf_role_id,
  modstamp: r.system_modstamp ? new Date(r.system_modstamp).toISOString() : null,
  deleted: r.deleted_at !== null && r.deleted_at !== undefined,
  importEnabled: r.import_enabled,
  activeUserCount: r.active_user_count,
});

const USER_KEYS: (keyof SfUser)[] = [
  'email',
  'firstName',
  'lastName',
  'title',
  'roleId',
  'managerId',
  'isActive',
  'userType',
  'license',
];
const ROLE_KEYS: (keyof SfRole)[] = ['name', 'developerName', 'parentId'];

export async function loadUsers(scope: OrgScope, ids?: readonly string[]): Promise<Map<string, SfUser>> {
  const out = new Map<string, SfUser>();
  if (ids) {
    for (const part of chunks([...new Set(ids)])) {
      for (const r of await scope.table('salesforce_users').whereIn('sf_user_id', part))
        out.set(r.sf_user_id, userFromRow(r));
    }
  } else {
    for (const r of await scope.table('salesforce_users')) out.set(r.sf_user_id, userFromRow(r));
  }
  return out;
}

export async function loadRoles(scope: OrgScope): Promise<Map<string, RoleMirror>> {
  const rows = await scope.table('salesforce_roles');
  return new Map(rows.map((r: any) => [r.sf_role_id, roleFromRow(r)]));
}

export interface UserChange {
  before: SfUser | null;
  after: SfUser;
}

/** Writes users read from Salesforce into the mirror; returns those that differ from what was there. */
export async function upsertUsers(scope: OrgScope, users: readonly SfUser[]): Promise<UserChange[]> {
  const latest = new Map<string, SfUser>();
  for (const u of users) latest.set(u.id, u);
  const before = await loadUsers(scope, [...latest.keys()]);
  const changes: UserChange[] = [];
  for (const u of latest.values()) {
    const b = before.get(u.id) ?? null;
    if (!b || USER_KEYS.some((k) => b[k] !== u[k])) changes.push({ before: b, after: u });
  }
  for (const part of chunks(changes.map((c) => c.after))) {
    await scope
      .db('salesforce_users')
      .insert(
        part.map((u) => ({
          org_id: scope.orgId,
          sf_user_id: u.id,
          email: u.email,
          first_name: u.firstName,
          last_name: u.lastName,
          title: u.title,
          sf_role_id: u.roleId,
          sf_manager_id: u.managerId,
          is_active: u.isActive,
          user_type: u.userType,
          license: u.license,
          system_modstamp: u.modstamp,
        })),
      )
      .onConflict(['org_id', 'sf_user_id'])
      .merge();
  }
  return changes;
}

export interface RoleChanges {
  changed: { before: RoleMirror | null; after: SfRole }[];
  deleted: string[];
}

/** Writes roles into the mirror (keeping each role's import toggle); marks `deletedIds` deleted. */
export async function upsertRoles(
  scope: OrgScope,
  roles: readonly SfRole[],
  deletedIds: readonly string[] = [],
): Promise<RoleChanges> {
  const before = await loadRoles(scope);
  const changed = roles.filter((r) => {
    const b = before.get(r.id);
    return !b || b.deleted || ROLE_KEYS.some((k) => b[k] !== r[k]);
  });
  for (const part of chunks(changed)) {
    await scope
      .db('salesforce_roles')
      .insert(
        part.map((r) => ({
          org_id: scope.orgId,
          sf_role_id: r.id,
          name: r.name,
          developer_name: r.developerName,
          parent_sf_role_id: r.parentId,
          system_modstamp: r.modstamp,
          deleted_at: null,
        })),
      )
      .onConflict(['org_id', 'sf_role_id'])
      .merge(['name', 'developer_name', 'parent_sf_role_id', 'system_modstamp', 'deleted_at']);
  }
  const seen = new Set(roles.map((r) => r.id));
  const deleted = [...new Set(deletedIds)].filter((id) => !seen.has(id) && before.has(id) && !before.get(id)!.deleted);
  for (const part of chunks(deleted)) {
    await scope.table('salesforce_roles').whereIn('sf_role_id', part).update({ deleted_at: scope.db.fn.now() });
  }
  return { changed: changed.map((r) => ({ before: before.get(r.id) ?? null, after: r })), deleted };
}

/** Role ids in the mirror that a full list of Salesforce's role ids no longer has. */
export async function missingRoleIds(scope: OrgScope, liveIds: readonly string[]): Promise<string[]> {
  const live = new Set(liveIds);
  const rows = await scope.table('salesforce_roles').whereNull('deleted_at').select('sf_role_id');
  return rows.map((r: { sf_role_id: string }) => r.sf_role_id).filter((id: string) => !live.has(id));
}

/** Replaces the whole mirror (a full sync): users gone from Salesforce's answer are dropped, roles marked deleted. */
export async function replaceMirror(scope: OrgScope, snapshot: { users: SfUser[]; roles: SfRole[] }) {
  const userChanges = await upsertUsers(scope, snapshot.users);
  const ids = new Set(snapshot.users.map((u) => u.id));
  const all: string[] = await scope.table('salesforce_users').pluck('sf_user_id');
  const stale = all.filter((id) => !ids.has(id));
  for (const part of chunks(stale)) await scope.table('salesforce_users').whereIn('sf_user_id', part).delete();
  const roleChanges = await upsertRoles(
    scope,
    snapshot.roles,
    await missingRoleIds(
      scope,
      snapshot.roles.map((r) => r.id),
    ),
  );
  return { userChanges, roleChanges };
}
