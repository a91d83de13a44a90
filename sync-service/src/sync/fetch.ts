import type { QueryPage as SessionPage, SalesforceSession } from '../salesforce/connection.js';
import { isSystemUser } from './system-users.js';

/** A Salesforce user as the sync keeps it (the salesforce_users mirror row, camelCased). */
export interface SfUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  title: string;
  roleId: string | null;
  managerId: string | null;
  isActive: boolean;
  userType: string | null;
  license: string | null;
  modstamp: string | null;
  /** UserLogin.IsFrozen (frozen users stay IsActive); set by the run from its frozen-user read, never stored. */
  frozen?: boolean;
}

export interface SfRole {
  id: string;
  name: string;
  developerName: string | null;
  parentId: string | null;
  modstamp: string | null;
}

/** What the sync reads of User and UserRole; a field the gate reports unreadable is left out, never breaking a query. */
export const USER_FIELDS = [
  'Id',
  'FirstName',
  'LastName',
  'Email',
  'Title',
  'UserRoleId',
  'ManagerId',
  'IsActive',
  'UserType',
  'Username',
  'Profile.Name',
  'Profile.UserLicense.Name',
  'SystemModstamp',
] as const;
export const ROLE_FIELDS = ['Id', 'Name', 'DeveloperName', 'ParentRoleId', 'PortalType', 'SystemModstamp'] as const;

export type FieldFilter = (object: 'User' | 'UserRole', fields: readonly string[]) => string[];
export const allFields: FieldFilter = (_o, fields) => [...fields];

const userSoql = (filter: FieldFilter, where = '') =>
  `SELECT ${filter('User', USER_FIELDS).join(', ')} FROM User${where} ORDER BY SystemModstamp, Id`;
const roleSoql = (filter: FieldFilter, where = '') =>
  `SELECT ${filter('UserRole', ROLE_FIELDS).join(', ')} FROM UserRole WHERE PortalType = 'None'${where} ORDER BY SystemModstamp, Id`;

/** A User record as the REST API returns it: only the fields the gate let through are present. */
export interface UserRecord {
  Id: string;
  Username?: string | null;
  Email?: string | null;
  FirstName?: string | null;
  LastName?: string | null;
  Title?: string | null;
  UserRoleId?: string | null;
  ManagerId?: string | null;
  IsActive?: boolean;
  UserType?: string | null;
  Profile?: { Name?: string | null; UserLicense?: { Name?: string | null } | null } | null;
  SystemModstamp?: string | null;
}

/** A UserRole record as the REST API returns it. */
export interface RoleRecord {
  Id: string;
  Name: string;
  DeveloperName?: string | null;
  ParentRoleId?: string | null;
  SystemModstamp?: string | null;
}

interface SalesforceErrorBody {
  message?: string;
  errorCode?: string;
}

