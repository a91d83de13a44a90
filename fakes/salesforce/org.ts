import {
  buildCatalog,
  CRUD_OBJECTS,
  FLS_OBJECTS,
  PERMISSION_FIELDS,
  permissionClosure,
  type Catalog,
  type ObjectDef,
  type Rec,
} from './catalog.js';
import type { ObjectPermissionFixture, ParsedOrg } from './fixture.js';
import { makeId, parseDateTime, sfDateTime } from './ids.js';

const DEFAULT_STAMP = Date.parse('2024-01-15T09:00:00.000Z');
const DEFAULT_WHEN = sfDateTime(DEFAULT_STAMP);
const WIRE_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;
const DERIVED = new Set([
  'PermissionSetAssignment',
  'ObjectPermissions',
  'FieldPermissions',
  'PermissionSetGroupComponent',
]);

type Grants = {
  permissions: Partial<Record<string, boolean>>;
  objectPermissions: Partial<Record<string, ObjectPermissionFixture>>;
  fieldPermissions: Record<string, 'read' | 'edit' | 'none'>;
};

export interface Assignment {
  permissionSetId: string;
  groupId: string | null;
  expiration: number | null;
  row: Rec;
}

/**
 * The org in memory: one array per object, an id index, and the permission model
 * (object and field grants per permission set, assignments per user). Every mutation bumps
 * `version` and the touched record's SystemModstamp.
 */
export class OrgStore {
  readonly catalog: Catalog;
  readonly orgId: string;
  readonly integrationUserId: string;
  readonly internalUserAccess: 'Read' | 'Private';
  readonly connectedApp: ParsedOrg['connectedApp'];
  readonly experienceSites: string[];
  version = 0;
  private clockOffset = 0;
  private frozenAt: number | null = null;
  private counter = 1;
  private readonly tables = new Map<string, Rec[]>();
  private readonly byId = new Map<string, { type: string; rec: Rec }>();
  readonly objectGrants = new Map<string, Map<string, Rec>>();
  readonly fieldGrants = new Map<string, Map<string, Rec>>();
  readonly assignments = new Map<string, Assignment[]>();
  readonly profilePermissionSet = new Map<string, string>();
  private readonly groups = new Map<
    string,
    { memberIds: string[]; aggregateId: string; muted: { permissions: string[]; fields: string[] } }
  >();
  private readonly deletedLog = new Map<string, { id: string; deletedDate: number }[]>();
  private derivedCache = new Map<string, { version: number; rows: Rec[] }>();

  constructor(org: ParsedOrg) {
    const { multiCurrency, internalUserAccess, corporateCurrency, ...organization } = org.organization;
    this.catalog = buildCatalog({
      multiCurrency,
      customFields: org.customFields as Record<string, never[]>,
      features: org.features,
      namespaces: org.installedPackages.map((p) => p.NamespacePrefix),
    });
    for (const name of this.catalog.keys()) this.tables.set(name, []);
    this.orgId = organization.Id;
    this.integrationUserId = org.integrationUser;
    this.internalUserAccess = internalUserAccess;
    this.connectedApp = org.connectedApp;
    this.experienceSites = org.experienceSites;

    this.insert('Organization', {
      ...organization,
      IsMultiCurrency: multiCurrency,
      DefaultCurrencyIsoCode: corporateCurrency,
    });
    for (const l of org.licenses) this.insert('UserLicense', { MasterLabel: l.Name, UsedLicenses: 0, ...l });
    for (const p of org.installedPackages)
      this.insert('PackageLicense', { ...p, IsProvisioned: true, AllowedLicenses: -1, UsedLicenses: 0 });
    for (const p of org.profiles) {
      const { permissions, objectPermissions, fieldPermissions, ...profile } = p;
      const closed = permissionClosure(
        Object.entries(permissions)
          .filter(([, v]) => v)
          .map(([k]) => k),
      );
      this.insert('Profile', { ...profile, ...Object.fromEntries(PERMISSION_FIELDS.map((f) => [f, closed.has(f)])) });
      const psId = this.newId('0PS');
      this.profilePermissionSet.set(p.Id, psId);
      this.addPermissionSet(
        {
          Id: psId,
          Name: `X${p.Id.slice(0, 15)}`,
          Label: `X${p.Id.slice(0, 15)}`,
          Type: 'Profile',
          IsOwnedByProfile: true,
          IsCustom: p.Name.startsWith('Custom'),
          ProfileId: p.Id,
          LicenseId: p.UserLicenseId,
        },
        { permissions, objectPermissions, fieldPermissions },
      );
    }
    for (const s of org.permissionSets) {
      const { permissions, objectPermissions, fieldPermissions, ...ps } = s;
      this.addPermissionSet(
        {
          ...ps,
          Type: 'Regular',
          IsOwnedByProfile: false,
          IsCustom: true,
          ProfileId: null,
          PermissionSetGroupId: null,
        },
        { permissions, objectPermissions, fieldPermissions },
      );
    }
    for (const g of org.permissionSetGroups) {
      const { permissionSets, muted, ...group } = g;
      this.insert('PermissionSetGroup', group);
      const aggregateId = this.newId('0PS');
      this.groups.set(g.Id, {
        memberIds: permissionSets,
        aggregateId,
        muted: { permissions: muted?.permissions ?? [], fields: muted?.fields ?? [] },
      });
      this.addPermissionSet(
        {
          Id: aggregateId,
          Name: g.DeveloperName,
          Label: g.MasterLabel,
          Type: 'Group',
          IsOwnedByProfile: false,
          IsCustom: true,
          ProfileId: null,
          PermissionSetGroupId: g.Id,
        },
        { permissions: {}, objectPermissions: {}, fieldPermissions: {} },
      );
      this.recomputeGroup(g.Id);
    }
    for (const r of org.roles)
      this.insert('UserRole', { DeveloperName: r.Name.replace(/\W+/g, '_'), PortalAccountId: null, ...r });
    for (const u of org.users) this.addUser(u, false);
    for (const [type, rows] of Object.entries(org.records)) for (const r of rows ?? []) this.insert(type, r);
    this.version = 1;
  }

