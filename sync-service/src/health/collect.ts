import { explainSalesforceError } from '../salesforce/errors.js';
import type { Connection } from 'jsforce';
import {
  CountingClient,
  errorCodeOf,
  messageOf,
  recordsOf,
  soqlString,
  type DescribeBody,
  type DescribeGlobalBody,
  type QueryPage,
  type SubResult,
  type UserInfo,
} from './client.js';
import {
  SYSTEM_PERMISSION_FIELDS,
  manifestObjects,
  multiCurrencyOnlyObjects,
  objectPermissionFields,
  objectRequirements,
  activityPermission,
  type SystemPermission,
} from './requirements.js';

/** Everything the check learns about the integration user, in three billed API calls (plus any further query pages). */
export interface Facts {
  apiCalls: number;
  user: UserFacts;
  /** Permission set assignments (profile, sets, groups), expired ones dropped; null when unreadable. */
  grants: Grant[] | null;
  grantsError: string | null;
  /** The running user's effective permissions (no View Setup needed); null when unreadable. */
  userPermissions: Partial<Record<SystemPermission, boolean>> | null;
  objectPermissions: ObjectPermissionRow[] | null;
  /** Organization's Default*Access values; null when unreadable. */
  sharing: Record<string, string> | null;
  globalObjects: Set<string>;
  multiCurrency: boolean;
  /** Namespaces of the installed managed packages (PackageLicense); null when unreadable. */
  installedNamespaces: Set<string> | null;
  /** Per object: its describe (fields the user can read), or null when the user cannot see the object. */
  describes: Map<string, ObjectDescribe | null>;
}

export interface UserFacts {
  id: string;
  username: string | null;
  name: string | null;
  active: boolean | null;
  profileName: string | null;
  /** Whether the profile is custom (editable); null when unknown. */
  customProfile: boolean | null;
  license: string | null;
  role: { id: string; name: string; parentRoleId: string | null } | null;
  hasRole: boolean | null;
  /** Roles without a parent, for the fix; null when roles cannot be read. */
  topRoles: { id: string; name: string }[] | null;
}

export type GrantSource = { kind: 'profile' | 'permissionSet' | 'permissionSetGroup'; name: string };
export interface Grant {
  permissionSetId: string;
  source: GrantSource;
  /** For the profile's own set: whether the profile is custom (editable), when the org says. */
  custom?: boolean;
  permissions: Partial<Record<SystemPermission, boolean>>;
  /** A permission set group whose Status is not 'Updated': its grants are not counted. */
  stale?: string;
}

export interface ObjectPermissionRow {
  ParentId: string;
  SobjectType: string;
  [permission: string]: unknown;
}

export interface ObjectDescribe {
  fields: Set<string>;
  queryable: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
}

/** The check cannot run as a whole: which, why, and what could still be learned. */
export class CheckUnavailable extends Error {
  constructor(
    readonly reason: 'bad_credentials' | 'api_disabled' | 'unreachable',
    message: string,
    readonly apiCalls: number,
    readonly userinfo: UserInfo | null,
  ) {
    super(message);
  }
}

const BAD_CREDENTIALS = new Set([
  'INVALID_SESSION_ID',
  'INVALID_AUTH_HEADER',
  'invalid_grant',
  'invalid_client',
  'invalid_token',
  'ERROR_HTTP_401',
  'ERROR_HTTP_403',
]);
const API_DISABLED = new Set(['API_DISABLED_FOR_ORG', 'API_CURRENTLY_DISABLED', 'FUNCTIONALITY_NOT_ENABLED']);