/** One page of a query (and of /composite's query subrequests). */
interface QueryPage<T> {
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

export function toSfUser(r: UserRecord): SfUser {
  return {
    id: r.Id,
    email: String(r.Email ?? ''),
    firstName: r.FirstName ?? '',
    lastName: r.LastName ?? '',
    title: r.Title ?? '',
    roleId: r.UserRoleId ?? null,
    managerId: r.ManagerId ?? null,
    isActive: r.IsActive === true,
    userType: r.UserType ?? null,
    license: r.Profile === undefined ? 'unknown' : (r.Profile?.UserLicense?.Name ?? null),
    modstamp: r.SystemModstamp ?? null,
  };
}

export function toSfRole(r: RoleRecord): SfRole {
  return {
    id: r.Id,
    name: r.Name,
    developerName: r.DeveloperName ?? null,
    parentId: r.ParentRoleId ?? null,
    modstamp: r.SystemModstamp ?? null,
  };
}

export interface Snapshot {
  users: SfUser[];
  roles: SfRole[];
  /** Ids of the frozen users (UserLogin.IsFrozen); null when UserLogin could not be read. */
  frozenIds?: string[] | null;
}

/** People only: never the integration user itself, nor Salesforce's own automation and integration users. */
const people = (session: SalesforceSession, rows: UserRecord[]) => {
  const integration = session.identity()?.userId ?? null;
  return rows.filter((r) => !isSystemUser(r, integration)).map(toSfUser);
};

const FROZEN_SOQL = 'SELECT UserId FROM UserLogin WHERE IsFrozen = true';
/** The run's warning when UserLogin is unreadable: Salesforce lets only users with Manage Users read it. */
export const FROZEN_UNKNOWN =
  'The integration user cannot read UserLogin (Salesforce requires "Manage Users" for it), so frozen users are not seen: they are not suspended, and users suspended as frozen stay suspended.';

/**
 * Every internal role and every standard user, all pages: ceil(rows / 2000) calls per object in all, the frozen users
 * free, since the first page of each comes in one /composite call. Only the full read filters on UserType: the
 * incremental read stays unfiltered, so a user who turns into another type is seen (and suspended).
 */
export async function fetchAll(session: SalesforceSession, filter: FieldFilter = allFields): Promise<Snapshot> {
  const base = `/services/data/v${session.apiVersion}`;
  const q = (soql: string) => `${base}/query?q=${encodeURIComponent(soql)}`;
  const roleQuery = roleSoql(filter);
  const userQuery = userSoql(filter, " WHERE UserType = 'Standard'");
  const first = await session.composite([
    { referenceId: 'roles', url: q(roleQuery) },
    { referenceId: 'users', url: q(userQuery) },
    { referenceId: 'frozen', url: q(FROZEN_SOQL) },
  ]);
  // A first page that failed is asked for again on its own: its error is then explained like any query's.
  const all = <T>(ref: string, soql: string) => {
    const sub = first[ref];
    return session.queryAll<T>(soql, sub && sub.status < 300 ? (sub.body as SessionPage<T>) : undefined);
  };
  const roles = await all<RoleRecord>('roles', roleQuery);
  const users = await all<UserRecord>('users', userQuery);
  // UserLogin unreadable: the frozen state is unknown (null), never an error.
  const frozen =
    first.frozen && first.frozen.status < 300
      ? await all<{ UserId: string }>('frozen', FROZEN_SOQL).catch(() => null)
      : null;
  return {
    roles: roles.map(toSfRole),
    users: people(session, users),
    frozenIds: frozen ? frozen.map((r) => r.UserId) : null,
  };
}

export interface Changes extends Snapshot {
  /** Role ids Salesforce reports deleted in the window, or null when /deleted could not answer. */
  deletedRoleIds: string[] | null;
  deletedCoveredUntil: string | null;
}

/** Salesforce's datetime literal in SOQL (UTC, no quotes). */
export const soqlDateTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The changes since the cursors in one /composite call (one API call when idle): users and roles modified at or
 * after cursor minus the overlap (rows become visible a few seconds after their SystemModstamp), and roles deleted
 * in the window. Only a page beyond the first 2,000 rows costs more.
 */
export async function fetchChanges(
  session: SalesforceSession,
  /** `deleted` null: the window is older than /deleted keeps (15 days), so the caller compares role ids instead. */
  since: { user: Date; role: Date; deleted: Date | null },
  filter: FieldFilter = allFields,
): Promise<Changes> {
  const base = `/services/data/v${session.apiVersion}`;
  const q = (soql: string) => `${base}/query?q=${encodeURIComponent(soql)}`;
  const now = new Date();
  // /deleted has minute resolution and wants a window of at least a minute. The end is a little ahead of our clock:
  // Salesforce answers up to its own now (latestDateCovered), so a skewed clock never hides a deletion (verify).
  const end = new Date(now.getTime() + 120_000);
  const deleted = since.deleted
    ? [
        {
          referenceId: 'deleted',
          url: `${base}/sobjects/UserRole/deleted/?start=${encodeURIComponent(new Date(Math.min(since.deleted.getTime(), now.getTime() - 120_000)).toISOString())}&end=${encodeURIComponent(end.toISOString())}`,
        },
      ]
    : [];
  const userQuery = userSoql(filter, ` WHERE SystemModstamp >= ${soqlDateTime(since.user)}`);
  const roleQuery = roleSoql(filter, ` AND SystemModstamp >= ${soqlDateTime(since.role)}`);
  const res = await session.composite([
    { referenceId: 'users', url: q(userQuery) },
    { referenceId: 'roles', url: q(roleQuery) },
    ...deleted,
    // Freezing changes UserLogin, not the User's SystemModstamp: the frozen set is read whole on every poll.
    { referenceId: 'frozen', url: q(FROZEN_SOQL) },
  ]);
  const users = await rest<UserRecord>(session, res.users, 'User', userQuery);
  const roles = await rest<RoleRecord>(session, res.roles, 'UserRole', roleQuery);
  // UserRole's getDeleted answer (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm).
  const del = res.deleted as
    { status: number; body: { deletedRecords?: { id: string }[]; latestDateCovered?: string } } | undefined;
  const deletedOk = del && del.status < 300;
  const frozen =
    res.frozen && res.frozen.status < 300
      ? await rest<{ UserId: string }>(session, res.frozen, 'UserLogin', FROZEN_SOQL)
      : null;
  return {
    users: people(session, users),
    roles: roles.map(toSfRole),
    frozenIds: frozen ? frozen.map((r) => r.UserId) : null,
    deletedRoleIds: deletedOk ? (del.body.deletedRecords ?? []).map((r) => r.id) : null,
    deletedCoveredUntil: deletedOk ? (del.body.latestDateCovered ?? null) : null,
  };
}

/**
 * A composite query result as every record: follows nextRecordsUrl (through the counting, retrying session). When
 * the locator expires mid-pagination the query is read again from its start, outside the composite.
 */
async function rest<T>(
  session: SalesforceSession,
  sub: { status: number; body: unknown } | undefined,
  what: string,
  soql: string,
): Promise<T[]> {
  if (!sub || sub.status >= 300) {
    const body = sub?.body as SalesforceErrorBody | SalesforceErrorBody[] | undefined;
    const e = Array.isArray(body) ? body[0] : body;
    const err = Object.assign(new Error(`${what} query failed: ${e?.message ?? sub?.status}`), {
      errorCode: e?.errorCode ?? 'UNKNOWN',
    });
    throw err;
  }
  let page = sub.body as QueryPage<T>;
  const rows: T[] = [...page.records];
  try {
    while (!page.done && page.nextRecordsUrl) {
      page = await session.conn.request<QueryPage<T>>(page.nextRecordsUrl);
      for (const r of page.records) rows.push(r);
    }
  } catch (err) {
    if ((err as { errorCode?: string }).errorCode !== 'INVALID_QUERY_LOCATOR') throw err;
    return session.queryAll<T>(soql);
  }
  return rows;
}

/**
 * Every active standard user id (the periodic reconcile: users who became visible without a SystemModstamp change,
 * e.g. after a sharing change, are never in an incremental read). ceil(users / 2000) calls.
 */
export async function fetchUserIds(session: SalesforceSession): Promise<string[]> {
  const rows = await session.queryAll<{ Id: string }>(
    "SELECT Id FROM User WHERE UserType = 'Standard' AND IsActive = true ORDER BY Id",
  );
  return rows.map((r) => r.Id);
}

/** Those users in full (the fields the gate allows), 200 ids per query. */
export async function fetchUsersById(
  session: SalesforceSession,
  ids: string[],
  filter: FieldFilter = allFields,
): Promise<SfUser[]> {
  const out: SfUser[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    const list = ids
      .slice(i, i + 200)
      .map((id) => `'${id.replace(/[^A-Za-z0-9]/g, '')}'`)
      .join(', ');
    out.push(...people(session, await session.queryAll<UserRecord>(userSoql(filter, ` WHERE Id IN (${list})`))));
  }
  return out;
}

/** /sobjects/X/deleted answers at most this far back (REST API Developer Guide, "sObject Get Deleted"). */
export const DELETED_KEPT_MS = 15 * 86_400_000;

/** Every internal role id (the fallback when /deleted cannot answer). */
export async function fetchRoleIds(session: SalesforceSession): Promise<string[]> {
  const rows = await session.queryAll<{ Id: string }>("SELECT Id FROM UserRole WHERE PortalType = 'None'");
  return rows.map((r) => r.Id);
}