  now(): number {
    return this.frozenAt ?? Date.now() + this.clockOffset;
  }
  setNow(at: number | null): void {
    this.frozenAt = at;
  }
  advanceClock(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.clockOffset += ms;
  }

  newId(prefix: string): string {
    return makeId(prefix, this.counter++);
  }

  object(type: string): ObjectDef | undefined {
    return this.catalog.get(type);
  }

  get(id: string): { type: string; rec: Rec } | undefined {
    return this.byId.get(id) ?? (id.length === 15 ? undefined : this.byId.get(id.slice(0, 15)));
  }

  organization(): Rec {
    return this.tables.get('Organization')![0]!;
  }

  /** Rows of a type, including soft-deleted ones; derived permission tables are rebuilt when the org changed. */
  rows(type: string): Rec[] {
    if (!DERIVED.has(type)) return this.tables.get(type) ?? [];
    const cached = this.derivedCache.get(type);
    if (cached && cached.version === this.version) return cached.rows;
    let rows: Rec[];
    if (type === 'PermissionSetAssignment')
      rows = [...this.assignments.values()].flatMap((list) => list.map((a) => a.row));
    else if (type === 'ObjectPermissions') rows = [...this.objectGrants.values()].flatMap((m) => [...m.values()]);
    else if (type === 'FieldPermissions') rows = [...this.fieldGrants.values()].flatMap((m) => [...m.values()]);
    else
      rows = [...this.groups.entries()].flatMap(([gid, g]) =>
        g.memberIds.map((ps, i) =>
          this.stamp(
            {
              Id: `0PC${gid.slice(3, 12)}${String(i).padStart(3, '0')}`,
              PermissionSetGroupId: gid,
              PermissionSetId: ps,
            },
            'PermissionSetGroupComponent',
          ),
        ),
      );
    this.derivedCache.set(type, { version: this.version, rows });
    return rows;
  }

  deleted(type: string): { id: string; deletedDate: number }[] {
    return this.deletedLog.get(type) ?? [];
  }

  /** Adds the audit fields a record of this type carries, normalizing datetimes to the wire format. */
  private stamp(rec: Rec, type: string): Rec {
    const def = this.catalog.get(type);
    const when = DEFAULT_WHEN;
    const out: Rec = {
      CreatedDate: when,
      CreatedById: this.integrationUserId,
      LastModifiedDate: when,
      LastModifiedById: this.integrationUserId,
      SystemModstamp: when,
      ...rec,
    };
    if (def?.byLower.has('isdeleted') && out.IsDeleted === undefined) out.IsDeleted = false;
    return this.normalize(type, out);
  }

