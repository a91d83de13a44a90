import type { DataApi } from './api.js';
import type { Rec } from './catalog.js';
import { PERMISSION_FIELDS } from './catalog.js';
import type { FaultSpec, Faults } from './faults.js';
import { UserFixtureSchema, type ObjectPermissionFixture } from './fixture.js';
import type { Auth } from './oauth.js';
import type { OrgStore } from './org.js';

export interface CallLog {
  total: number;
  byRoute: Map<string, number>;
  requests: { method: string; path: string; route: string; status: number }[];
}

type UserInput = Partial<Rec> & { LastName: string; Email: string; ProfileId: string | null };
type DateInput = Date | string | number | null;
const toMs = (d: DateInput): number | null =>
  d === null ? null : d instanceof Date ? d.getTime() : typeof d === 'number' ? d : Date.parse(d);

/** The control API: what a test (or the demo) does to the org and the server, outside Salesforce's surface. */
export function createControl(org: OrgStore, api: DataApi, auth: Auth, faults: Faults, calls: CallLog) {
  const role = (id: string) => {
    const found = org.require(id);
    if (found.type !== 'UserRole') throw new Error(`${id} is not a role`);
    return found.rec;
  };
  const user = (idOrUsername: string) => {
    const found = org.get(idOrUsername) ?? {
      type: 'User',
      rec: org.rows('User').find((u) => u.Username === idOrUsername),
    };
    if (found.type !== 'User' || !found.rec) throw new Error(`No user ${idOrUsername}`);
    return found.rec;
  };
  const permissionSetId = (parentId: string) => org.permissionSetFor(parentId).Id as string;

  return {
    /** Adds a user (fixture shape, Id optional); returns its Id. */
    addUser(input: UserInput): string {
      const parsed = UserFixtureSchema.parse({ Id: org.newId('005'), ...input }) as Rec;
      return org.addUser(parsed).Id as string;
    },
    updateUser(id: string, patch: Rec): void {
      user(id);
      org.update(id, patch);
    },
    deactivateUser(id: string): void {
      org.update(user(id).Id as string, { IsActive: false });
    },
    activateUser(id: string): void {
      org.update(user(id).Id as string, { IsActive: true });
    },
    /** Freezes or unfreezes a user as Setup does: UserLogin.IsFrozen changes, the User row does not. */
    freezeUser(id: string, frozen = true): void {
      const uid = String(user(id).Id).slice(0, 15);
      const login = org.rows('UserLogin').find((l) => String(l.UserId).slice(0, 15) === uid);
      if (!login) throw new Error(`No UserLogin for ${id}`);
      org.update(login.Id as string, { IsFrozen: frozen });
    },
    setUserRole(userId: string, roleId: string | null): void {
      if (roleId) role(roleId);
      org.update(user(userId).Id as string, { UserRoleId: roleId });
    },
    setUserProfile(userId: string, profileId: string): void {
      const u = user(userId);
      const list = org.assignments.get(u.Id as string) ?? [];
      const old = org.profilePermissionSet.get(u.ProfileId as string);
      org.assignments.set(
        u.Id as string,
        list.filter((a) => a.permissionSetId !== old),
      );
      org.assign(u.Id as string, org.profilePermissionSet.get(profileId)!, null, null);
      org.update(u.Id as string, { ProfileId: profileId });
    },
    addRole(input: { Name: string; ParentRoleId?: string | null; Id?: string; DeveloperName?: string }): string {
      if (input.ParentRoleId) role(input.ParentRoleId);
      const rec = org.insert('UserRole', {
        DeveloperName: input.Name.replace(/\W+/g, '_'),
        PortalType: 'None',
        PortalAccountId: null,
        ParentRoleId: null,
        ...input,
      });
      org.touch(rec);
      return rec.Id as string;
    },
    renameRole(id: string, name: string): void {
      role(id);
      org.update(id, { Name: name });
    },
    reparentRole(id: string, parentId: string | null): void {
      role(id);
      if (parentId && org.roleSubtree(id).has(parentId))
        throw new Error('A role cannot report to itself or to a role below it');
      org.update(id, { ParentRoleId: parentId });
    },
    /** As in Setup: a role with users or child roles cannot be deleted. */
    deleteRole(id: string): void {
      role(id);
      if (org.rows('User').some((u) => u.UserRoleId === id))
        throw new Error('Cannot delete a role that has users assigned');
      if (org.rows('UserRole').some((r) => r.ParentRoleId === id))
        throw new Error('Cannot delete a role that has child roles');
      org.remove(id);
    },
    /** `parentId` is a permission set, a profile (its own set) or a group (its aggregate set). */
    revokeFieldPermission(parentId: string, field: string): void {
      for (const key of org.expandFieldKey(field)) org.setFieldPermission(permissionSetId(parentId), key, 'none');
    },
    grantFieldPermission(parentId: string, field: string, level: 'read' | 'edit' = 'read'): void {
      for (const key of org.expandFieldKey(field)) org.setFieldPermission(permissionSetId(parentId), key, level);
    },
    setObjectPermission(parentId: string, object: string, permissions: ObjectPermissionFixture | null): void {
      org.setObjectPermission(permissionSetId(parentId), object, permissions);
    },
    setSystemPermission(parentId: string, permission: string, value: boolean): void {
      if (!(PERMISSION_FIELDS as readonly string[]).includes(permission))
        throw new Error(`Unknown permission ${permission}`);
      org.setSystemPermission(permissionSetId(parentId), permission, value);
    },
    assignPermissionSet(userId: string, permissionSetIdOrGroupId: string, expirationDate?: string): void {
      const aggregate = org.groupAggregate(permissionSetIdOrGroupId);
      org.assign(
        user(userId).Id as string,
        aggregate ?? permissionSetIdOrGroupId,
        aggregate ? permissionSetIdOrGroupId : null,
        expirationDate ?? null,
      );
    },
    unassignPermissionSet(userId: string, permissionSetIdOrGroupId: string): void {
      org.unassign(user(userId).Id as string, org.groupAggregate(permissionSetIdOrGroupId) ?? permissionSetIdOrGroupId);
    },
    addRecord(type: string, fields: Rec): string {
      const rec = org.insert(type, fields);
      org.touch(rec);
      return rec.Id as string;
    },
    updateRecord(id: string, patch: Rec): void {
      org.update(id, patch);
    },
    deleteRecord(id: string): void {
      org.remove(id);
    },
    setOrganization(patch: Rec): void {
      org.update(org.orgId, patch);
    },
    /** A copy of a stored record, for assertions. */
    record(id: string): Rec | undefined {
      const found = org.get(id);
      return found ? { ...found.rec } : undefined;
    },
    injectFault(spec: FaultSpec): number {
      return faults.inject(spec);
    },
    clearFaults(id?: number): void {
      faults.clear(id);
    },
    /** Every session becomes invalid after `n` more authenticated API calls (0: the next call fails). */
    expireSessionAfter(n: number): void {
      auth.expireCountdown = n;
    },
    expireAllSessions(): void {
      auth.sessions.clear();
    },
    /** The External Client App's OAuth policies: secret on refresh, refresh-token rotation, granted scopes. */
    setConnectedAppPolicy(patch: {
      requireSecretForRefresh?: boolean;
      refreshTokenRotation?: boolean;
      scopes?: string[];
    }) {
      if (patch.requireSecretForRefresh !== undefined) auth.requireSecretForRefresh = patch.requireSecretForRefresh;
      if (patch.refreshTokenRotation !== undefined) auth.refreshTokenRotation = patch.refreshTokenRotation;
      if (patch.scopes !== undefined) auth.scopes = patch.scopes;
    },
    issueRefreshToken(userIdOrUsername: string): string {
      return auth.issueRefreshToken(user(userIdOrUsername).Id as string);
    },
    expireQueryLocators(): void {
      api.expireCursors();
    },
    setDailyApiLimit(max: number, used?: number): void {
      api.dailyMax = max;
      if (used !== undefined) api.dailyUsed = used;
    },
    /**
     * Other clients' long-running requests (20 s or more) fill the org's concurrent limit for the next `requests`
     * data requests: each answers 403 REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn Limit exceeded."
     */
    fillConcurrentLongRequests(requests: number): void {
      api.concurrentBusyFor = requests;
    },
    apiUsage(): { used: number; max: number } {
      return { used: api.dailyUsed, max: api.dailyMax };
    },
    /** API calls counted since start (or the last reset): one per data request, one per composite. */
    apiCalls(): number {
      return calls.total;
    },
    apiCallsByRoute(): Record<string, number> {
      return Object.fromEntries(calls.byRoute);
    },
    resetApiCalls(): void {
      calls.total = 0;
      calls.byRoute.clear();
      calls.requests.length = 0;
    },
    /** Every HTTP request the fake answered (OAuth and control included). */
    requests(): CallLog['requests'] {
      return [...calls.requests];
    },
    setNow(at: DateInput): void {
      org.setNow(toMs(at));
    },
    advanceClock(ms: number): void {
      org.advanceClock(ms);
    },
    now(): string {
      return new Date(org.now()).toISOString();
    },
  };
}

export type FakeControl = ReturnType<typeof createControl>;
