import type { OrgScope } from '../db/scoped.js';
import type { SfRole, SfUser } from './fetch.js';
import type { SalesforceRoleRow, SalesforceUserRow } from './rows.js';
import { chunks } from '../shared/chunks.js';

/**
 * The org's last-seen Salesforce users and roles (salesforce_users, salesforce_roles). A row read again through the
 * overlap window with nothing changed is not a change: that is what makes re-reading idempotent.
 */
export interface RoleMirror extends SfRole {
  deleted: boolean;
  importEnabled: boolean;
  activeUserCount: number;
}

const chunk = <T>(items: readonly T[]) => chunks(items, 2000);

export const userFromRow = (r: SalesforceUserRow): SfUser => ({
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

const roleFromRow = (r: SalesforceRoleRow): RoleMirror => ({
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
    for (const part of chunk([...new Set(ids)])) {
      for (const r of (await scope.table('salesforce_users').whereIn('sf_user_id', part)) as SalesforceUserRow[])
        out.set(r.sf_user_id, userFromRow(r));
    }
  } else {
    for (const r of (await scope.table('salesforce_users')) as SalesforceUserRow[])
      out.set(r.sf_user_id, userFromRow(r));
  }
  return out;
}

export async function loadRoles(scope: OrgScope): Promise<Map<string, RoleMirror>> {
  const rows: SalesforceRoleRow[] = await scope.table('salesforce_roles');
  return new Map(rows.map((r) => [r.sf_role_id, roleFromRow(r)]));
}

export interface UserChange {
  before: SfUser | null;
  after: SfUser;
}

/** The users read from Salesforce that differ from the mirror (`before` holds at least their ids); pure. */
export function diffUsers(before: ReadonlyMap<string, SfUser>, users: readonly SfUser[]): UserChange[] {
  const latest = new Map<string, SfUser>();
  for (const u of users) latest.set(u.id, u);
  const changes: UserChange[] = [];
  for (const u of latest.values()) {
    const b = before.get(u.id) ?? null;
    if (!b || USER_KEYS.some((k) => b[k] !== u[k])) changes.push({ before: b, after: u });
  }
  return changes;
}

/** Writes users read from Salesforce into the mirror; returns those that differ from what was there. */
export async function upsertUsers(scope: OrgScope, users: readonly SfUser[]): Promise<UserChange[]> {
  const before = await loadUsers(
    scope,
    users.map((u) => u.id),
  );
  const changes = diffUsers(before, users);
  await writeUserChanges(scope, changes);
  return changes;
}

/** Writes the users of `changes` into the mirror, in bulk. */
export async function writeUserChanges(scope: OrgScope, changes: readonly UserChange[]): Promise<void> {
  // One statement per 5,000 users, the rows as one JSON parameter: a full read writes 100k rows without 1.2M bindings.
  const users = changes.map((c) => c.after);
  for (let i = 0; i < users.length; i += 5000)
    await scope.db.raw(
      `INSERT INTO salesforce_users (org_id, sf_user_id, email, first_name, last_name, title, sf_role_id, sf_manager_id,
         is_active, user_type, license, system_modstamp)
       SELECT ?, id, email, "firstName", "lastName", title, "roleId", "managerId", "isActive", "userType", license, modstamp
         FROM jsonb_to_recordset(?::jsonb) AS v(id text, email text, "firstName" text, "lastName" text, title text,
           "roleId" text, "managerId" text, "isActive" boolean, "userType" text, license text, modstamp timestamptz)
       ON CONFLICT (org_id, sf_user_id) DO UPDATE SET email = EXCLUDED.email, first_name = EXCLUDED.first_name,
         last_name = EXCLUDED.last_name, title = EXCLUDED.title, sf_role_id = EXCLUDED.sf_role_id,
         sf_manager_id = EXCLUDED.sf_manager_id, is_active = EXCLUDED.is_active, user_type = EXCLUDED.user_type,
         license = EXCLUDED.license, system_modstamp = EXCLUDED.system_modstamp`,
      [scope.orgId, JSON.stringify(users.slice(i, i + 5000))],
    );
}

/** Drops users Salesforce no longer returns from the mirror. */
export async function dropUsers(scope: OrgScope, sfUserIds: readonly string[]): Promise<void> {
  for (const part of chunk(sfUserIds)) await scope.table('salesforce_users').whereIn('sf_user_id', part).delete();
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
  const changes = diffRoles(await loadRoles(scope), roles, deletedIds);
  await writeRoleChanges(scope, changes);
  return changes;
}

/** Writes changed roles into the mirror (keeping each role's import toggle) and marks the deleted ones. */
export async function writeRoleChanges(scope: OrgScope, changes: RoleChanges): Promise<void> {
  for (const part of chunk(changes.changed.map((c) => c.after))) {
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
  for (const part of chunk(changes.deleted)) {
    await scope.table('salesforce_roles').whereIn('sf_role_id', part).update({ deleted_at: scope.db.fn.now() });
  }
}

/** The roles that differ from the mirror, and the ids of `deletedIds` that are live there now; pure. */
export function diffRoles(
  before: ReadonlyMap<string, RoleMirror>,
  roles: readonly SfRole[],
  deletedIds: readonly string[] = [],
): RoleChanges {
  const changed = roles.filter((r) => {
    const b = before.get(r.id);
    return !b || b.deleted || ROLE_KEYS.some((k) => b[k] !== r[k]);
  });
  const seen = new Set(roles.map((r) => r.id));
  const deleted = [...new Set(deletedIds)].filter((id) => !seen.has(id) && before.has(id) && !before.get(id)!.deleted);
  return { changed: changed.map((r) => ({ before: before.get(r.id) ?? null, after: r })), deleted };
}

/** The role mirror once `changes` are written (deleted roles kept, marked); pure. */
export function rolesAfter(before: ReadonlyMap<string, RoleMirror>, changes: RoleChanges): Map<string, RoleMirror> {
  const after = new Map(before);
  for (const { before: b, after: r } of changes.changed)
    after.set(r.id, {
      ...r,
      deleted: false,
      importEnabled: b?.importEnabled ?? false,
      activeUserCount: b?.activeUserCount ?? 0,
    });
  for (const id of changes.deleted) after.set(id, { ...after.get(id)!, deleted: true });
  return after;
}

/** Role ids live in the mirror that a full list of Salesforce's role ids no longer has; pure. */
export function missingRoles(before: ReadonlyMap<string, RoleMirror>, liveIds: readonly string[]): string[] {
  const live = new Set(liveIds);
  return [...before.values()].filter((r) => !r.deleted && !live.has(r.id)).map((r) => r.id);
}

/** Replaces the whole mirror (a full read): users gone from Salesforce's answer are dropped, roles marked deleted. */
export async function replaceMirror(scope: OrgScope, snapshot: { users: SfUser[]; roles: SfRole[] }) {
  const users = await loadUsers(scope);
  const roles = await loadRoles(scope);
  const userChanges = diffUsers(users, snapshot.users);
  const ids = new Set(snapshot.users.map((u) => u.id));
  const roleChanges = diffRoles(
    roles,
    snapshot.roles,
    missingRoles(
      roles,
      snapshot.roles.map((r) => r.id),
    ),
  );
  await writeUserChanges(scope, userChanges);
  await dropUsers(
    scope,
    [...users.keys()].filter((id) => !ids.has(id)),
  );
  await writeRoleChanges(scope, roleChanges);
  return { userChanges, roleChanges };
}