  private normalize(type: string, rec: Rec): Rec {
    for (const f of this.catalog.get(type)?.fields ?? []) {
      if (
        f.type === 'datetime' &&
        rec[f.name] != null &&
        !(typeof rec[f.name] === 'string' && WIRE_DATETIME.test(rec[f.name] as string))
      ) {
        const ms = parseDateTime(rec[f.name]);
        if (ms !== null) rec[f.name] = sfDateTime(ms);
      }
    }
    return rec;
  }

  insert(type: string, rec: Rec): Rec {
    const table = this.tables.get(type);
    if (!table) throw new Error(`Unknown object ${type}`);
    const row = this.stamp(rec, type);
    if (!row.Id) row.Id = this.newId(this.catalog.get(type)!.keyPrefix);
    table.push(row);
    this.byId.set(row.Id as string, { type, rec: row });
    if ((row.Id as string).length === 18) this.byId.set((row.Id as string).slice(0, 15), { type, rec: row });
    return row;
  }

  touch(rec: Rec): void {
    const at = sfDateTime(this.now());
    rec.LastModifiedDate = at;
    rec.SystemModstamp = at;
    this.version++;
  }

  update(id: string, patch: Rec): Rec {
    const found = this.require(id);
    Object.assign(found.rec, this.normalize(found.type, { ...patch }));
    this.touch(found.rec);
    return found.rec;
  }

  /** Soft-deletes where the object has IsDeleted (queryAll still sees it), removes otherwise; /deleted lists both. */
  remove(id: string): void {
    const found = this.require(id);
    const def = this.catalog.get(found.type)!;
    if (def.byLower.has('isdeleted')) {
      found.rec.IsDeleted = true;
      this.touch(found.rec);
    } else {
      const table = this.tables.get(found.type)!;
      table.splice(table.indexOf(found.rec), 1);
      this.byId.delete(id);
      this.byId.delete(id.slice(0, 15));
      this.version++;
    }
    const log = this.deletedLog.get(found.type) ?? [];
    log.push({ id: found.rec.Id as string, deletedDate: this.now() });
    this.deletedLog.set(found.type, log);
  }

  require(id: string): { type: string; rec: Rec } {
    const found = this.get(id);
    if (!found) throw new Error(`No record with Id ${id}`);
    return found;
  }

  addUser(u: Rec, bump = true): Rec {
    const {
      permissionSets = [],
      permissionSetGroups = [],
      ...fields
    } = u as Rec & { permissionSets?: unknown[]; permissionSetGroups?: unknown[] };
    const first = String(fields.FirstName ?? '');
    const last = String(fields.LastName ?? '');
    const user = this.insert('User', {
      Username: fields.Email,
      Alias: (first.slice(0, 1) + last.slice(0, 4)).toLowerCase(),
      CommunityNickname: `${first}${last}`.toLowerCase() || undefined,
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      IsPortalEnabled: false,
      UserType: 'Standard',
      IsActive: true,
      UserRoleId: null,
      ManagerId: null,
      ContactId: null,
      ...fields,
    });
    const id = user.Id as string;
    // Every user has a UserLogin row; freezing sets IsFrozen there and leaves the User (IsActive, SystemModstamp) alone.
    this.insert('UserLogin', { UserId: id, IsFrozen: false, IsPasswordLocked: false });
    this.assignments.set(id, []);
    if (user.ProfileId) this.assign(id, this.profilePermissionSet.get(user.ProfileId as string)!, null, null, false);
    for (const a of permissionSets as (string | { id: string; expirationDate?: string })[]) {
      const { id: psId, expirationDate } = typeof a === 'string' ? { id: a, expirationDate: undefined } : a;
      this.assign(id, psId, null, expirationDate ?? null, false);
    }
    for (const a of permissionSetGroups as (string | { id: string; expirationDate?: string })[]) {
      const { id: gid, expirationDate } = typeof a === 'string' ? { id: a, expirationDate: undefined } : a;
      this.assign(id, this.groups.get(gid)!.aggregateId, gid, expirationDate ?? null, false);
    }
    if (bump) this.touch(user);
    return user;
  }

