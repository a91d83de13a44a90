import jsforce from 'jsforce';
import type { OrgFixture } from '@roster/fake-salesforce';

/**
 * Small orgs for the health tests: an integration user whose permissions come from the path under
 * test (System Administrator, custom profile, standard profile + permission set, permission set group).
 */
export const ID = {
  org: '00D000000000001AAA',
  license: '100000000000001AAA',
  sysAdmin: '00e000000000001AAA',
  custom: '00e000000000002AAA',
  standard: '00e000000000003AAA',
  permissionSet: '0PS000000000001AAA',
  group: '0PG000000000001AAA',
  ceo: '00E000000000001AAA',
  vp: '00E000000000002AAA',
  integrationUser: '005000000000001AAA',
  rep: '005000000000002AAA',
};

export type Path = 'systemAdministrator' | 'customProfile' | 'permissionSet' | 'permissionSetGroup';

const ALL = { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true };
/** The article's object table, plus Modify All on Opportunity (private by default in the fake, as in many orgs). */
export const TABLE = {
  Account: { read: true, edit: true, viewAll: true },
  Contact: { read: true, edit: true, create: true, delete: true, viewAll: true },
  Lead: { read: true, edit: true, create: true, viewAll: true },
  Opportunity: { read: true, edit: true, viewAll: true, modifyAll: true },
};
export const SYSTEM = {
  PermissionsViewAllData: true,
  PermissionsApiEnabled: true,
  PermissionsViewAllUsers: true,
  PermissionsEditEvent: true,
  PermissionsEditTask: true,
};
const READ_ALL_FIELDS = { '*': 'read' } as const;
/** The fake's fixture schema wants every key of objectPermissions ('*' and each CRUD object); {} grants nothing. */
const objects = (grants: Record<string, Record<string, boolean>>) => ({
  '*': {},
  Account: {},
  Contact: {},
  Lead: {},
  Opportunity: {},
  ...grants,
});

export interface OrgOptions {
  path?: Path;
  /** Overrides of the granting profile's or permission set's system permissions. */
  permissions?: Record<string, boolean>;
  objectPermissions?: Record<string, Record<string, boolean>>;
  organization?: Record<string, unknown>;
  multiCurrency?: boolean;
  /** The integration user's role: the top one by default. */
  roleId?: string | null;
  /** When the permission set (or group) assignment expires. */
  expiresAt?: string;
  /** Installed managed packages (default: the article's peopleai package). */
  installedPackages?: { NamespacePrefix: string }[];
  /** Features off in the org (default: all on). */
  features?: Record<string, boolean>;
}

