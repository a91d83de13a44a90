import type { OrgScope } from '../db/scoped.js';
import { chunks } from '../shared/chunks.js';
import { pgArrayOf } from '../shared/pg-array.js';
import type { SfRole, SfUser } from './fetch.js';
import {
  diffRoles,
  diffUsers,
  missingRoles,
  type RoleChanges,
  type RoleMirror,
  type UserChange,
} from './mirror-changes.js';
import type { SalesforceRoleRow, SalesforceUserRow } from './rows.js';

/**
 * The org's mirror of its Salesforce users and roles as last seen (salesforce_users, salesforce_roles): every read and
 * write of those tables. What a read changes in it is computed in mirror-changes.ts.
 */

// A role row binds 7 values: 2,000 rows (14,000 bindings) stay well under PostgreSQL's 65,535 per statement; the id
// lists, one binding each, are cut the same.
const chunk = <T>(items: readonly T[]) => chunks(items, 2000);

const userFromRow = (r: SalesforceUserRow): SfUser => ({
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

/** The mirror's users by Salesforce id: those of `ids`, or all. */
export async function loadUsers(scope: OrgScope, ids?: readonly string[]): Promise<Map<string, SfUser>> {
  const out = new Map<string, SfUser>();
  if (ids) {
    for (const part of chunk([...new Set(ids)])) {
      const rows: SalesforceUserRow[] = await scope.table('salesforce_users').whereIn('sf_user_id', part);
      for (const r of rows) out.set(r.sf_user_id, userFromRow(r));
    }
  } else {
    const rows: SalesforceUserRow[] = await scope.table('salesforce_users');
    for (const r of rows) out.set(r.sf_user_id, userFromRow(r));
  }
  return out;
}

/** Every mirrored role by Salesforce id, deleted ones marked. */
export async function loadRoles(scope: OrgScope): Promise<Map<string, RoleMirror>> {
  const rows: SalesforceRoleRow[] = await scope.table('salesforce_roles');
  return new Map(rows.map((r) => [r.sf_role_id, roleFromRow(r)]));
}

/** The Salesforce ids of every mirrored user. */
export async function mirroredUserIds(scope: OrgScope): Promise<string[]> {
  return scope.table('salesforce_users').pluck('sf_user_id');
}

/** The Salesforce ids of the mirrored users holding one of these roles. */
export async function userIdsInRoles(scope: OrgScope, roleIds: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const part of chunk(roleIds))
    ids.push(...(await scope.table('salesforce_users').whereIn('sf_role_id', part).pluck('sf_user_id')));
  return ids;
}

/** Writes the users of `changes` into the mirror, in bulk. */
export async function writeUserChanges(scope: OrgScope, changes: readonly UserChange[]): Promise<void> {
  // One statement per 5,000 users, each column as one array: a full read writes 100k rows without 1.2M bindings, and
  // the database unnests arrays for about three quarters of the CPU it spent unpacking the same rows from JSON.
  for (const part of chunks(changes.map((c) => c.after))) {
    const column = <K extends keyof SfUser>(key: K) => pgArrayOf(part.map((u) => u[key] as string | boolean | null));
    await scope.db.raw(
      `INSERT INTO salesforce_users (org_id, sf_user_id, email, first_name, last_name, title, sf_role_id, sf_manager_id,
         is_active, user_type, license, system_modstamp)
       SELECT ?, * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[],
         ?::text[], ?::text[], ?::timestamptz[])
       ON CONFLICT (org_id, sf_user_id) DO UPDATE SET email = EXCLUDED.email, first_name = EXCLUDED.first_name,
         last_name = EXCLUDED.last_name, title = EXCLUDED.title, sf_role_id = EXCLUDED.sf_role_id,
         sf_manager_id = EXCLUDED.sf_manager_id, is_active = EXCLUDED.is_active, user_type = EXCLUDED.user_type,
         license = EXCLUDED.license, system_modstamp = EXCLUDED.system_modstamp`,
      [scope.orgId, ...USER_COLUMNS.map(column)],
    );
  }
}

/** The mirror's user columns after org_id, in table order, as SfUser names them. */
const USER_COLUMNS = [
  'id',
  'email',
  'firstName',
  'lastName',
  'title',
  'roleId',
  'managerId',
  'isActive',
  'userType',
  'license',
  'modstamp',
] as const satisfies readonly (keyof SfUser)[];

/** Drops users Salesforce no longer returns from the mirror. */
export async function dropUsers(scope: OrgScope, sfUserIds: readonly string[]): Promise<void> {
  for (const part of chunk(sfUserIds)) await scope.table('salesforce_users').whereIn('sf_user_id', part).delete();
}

/** Writes changed roles into the mirror (keeping each role's import toggle) and marks the deleted ones. */
export async function writeRoleChanges(scope: OrgScope, changes: RoleChanges): Promise<void> {
  for (const part of chunks(changes.changed.map((c) => c.after))) {
    await scope.db.raw(
      `INSERT INTO salesforce_roles (org_id, sf_role_id, name, developer_name, parent_sf_role_id, system_modstamp, deleted_at)
       SELECT ?, *, NULL::timestamptz FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
       ON CONFLICT (org_id, sf_role_id) DO UPDATE SET name = EXCLUDED.name, developer_name = EXCLUDED.developer_name,
         parent_sf_role_id = EXCLUDED.parent_sf_role_id, system_modstamp = EXCLUDED.system_modstamp, deleted_at = NULL`,
      [
        scope.orgId,
        ...(['id', 'name', 'developerName', 'parentId', 'modstamp'] as const).map((key) =>
          pgArrayOf(part.map((r) => r[key])),
        ),
      ],
    );
  }
  for (const part of chunk(changes.deleted)) {
    await scope.table('salesforce_roles').whereIn('sf_role_id', part).update({ deleted_at: scope.db.fn.now() });
  }
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

/** Sets each role's count of active users to `counts` (roles absent from it: 0). */
export async function setActiveUserCounts(scope: OrgScope, counts: ReadonlyMap<string, number>): Promise<void> {
  await scope.table('salesforce_roles').update({ active_user_count: 0 });
  await scope.db.raw(
    `UPDATE salesforce_roles r SET active_user_count = v.n
       FROM jsonb_to_recordset(?::jsonb) AS v(id text, n int)
      WHERE r.org_id = ? AND r.sf_role_id = v.id`,
    [JSON.stringify([...counts].map(([id, n]) => ({ id, n }))), scope.orgId],
  );
}

/** Sets the import toggle of live roles, one statement for any number; returns the ids found (set). */
export async function setImportToggles(scope: OrgScope, toggles: ReadonlyMap<string, boolean>): Promise<Set<string>> {
  const { rows }: { rows: Pick<SalesforceRoleRow, 'sf_role_id'>[] } = await scope.db.raw(
    `UPDATE salesforce_roles r SET import_enabled = v.enabled
       FROM jsonb_to_recordset(?::jsonb) AS v(id text, enabled boolean)
      WHERE r.org_id = ? AND r.sf_role_id = v.id AND r.deleted_at IS NULL
      RETURNING r.sf_role_id`,
    [JSON.stringify([...toggles].map(([id, enabled]) => ({ id, enabled }))), scope.orgId],
  );
  return new Set(rows.map((r) => r.sf_role_id));
}

/** A mirrored user as the rule simulator places them. */
export type MirroredUserSummary = Pick<
  SalesforceUserRow,
  'sf_user_id' | 'email' | 'first_name' | 'last_name' | 'title' | 'sf_role_id' | 'sf_manager_id'
>;

/** The mirrored users that match `where`, by name. */
export async function mirroredUsersWhere(
  scope: OrgScope,
  where: Partial<Pick<SalesforceUserRow, 'sf_user_id' | 'is_active'>>,
): Promise<MirroredUserSummary[]> {
  return scope
    .table('salesforce_users')
    .where(where)
    .orderBy(['last_name', 'first_name', 'sf_user_id'])
    .select('sf_user_id', 'email', 'first_name', 'last_name', 'title', 'sf_role_id', 'sf_manager_id');
}

/** For each of these Salesforce users, every manager above them in the mirror (the sf_manager_id chain, cycle-safe). */
export async function managerChains(scope: OrgScope, sfUserIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  if (sfUserIds.length === 0) return map;
  const { rows }: { rows: { start_id: string; manager_id: string }[] } = await scope.db.raw(
    `WITH RECURSIVE chain(start_id, manager_id, depth) AS (
       SELECT sf_user_id, sf_manager_id, 1 FROM salesforce_users WHERE org_id = ? AND sf_user_id = ANY(?::text[])
       UNION ALL
       SELECT chain.start_id, s.sf_manager_id, chain.depth + 1
         FROM chain JOIN salesforce_users s ON s.org_id = ? AND s.sf_user_id = chain.manager_id
        WHERE chain.depth < 64
     )
     SELECT start_id, manager_id FROM chain WHERE manager_id IS NOT NULL`,
    [scope.orgId, pgArrayOf(sfUserIds), scope.orgId],
  );
  for (const row of rows) map.set(row.start_id, (map.get(row.start_id) ?? new Set()).add(row.manager_id));
  return map;
}