  assign(
    userId: string,
    permissionSetId: string,
    groupId: string | null,
    expirationDate: string | null,
    bump = true,
  ): void {
    const expiration = parseDateTime(expirationDate);
    const row = this.stamp(
      {
        Id: this.newId('0Pa'),
        AssigneeId: userId,
        PermissionSetId: permissionSetId,
        PermissionSetGroupId: groupId,
        ExpirationDate: expiration === null ? null : sfDateTime(expiration),
        IsActive: true,
      },
      'PermissionSetAssignment',
    );
    const list = this.assignments.get(userId) ?? [];
    list.push({ permissionSetId, groupId, expiration, row });
    this.assignments.set(userId, list);
    if (bump) this.touch(row);
  }

  unassign(userId: string, permissionSetOrGroupId: string): void {
    const list = this.assignments.get(userId) ?? [];
    this.assignments.set(
      userId,
      list.filter((a) => a.permissionSetId !== permissionSetOrGroupId && a.groupId !== permissionSetOrGroupId),
    );
    this.version++;
  }

  groupAggregate(groupId: string): string | undefined {
    return this.groups.get(groupId)?.aggregateId;
  }

  /** A profile's Id stands for the permission set it owns. */
  permissionSetFor(id: string): Rec {
    const psId = this.profilePermissionSet.get(id) ?? this.groups.get(id)?.aggregateId ?? id;
    const found = this.require(psId);
    if (found.type !== 'PermissionSet')
      throw new Error(`${id} is not a permission set, profile or permission set group`);
    return found.rec;
  }

  private addPermissionSet(ps: Rec, grants: Grants): void {
    const closed = permissionClosure(
      Object.entries(grants.permissions)
        .filter(([, v]) => v)
        .map(([k]) => k),
    );
    const row = this.insert('PermissionSet', {
      Description: null,
      NamespacePrefix: null,
      PermissionSetGroupId: null,
      ...ps,
      ...Object.fromEntries(PERMISSION_FIELDS.map((f) => [f, closed.has(f)])),
    });
    const psId = row.Id as string;
    this.objectGrants.set(psId, new Map());
    this.fieldGrants.set(psId, new Map());
    if (!closed.has('PermissionsModifyAllData')) {
      const star = grants.objectPermissions['*'];
      for (const obj of CRUD_OBJECTS) {
        const p = grants.objectPermissions[obj] ?? star;
        if (p) this.setObjectPermission(psId, obj, p, false);
      }
    }
    const expanded = new Map<string, 'read' | 'edit' | 'none'>();
    const entries = Object.entries(grants.fieldPermissions).sort(([a], [b]) => specificity(a) - specificity(b));
    for (const [key, level] of entries) for (const field of this.expandFieldKey(key)) expanded.set(field, level);
    for (const [field, level] of expanded) if (level !== 'none') this.setFieldPermission(psId, field, level, false);
  }

  /** `*`, `Account.*` or `Account.Industry` to the FieldPermissions keys they cover. */
  expandFieldKey(key: string): string[] {
    const [obj, field] = key.split('.') as [string, string | undefined];
    const objects = obj === '*' ? FLS_OBJECTS.filter((o) => this.catalog.has(o)) : [obj];
    if (field && field !== '*') {
      const def = this.catalog.get(obj)?.byLower.get(field.toLowerCase());
      if (!def) throw new Error(`No field ${key}`);
      return [`${obj}.${def.flsKey}`];
    }
    return objects.flatMap((o) =>
      this.catalog
        .get(o)!
        .fields.filter((f) => f.permissionable && f.flsKey === f.name)
        .map((f) => `${o}.${f.name}`),
    );
  }

  setObjectPermission(psId: string, object: string, p: ObjectPermissionFixture | null, bump = true): void {
    const grants = this.objectGrants.get(psId)!;
    if (!p || !(p.read || p.create || p.edit || p.delete || p.viewAll || p.modifyAll || p.viewAllFields)) {
      grants.delete(object);
    } else {
      const modifyAll = !!p.modifyAll;
      const viewAll = modifyAll || !!p.viewAll;
      const existing = grants.get(object);
      const row = this.stamp(
        {
          Id: existing?.Id ?? this.newId('110'),
          ParentId: psId,
          SobjectType: object,
          PermissionsRead: true,
          PermissionsCreate: !!p.create,
          PermissionsEdit: modifyAll || !!p.edit,
          PermissionsDelete: modifyAll || !!p.delete,
          PermissionsViewAllRecords: viewAll,
          PermissionsModifyAllRecords: modifyAll,
          PermissionsViewAllFields: !!p.viewAllFields,
        },
        'ObjectPermissions',
      );
      grants.set(object, row);
      if (bump) this.touch(row);
    }
    if (bump) this.afterPermissionChange();
  }

