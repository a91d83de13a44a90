import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CRUD_OBJECTS, FEATURES, PERMISSION_FIELDS, STANDARD_OBJECTS } from './catalog.js';

const Id = z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, 'must be a 15- or 18-character Salesforce id');
const DateTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))), 'must be an ISO datetime');
const Permissions = z.partialRecord(z.enum(PERMISSION_FIELDS), z.boolean());

const ObjectPermission = z.strictObject({
  read: z.boolean().optional(),
  create: z.boolean().optional(),
  edit: z.boolean().optional(),
  delete: z.boolean().optional(),
  viewAll: z.boolean().optional(),
  modifyAll: z.boolean().optional(),
  viewAllFields: z.boolean().optional(),
});
export type ObjectPermissionFixture = z.infer<typeof ObjectPermission>;

const objectKey = z.enum(['*', ...CRUD_OBJECTS] as [string, ...string[]], {
  error: `must be '*' or an object with object permissions (${CRUD_OBJECTS.join(', ')})`,
});
const fieldKey = z
  .string()
  .regex(/^(\*|[A-Za-z0-9_]+\.(\*|[A-Za-z0-9_]+))$/, "must be 'Object.Field', 'Object.*' or '*'");

/** What profiles and permission sets both carry. */
const Grants = {
  permissions: Permissions.default({}),
  objectPermissions: z.partialRecord(objectKey, ObjectPermission).default({}),
  fieldPermissions: z.record(fieldKey, z.enum(['read', 'edit', 'none'])).default({}),
};

const Profile = z.strictObject({
  Id,
  Name: z.string().min(1),
  Description: z.string().optional(),
  UserLicenseId: Id,
  UserType: z.string().default('Standard'),
  ...Grants,
});

const PermissionSet = z.strictObject({
  Id,
  Name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be an API name'),
  Label: z.string().min(1),
  Description: z.string().optional(),
  ...Grants,
});

const PermissionSetGroup = z.strictObject({
  Id,
  DeveloperName: z.string().min(1),
  MasterLabel: z.string().min(1),
  Status: z.enum(['Updated', 'Outdated', 'Updating', 'Failed']).default('Updated'),
  permissionSets: z.array(Id),
  /** What the group's muting permission set removes. */
  muted: z
    .strictObject({
      permissions: z.array(z.enum(PERMISSION_FIELDS)).default([]),
      fields: z.array(fieldKey).default([]),
    })
    .optional(),
});

const Assignment = z.union([Id, z.strictObject({ id: Id, expirationDate: DateTime.optional() })]);

const Role = z.strictObject({
  Id,
  Name: z.string().min(1),
  DeveloperName: z.string().optional(),
  ParentRoleId: Id.nullable().default(null),
  PortalType: z.enum(['None', 'Partner', 'CustomerPortal']).default('None'),
});

export const UserFixtureSchema = z
  .object({
    Id,
    FirstName: z.string().nullable().optional(),
    LastName: z.string().min(1),
    Email: z.email(),
    Username: z.string().optional(),
    Title: z.string().nullable().optional(),
    Department: z.string().nullable().optional(),
    UserRoleId: Id.nullable().default(null),
    ManagerId: Id.nullable().default(null),
    IsActive: z.boolean().default(true),
    UserType: z
      .enum([
        'Standard',
        'PowerPartner',
        'CspLitePortal',
        'CustomerSuccess',
        'PowerCustomerSuccess',
        'CsnOnly',
        'Guest',
        'AutomatedProcess',
      ])
      .default('Standard'),
    ProfileId: Id.nullable(),
    ContactId: Id.nullable().default(null),
    permissionSets: z.array(Assignment).default([]),
    permissionSetGroups: z.array(Assignment).default([]),
  })
  .catchall(z.unknown());

const Organization = z
  .object({
    Id,
    Name: z.string().min(1),
    OrganizationType: z.string().default('Enterprise Edition'),
    DefaultAccountAccess: z.string().default('Read'),
    DefaultContactAccess: z.string().default('ControlledByParent'),
    DefaultLeadAccess: z.string().default('ReadEditTransfer'),
    DefaultOpportunityAccess: z.string().default('None'),
    DefaultCalendarAccess: z.string().default('HideDetailsInsert'),
    /** Org-wide default for internal users (Setup > Sharing Settings): not a field of Organization. */
    internalUserAccess: z.enum(['Read', 'Private']).default('Read'),
    multiCurrency: z.boolean().default(false),
    corporateCurrency: z.string().default('USD'),
  })
  .catchall(z.unknown());

const Record = z.object({ Id }).catchall(z.unknown());
const CustomField = z.strictObject({
  name: z.string().regex(/__c$/, "must end in '__c'"),
  type: z.string(),
  referenceTo: z.array(z.string()).optional(),
});