/** Why Salesforce refused the check as a whole (also for errors the org's client already explained). */
export function classify(err: unknown, calls: number, userinfo: UserInfo | null): CheckUnavailable {
  const problem = (err as { problem?: string }).problem;
  // A spent API allowance (or the concurrent limit) says nothing about the integration user: no result is kept.
  if (problem === 'limit_exceeded' || problem === 'concurrent_limit' || errorCodeOf(err) === 'REQUEST_LIMIT_EXCEEDED')
    throw explainSalesforceError(err);
  if (problem === 'bad_credentials' || problem === 'api_disabled')
    return new CheckUnavailable(problem, messageOf(err), calls, userinfo);
  const code = errorCodeOf(err);
  if (API_DISABLED.has(code))
    return new CheckUnavailable('api_disabled', `${code}: ${messageOf(err)}`, calls, userinfo);
  if (BAD_CREDENTIALS.has(code))
    return new CheckUnavailable('bad_credentials', `${code}: ${messageOf(err)}`, calls, userinfo);
  return new CheckUnavailable('unreachable', `${code}: ${messageOf(err)}`, calls, userinfo);
}

// Each composite answer is the body of what was asked for it: a describe, describeGlobal or a query page.
const describeOf = (sub: SubResult & { ok: true }) => sub.body as DescribeBody;
const firstRecord = <T>(sub: SubResult | undefined): T | null =>
  sub?.ok ? ((sub.body as QueryPage<T>).records[0] ?? null) : null;

const fieldNames = (describe: SubResult) =>
  new Set<string>(describe.ok ? describeOf(describe).fields.map((f) => f.name) : []);

/** What the check reads of the integration user's User record. */
interface UserRecord {
  Username?: string;
  Name?: string;
  IsActive?: boolean;
  UserRoleId?: string | null;
  Profile?: { Name?: string; UserLicense?: { Name?: string } } | null;
}

/** A PermissionSetAssignment with its set's (or group's) fields, as grantQuery reads it. */
interface AssignmentRecord {
  PermissionSetId: string;
  ExpirationDate?: string | null;
  PermissionSetGroupId?: string | null;
  PermissionSetGroup?: { MasterLabel?: string; Status?: string } | null;
  PermissionSet?: PermissionSetFields | null;
}

interface PermissionSetFields {
  Name: string;
  Label?: string;
  Type?: string;
  IsOwnedByProfile?: boolean;
  IsCustom?: boolean;
  Profile?: { Name?: string } | null;
  [permission: string]: unknown;
}

/** The PSA columns to read: the permission set's own system permission fields, where the org has them. */
function grantQuery(userId: string, psa: Set<string>, ps: Set<string>) {
  const cols = ['Id', 'PermissionSetId', 'PermissionSet.Name', 'PermissionSet.Label'];
  for (const f of ['Type', 'IsOwnedByProfile', 'IsCustom']) if (ps.has(f)) cols.push(`PermissionSet.${f}`);
  if (ps.has('ProfileId')) cols.push('PermissionSet.Profile.Name');
  if (psa.has('ExpirationDate')) cols.push('ExpirationDate');
  if (psa.has('PermissionSetGroupId'))
    cols.push('PermissionSetGroupId', 'PermissionSetGroup.MasterLabel', 'PermissionSetGroup.Status');
  for (const p of SYSTEM_PERMISSION_FIELDS) if (ps.has(p)) cols.push(`PermissionSet.${p}`);
  return `SELECT ${cols.join(', ')} FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)}`;
}