  setFieldPermission(psId: string, field: string, level: 'read' | 'edit' | 'none', bump = true): void {
    const grants = this.fieldGrants.get(psId)!;
    if (level === 'none') grants.delete(field);
    else {
      const existing = grants.get(field);
      const row = this.stamp(
        {
          Id: existing?.Id ?? this.newId('01k'),
          ParentId: psId,
          SobjectType: field.split('.')[0],
          Field: field,
          PermissionsRead: true,
          PermissionsEdit: level === 'edit',
        },
        'FieldPermissions',
      );
      grants.set(field, row);
      if (bump) this.touch(row);
    }
    if (bump) this.afterPermissionChange();
  }

  setSystemPermission(psId: string, perm: string, value: boolean): void {
    const ps = this.require(psId).rec;
    if (value) for (const p of permissionClosure([perm])) ps[p] = true;
    else ps[perm] = false;
    this.touch(ps);
    const profileId = ps.IsOwnedByProfile ? (ps.ProfileId as string) : null;
    if (profileId) {
      const profile = this.require(profileId).rec;
      for (const f of PERMISSION_FIELDS) profile[f] = ps[f];
      this.touch(profile);
    }
    this.afterPermissionChange();
  }

  afterPermissionChange(): void {
    for (const gid of this.groups.keys()) this.recomputeGroup(gid);
    this.version++;
  }

  /** A group's aggregate set: the union of its members, less what its muting set removes. */
  private recomputeGroup(groupId: string): void {
    const g = this.groups.get(groupId)!;
    const agg = this.require(g.aggregateId).rec;
    const members = g.memberIds.map((id) => this.require(id).rec);
    for (const f of PERMISSION_FIELDS) agg[f] = members.some((m) => m[f] === true) && !g.muted.permissions.includes(f);
    const objects = new Map<string, Rec>();
    for (const m of g.memberIds) {
      for (const [obj, row] of this.objectGrants.get(m)!) {
        const prev = objects.get(obj);
        const merged: Rec = {
          ...row,
          Id: this.objectGrants.get(g.aggregateId)!.get(obj)?.Id ?? this.newId('110'),
          ParentId: g.aggregateId,
        };
        if (prev)
          for (const k of Object.keys(row))
            if (k.startsWith('Permissions')) merged[k] = prev[k] === true || row[k] === true;
        objects.set(obj, merged);
      }
    }
    this.objectGrants.set(g.aggregateId, objects);
    const mutedFields = new Set(g.muted.fields.flatMap((k) => this.expandFieldKey(k)));
    const fields = new Map<string, Rec>();
    for (const m of g.memberIds) {
      for (const [field, row] of this.fieldGrants.get(m)!) {
        if (mutedFields.has(field)) continue;
        const prev = fields.get(field);
        fields.set(field, {
          ...row,
          Id: prev?.Id ?? this.fieldGrants.get(g.aggregateId)?.get(field)?.Id ?? this.newId('01k'),
          ParentId: g.aggregateId,
          PermissionsEdit: prev?.PermissionsEdit === true || row.PermissionsEdit === true,
        });
      }
    }
    this.fieldGrants.set(g.aggregateId, fields);
  }

  /** Role ids at and below a role. */
  roleSubtree(roleId: string): Set<string> {
    const children = new Map<string, string[]>();
    for (const r of this.rows('UserRole')) {
      const parent = r.ParentRoleId as string | null;
      if (parent) children.set(parent, [...(children.get(parent) ?? []), r.Id as string]);
    }
    const out = new Set<string>([roleId]);
    const queue = [roleId];
    while (queue.length) {
      for (const c of children.get(queue.pop()!) ?? []) {
        if (!out.has(c)) {
          out.add(c);
          queue.push(c);
        }
      }
    }
    return out;
  }
}

function specificity(key: string): number {
  if (key === '*') return 0;
  return key.endsWith('.*') ? 1 : 2;
}

export function isPermissionField(name: string): boolean {
  return (PERMISSION_FIELDS as readonly string[]).includes(name);
}