export const OrgFixtureSchema = z
  .strictObject({
    organization: Organization,
    licenses: z.array(
      z
        .object({
          Id,
          Name: z.string(),
          LicenseDefinitionKey: z.string(),
          Status: z.string().default('Active'),
          TotalLicenses: z.number().int().default(100),
        })
        .catchall(z.unknown()),
    ),
    profiles: z.array(Profile),
    permissionSets: z.array(PermissionSet).default([]),
    permissionSetGroups: z.array(PermissionSetGroup).default([]),
    roles: z.array(Role),
    users: z.array(UserFixtureSchema),
    /** The user the credentials log in as (JWT subject, refresh token, client credentials run-as). */
    integrationUser: Id,
    /** The External Client App (or connected app) the credentials belong to, with its OAuth policies. */
    connectedApp: z
      .strictObject({
        clientId: z.string(),
        clientSecret: z.string(),
        /** "Require secret for Refresh Token Flow": on by default for new apps. */
        requireSecretForRefresh: z.boolean().default(true),
        /** "Enable Refresh Token Rotation": each refresh returns a new refresh token and the old one dies. */
        refreshTokenRotation: z.boolean().default(false),
        /** Scopes granted to tokens; the UserInfo endpoint needs `openid`. */
        scopes: z.array(z.string()).default(['api', 'refresh_token']),
      })
      .optional(),
    /** Features on in the org (default: all): their objects and fields are absent from describeGlobal when off. */
    features: z.partialRecord(z.enum(FEATURES), z.boolean()).default({}),
    /** Installed managed packages: a namespaced custom field (`ns__Field__c`) exists only with its package. */
    installedPackages: z
      .array(z.strictObject({ NamespacePrefix: z.string().min(1), Status: z.string().default('Active') }))
      .default([]),
    /** Experience Cloud site URLs: each is a valid JWT audience besides login/test.salesforce.com. */
    experienceSites: z.array(z.string()).default([]),
    customFields: z.partialRecord(z.enum(STANDARD_OBJECTS as [string, ...string[]]), z.array(CustomField)).default({}),
    records: z.partialRecord(z.enum(STANDARD_OBJECTS as [string, ...string[]]), z.array(Record)).default({}),
  })
  .superRefine((org, ctx) => {
    const ids = (rows: { Id: string }[]) => new Set(rows.map((r) => r.Id));
    const roles = ids(org.roles);
    const profiles = ids(org.profiles);
    const users = ids(org.users);
    const licenses = ids(org.licenses);
    const sets = ids(org.permissionSets);
    const groups = ids(org.permissionSetGroups);
    const check = (ok: boolean, path: (string | number)[], message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path, message });
    };
    org.profiles.forEach((p, i) =>
      check(licenses.has(p.UserLicenseId), ['profiles', i, 'UserLicenseId'], `no license with Id ${p.UserLicenseId}`),
    );
    org.roles.forEach((r, i) =>
      check(
        r.ParentRoleId === null || roles.has(r.ParentRoleId),
        ['roles', i, 'ParentRoleId'],
        `no role with Id ${r.ParentRoleId}`,
      ),
    );
    org.permissionSetGroups.forEach((g, i) =>
      g.permissionSets.forEach((s, j) =>
        check(sets.has(s), ['permissionSetGroups', i, 'permissionSets', j], `no permission set with Id ${s}`),
      ),
    );
    org.users.forEach((u, i) => {
      check(
        u.UserRoleId === null || roles.has(u.UserRoleId),
        ['users', i, 'UserRoleId'],
        `no role with Id ${u.UserRoleId}`,
      );
      check(
        u.ProfileId === null || profiles.has(u.ProfileId),
        ['users', i, 'ProfileId'],
        `no profile with Id ${u.ProfileId}`,
      );
      check(
        u.ManagerId === null || users.has(u.ManagerId),
        ['users', i, 'ManagerId'],
        `no user with Id ${u.ManagerId}`,
      );
      u.permissionSets.forEach((a, j) => {
        const id = typeof a === 'string' ? a : a.id;
        check(sets.has(id), ['users', i, 'permissionSets', j], `no permission set with Id ${id}`);
      });
      u.permissionSetGroups.forEach((a, j) => {
        const id = typeof a === 'string' ? a : a.id;
        check(groups.has(id), ['users', i, 'permissionSetGroups', j], `no permission set group with Id ${id}`);
      });
    });
    check(users.has(org.integrationUser), ['integrationUser'], `no user with Id ${org.integrationUser}`);
  });

export type OrgFixture = z.input<typeof OrgFixtureSchema>;
export type ParsedOrg = z.output<typeof OrgFixtureSchema>;

export class FixtureError extends Error {
  constructor(
    readonly issues: { path: string; message: string }[],
    source: string,
  ) {
    super(
      `Invalid org fixture${source ? ` ${source}` : ''}:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
    this.name = 'FixtureError';
  }
}

/** Validates a fixture (object or path to JSON); a bad one throws FixtureError naming each bad field's path. */
export function loadFixture(org: OrgFixture | string): ParsedOrg {
  const source = typeof org === 'string' ? org : '';
  const raw: unknown = typeof org === 'string' ? JSON.parse(readFileSync(org, 'utf8')) : org;
  const parsed = OrgFixtureSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FixtureError(
      parsed.error.issues.map((issue) => ({
        path:
          issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') ||
          '(root)',
        message: issue.message,
      })),
      source,
    );
  }
  return parsed.data;
}
