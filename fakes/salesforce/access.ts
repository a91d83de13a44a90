import { PERMISSION_FIELDS, type FieldDef, type ObjectDef, type Rec } from './catalog.js';
import type { OrgStore } from './org.js';

/** What one user may see, computed as Salesforce does: profile's set OR assigned sets OR group aggregates. */
export interface Access {
  userId: string;
  user: Rec;
  permissions: Set<string>;
  permissionSetIds: string[];
  canReadObject(type: string): boolean;
  canReadField(object: ObjectDef, field: FieldDef): boolean;
  viewAllRecords(type: string): boolean;
  /** Users whose records (and, for User, themselves) a user without View All sees under private sharing. */
  visibleOwners(): Set<string>;
}

const cache = new WeakMap<OrgStore, Map<string, { version: number; access: Access }>>();

export function accessFor(org: OrgStore, userId: string): Access {
  const perOrg = cache.get(org) ?? new Map();
  cache.set(org, perOrg);
  const hit = perOrg.get(userId);
  if (hit && hit.version === org.version) return hit.access;
  const access = compute(org, userId);
  perOrg.set(userId, { version: org.version, access });
  return access;
}

function compute(org: OrgStore, userId: string): Access {
  const user = org.require(userId).rec;
  const now = org.now();
  const permissionSetIds = (org.assignments.get(userId) ?? [])
    .filter((a) => a.expiration === null || a.expiration > now)
    .map((a) => a.permissionSetId);
  const sets = permissionSetIds.map((id) => org.require(id).rec);
  const permissions = new Set<string>(PERMISSION_FIELDS.filter((p) => sets.some((s) => s[p] === true)));
  const objectRows = (type: string) =>
    permissionSetIds.map((id) => org.objectGrants.get(id)?.get(type)).filter((r): r is Rec => !!r);
  const viewAllData = permissions.has('PermissionsViewAllData');
  const modifyAllData = permissions.has('PermissionsModifyAllData');
  let owners: Set<string> | undefined;

  const access: Access = {
    userId,
    user,
    permissions,
    permissionSetIds,
    canReadObject(type) {
      const def = org.object(type);
      if (!def) return false;
      // An object guarded by a permission needs it, View All Data or not (UserLogin: Manage Users, per the Object
      // Reference); for the setup objects View All Data brings the permission anyway (it implies View Setup).
      if (def.access.kind === 'perm') return permissions.has(def.access.perm);
      if (viewAllData || modifyAllData) return true;
      switch (def.access.kind) {
        case 'public':
          return true;
        case 'via':
          return access.canReadObject(def.access.object);
        case 'crud':
          return objectRows(type).some((r) => r.PermissionsRead === true);
      }
    },
    canReadField(object, field) {
      if (!field.permissionable) return true;
      const key = `${object.name}.${field.flsKey}`;
      if (objectRows(object.name).some((r) => r.PermissionsViewAllFields === true)) return true;
      return permissionSetIds.some((id) => org.fieldGrants.get(id)?.get(key)?.PermissionsRead === true);
    },
    viewAllRecords(type) {
      if (viewAllData || modifyAllData) return true;
      if (type === 'User') return permissions.has('PermissionsViewAllUsers') || org.internalUserAccess === 'Read';
      const def = org.object(type);
      if (!def?.sharingField) return true;
      if (objectRows(type).some((r) => r.PermissionsViewAllRecords === true)) return true;
      let setting = org.organization()[def.sharingField];
      if (setting === 'ControlledByParent') setting = org.organization().DefaultAccountAccess;
      return setting !== 'None' && setting !== 'Private';
    },
    visibleOwners() {
      if (owners) return owners;
      const roleId = user.UserRoleId as string | null;
      const below = roleId ? org.roleSubtree(roleId) : new Set<string>();
      below.delete(roleId ?? '');
      owners = new Set([userId]);
      for (const u of org.rows('User'))
        if (u.UserRoleId && below.has(u.UserRoleId as string)) owners.add(u.Id as string);
      return owners;
    },
  };
  return access;
}