function toGrant(row: AssignmentRecord, now: number): Grant | null {
  if (row.ExpirationDate && Date.parse(row.ExpirationDate) <= now) return null;
  // Salesforce always names the set (a required lookup); an empty one only guards a malformed answer.
  const set = row.PermissionSet ?? ({} as PermissionSetFields);
  const source: GrantSource =
    set.IsOwnedByProfile || set.Type === 'Profile'
      ? { kind: 'profile', name: set.Profile?.Name ?? set.Label ?? set.Name }
      : set.Type === 'Group' || row.PermissionSetGroupId
        ? { kind: 'permissionSetGroup', name: row.PermissionSetGroup?.MasterLabel ?? set.Label ?? set.Name }
        : { kind: 'permissionSet', name: set.Label ?? set.Name };
  // A group's aggregate is trusted only once recalculated (Status 'Updated'); while Outdated, Updating or Failed
  // its grants are not counted.
  const groupStatus = row.PermissionSetGroup?.Status ?? null;
  const stale = source.kind === 'permissionSetGroup' && groupStatus !== null && groupStatus !== 'Updated';
  const permissions = stale
    ? {}
    : Object.fromEntries(SYSTEM_PERMISSION_FIELDS.filter((p) => p in set).map((p) => [p, set[p] === true]));
  return {
    permissionSetId: row.PermissionSetId,
    source,
    permissions,
    ...(stale ? { stale: groupStatus } : {}),
    ...(typeof set.IsCustom === 'boolean' ? { custom: set.IsCustom } : {}),
  };
}

