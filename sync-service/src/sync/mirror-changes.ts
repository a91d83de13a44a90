import type { SfRole, SfUser } from './fetch.js';

/**
 * What a read from Salesforce changes in the org's mirror of its users and roles (pure). A row read again through the
 * overlap window with nothing changed is not a change: that is what makes re-reading idempotent.
 */
export interface RoleMirror extends SfRole {
  deleted: boolean;
  importEnabled: boolean;
  activeUserCount: number;
}

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

export interface UserChange {
  before: SfUser | null;
  after: SfUser;
}

export interface RoleChanges {
  changed: { before: RoleMirror | null; after: SfRole }[];
  deleted: string[];
}

/** The users read from Salesforce that differ from the mirror (`before` holds at least their ids). */
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

/** The roles that differ from the mirror, and the ids of `deletedIds` that are live there now. */
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

/** The role mirror once `changes` are written (deleted roles kept, marked). */
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

/** Role ids live in the mirror that a full list of Salesforce's role ids no longer has. */
export function missingRoles(before: ReadonlyMap<string, RoleMirror>, liveIds: readonly string[]): string[] {
  const live = new Set(liveIds);
  return [...before.values()].filter((r) => !r.deleted && !live.has(r.id)).map((r) => r.id);
}