export function healthOrg(opts: OrgOptions = {}): OrgFixture {
  const path = opts.path ?? 'customProfile';
  const grants = {
    permissions: { ...SYSTEM, ...opts.permissions },
    objectPermissions: objects({ ...TABLE, ...opts.objectPermissions }),
    fieldPermissions: READ_ALL_FIELDS,
  };
  const none = { permissions: {}, objectPermissions: objects({}), fieldPermissions: {} };
  const assignment = (id: string) => (opts.expiresAt ? { id, expirationDate: opts.expiresAt } : id);
  const profileId = path === 'systemAdministrator' ? ID.sysAdmin : path === 'customProfile' ? ID.custom : ID.standard;
  return {
    organization: {
      Id: ID.org,
      Name: 'Health Test Org',
      DefaultAccountAccess: 'Read',
      DefaultContactAccess: 'ControlledByParent',
      DefaultLeadAccess: 'ReadEditTransfer',
      DefaultOpportunityAccess: 'None',
      multiCurrency: opts.multiCurrency ?? false,
      ...opts.organization,
    },
    licenses: [{ Id: ID.license, Name: 'Salesforce', LicenseDefinitionKey: 'SFDC' }],
    profiles: [
      {
        Id: ID.sysAdmin,
        Name: 'System Administrator',
        UserLicenseId: ID.license,
        permissions: {
          PermissionsModifyAllData: true,
          PermissionsApiEnabled: true,
          PermissionsManageUsers: true,
          ...(path === 'systemAdministrator' ? opts.permissions : {}),
        },
        objectPermissions: objects({ '*': ALL }),
        fieldPermissions: READ_ALL_FIELDS,
      },
      {
        Id: ID.custom,
        Name: 'Custom: Roster Integration',
        UserLicenseId: ID.license,
        ...(path === 'customProfile' ? grants : none),
      },
      // A standard profile cannot be edited: its users get what they need from a permission set (or a group).
      {
        Id: ID.standard,
        Name: 'Standard User',
        UserLicenseId: ID.license,
        permissions: {},
        objectPermissions: objects({}),
        fieldPermissions: READ_ALL_FIELDS,
      },
    ],
    permissionSets: [
      {
        Id: ID.permissionSet,
        Name: 'Roster_Standard_Permissions',
        Label: 'Roster Standard Permissions',
        ...(path === 'permissionSet' || path === 'permissionSetGroup' ? grants : none),
      },
    ],
    permissionSetGroups: [
      {
        Id: ID.group,
        DeveloperName: 'Roster_Integration',
        MasterLabel: 'Roster Integration',
        permissionSets: [ID.permissionSet],
      },
    ],
    roles: [
      { Id: ID.ceo, Name: 'CEO', ParentRoleId: null },
      { Id: ID.vp, Name: 'VP Sales', ParentRoleId: ID.ceo },
    ],
    users: [
      {
        Id: ID.integrationUser,
        FirstName: 'Roster',
        LastName: 'Integration User',
        Email: 'integration@example.com',
        Username: 'integration@example.com.health',
        UserRoleId: opts.roleId === undefined ? ID.ceo : opts.roleId,
        ProfileId: profileId,
        permissionSets: path === 'permissionSet' ? [assignment(ID.permissionSet)] : [],
        permissionSetGroups: path === 'permissionSetGroup' ? [assignment(ID.group)] : [],
      },
      {
        Id: ID.rep,
        FirstName: 'Rita',
        LastName: 'Rep',
        Email: 'rita@example.com',
        UserRoleId: ID.vp,
        ProfileId: ID.standard,
      },
    ],
    integrationUser: ID.integrationUser,
    installedPackages: opts.installedPackages ?? [{ NamespacePrefix: 'peopleai' }],
    ...(opts.features ? { features: opts.features } : {}),
    customFields: {
      Task: [{ name: 'peopleai__Created_by_PeopleAI__c', type: 'boolean' }],
      Event: [{ name: 'peopleai__Created_by_PeopleAI__c', type: 'boolean' }],
    },
  } as OrgFixture;
}

/** The profile, permission set or group that grants the integration user its permissions, per path. */
export const granterOf = (path: Path) =>
  path === 'systemAdministrator'
    ? ID.sysAdmin
    : path === 'customProfile'
      ? ID.custom
      : path === 'permissionSet'
        ? ID.permissionSet
        : ID.group;

/** A jsforce connection as the integration user, authorized through the fake's refresh token. */
export async function connectAsIntegrationUser(fake: {
  url: string;
  credentials: { clientId: string; clientSecret: string; refreshToken: string };
}) {
  const conn = new jsforce.Connection({
    instanceUrl: fake.url,
    loginUrl: fake.url,
    version: '62.0',
    oauth2: {
      clientId: fake.credentials.clientId,
      clientSecret: fake.credentials.clientSecret,
      loginUrl: fake.url,
      redirectUri: `${fake.url}/callback`,
    },
    refreshToken: fake.credentials.refreshToken,
  });
  const token = await conn.oauth2.refreshToken(fake.credentials.refreshToken);
  conn.accessToken = token.access_token;
  // As the service does: who the session runs as comes from the token response's identity URL.
  const [, orgId, userId] = /\/id\/([^/]+)\/([^/]+)$/.exec(token.id as string) ?? [];
  conn.userInfo = { id: userId!, organizationId: orgId!, url: token.id as string };
  return conn;
}