export async function collectFacts(conn: Connection, now = Date.now()): Promise<Facts> {
  const sf = new CountingClient(conn);

  // 1: describeGlobal, the permission objects' describes, sharing defaults, the manifest's object describes.
  // A data call comes first so an expired session is refreshed before userinfo (which cannot refresh it).
  const describeFirst = manifestObjects.filter((o) => !(multiCurrencyOnlyObjects as readonly string[]).includes(o));
  let a: Record<string, SubResult>;
  try {
    a = await sf.composite({
      global: sf.describeGlobalRequest(),
      ps: sf.describeRequest('PermissionSet'),
      psa: sf.describeRequest('PermissionSetAssignment'),
      org: sf.queryRequest(
        `SELECT ${Object.values(objectRequirements)
          .map((o) => o.sharingField)
          .join(', ')} FROM Organization`,
      ),
      packages: sf.queryRequest('SELECT NamespacePrefix FROM PackageLicense'),
      ...Object.fromEntries(describeFirst.map((o) => [`d_${o}`, sf.describeRequest(o)])),
    });
  } catch (err) {
    // Refused as a whole: learn what userinfo still tells (it is not part of the REST API).
    throw classify(err, sf.apiCalls, await sf.userinfo().catch(() => null));
  }
  if (!a.global?.ok)
    throw classify(
      Object.assign(new Error(a.global?.message), a.global),
      sf.apiCalls,
      await sf.userinfo().catch(() => null),
    );
  const globalObjects = new Set<string>((a.global.body as DescribeGlobalBody).sobjects.map((s) => s.name));
  const multiCurrency = globalObjects.has('CurrencyType');
  const packages = await recordsOf<{ NamespacePrefix: string | null }>(sf, a.packages);
  const installedNamespaces = packages.ok
    ? new Set(packages.body.map((p) => String(p.NamespacePrefix ?? '').toLowerCase()).filter(Boolean))
    : null;
  const psFields = fieldNames(a.ps!);

  // who am I: the identity URL of the token response names the user; only a token without one asks the identity service
  let info: UserInfo = {};
  if (sf.userId === null) {
    try {
      info = await sf.userinfo();
    } catch (err) {
      throw classify(err, sf.apiCalls, null);
    }
  }
  const userId = String(sf.userId ?? info.user_id);

  // 2: the user and its role (and the roles at the top), assignments with their sets' system permissions,
  // effective permissions, and the currency objects' describes
  const upaFields = SYSTEM_PERMISSION_FIELDS.filter((p) => psFields.size === 0 || psFields.has(p));
  const b = await sf
    .composite({
      user: sf.queryRequest(
        `SELECT Id, Username, Name, IsActive, UserRoleId, Profile.Name, Profile.UserLicense.Name FROM User WHERE Id = ${soqlString(userId)}`,
      ),
      roles: sf.queryRequest(
        `SELECT Id, Name, ParentRoleId FROM UserRole WHERE ParentRoleId = null OR Id = '@{user.records[0].UserRoleId}'`,
      ),
      ...(a.ps?.ok ? { grants: sf.queryRequest(grantQuery(userId, fieldNames(a.psa!), psFields)) } : {}),
      upa: sf.queryRequest(`SELECT ${upaFields.join(', ')} FROM UserPermissionAccess`),
      ...Object.fromEntries(
        multiCurrencyOnlyObjects.filter((o) => globalObjects.has(o)).map((o) => [`d_${o}`, sf.describeRequest(o)]),
      ),
    })
    .catch((err: unknown) => {
      throw classify(err, sf.apiCalls, info);
    });
  const user = firstRecord<UserRecord>(b.user);
  const roleId: string | null = user?.UserRoleId ?? null;
  const grantRows = await recordsOf<AssignmentRecord>(sf, b.grants ?? (a.ps && !a.ps.ok ? a.ps : undefined));
  const grants = grantRows.ok ? grantRows.body.map((r) => toGrant(r, now)).filter((g): g is Grant => g !== null) : null;
  const roles = await recordsOf<{ Id: string; Name: string; ParentRoleId: string | null }>(sf, b.roles);
  const upa = firstRecord<Record<string, unknown>>(b.upa);

  // 3: object permissions of those sets for the manifest's objects (activities have none)
  let objectPermissions: ObjectPermissionRow[] | null = null;
  if (grants && grants.length > 0) {
    const objects = Object.keys(objectRequirements).concat(Object.keys(activityPermission));
    const cols = ['ParentId', 'SobjectType', ...new Set(['PermissionsRead', ...Object.values(objectPermissionFields)])];
    objectPermissions = await sf
      .queryAll<ObjectPermissionRow>(
        `SELECT ${cols.join(', ')} FROM ObjectPermissions WHERE ParentId IN (${grants.map((g) => soqlString(g.permissionSetId)).join(', ')}) AND SobjectType IN (${objects.map(soqlString).join(', ')})`,
      )
      .catch(() => null);
  } else if (grants) {
    objectPermissions = [];
  }

  const describes = new Map<string, ObjectDescribe | null>();
  for (const o of manifestObjects) {
    const d = a[`d_${o}`] ?? b[`d_${o}`];
    describes.set(
      o,
      d?.ok
        ? {
            fields: fieldNames(d),
            queryable: describeOf(d).queryable !== false,
            createable: !!describeOf(d).createable,
            updateable: !!describeOf(d).updateable,
            deletable: !!describeOf(d).deletable,
          }
        : null,
    );
  }

  const ownRole = roles.ok && roleId ? roles.body.find((r) => r.Id === roleId) : undefined;
  return {
    apiCalls: sf.apiCalls,
    user: {
      id: userId,
      username: user?.Username ?? info.preferred_username ?? null,
      name: user?.Name ?? info.name ?? null,
      active: user ? user.IsActive === true : typeof info.active === 'boolean' ? info.active : null,
      profileName: user?.Profile?.Name ?? grants?.find((g) => g.source.kind === 'profile')?.source.name ?? null,
      customProfile: grants?.find((g) => g.source.kind === 'profile')?.custom ?? null,
      license: user?.Profile?.UserLicense?.Name ?? null,
      hasRole: user ? roleId !== null : null,
      role: ownRole ? { id: ownRole.Id, name: ownRole.Name, parentRoleId: ownRole.ParentRoleId ?? null } : null,
      topRoles: roles.ok ? roles.body.filter((r) => !r.ParentRoleId).map((r) => ({ id: r.Id, name: r.Name })) : null,
    },
    grants,
    grantsError: grantRows.ok ? null : `${grantRows.errorCode}: ${grantRows.message}`,
    userPermissions: upa ? Object.fromEntries(upaFields.map((p) => [p, upa[p] === true])) : null,
    objectPermissions,
    sharing: firstRecord<Record<string, string>>(a.org),
    globalObjects,
    multiCurrency,
    installedNamespaces,
    describes,
  };
}
