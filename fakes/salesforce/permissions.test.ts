import type jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg, startFakeSalesforce, type FakeSalesforce } from './index.js';
import { connect } from './harness.js';

let fake: FakeSalesforce;
let conn: jsforce.Connection;
beforeAll(async () => {
  fake = await startFakeSalesforce({ org: demoOrg });
  conn = await connect(fake);
});
afterAll(() => fake.close());

const INTEGRATION_PROFILE = demoOrg.profiles.find((p) => p.Name === 'Roster Integration')!.Id;
const ACCESS_SET = demoOrg.permissionSets!.find((p) => p.Name === 'Roster_Integration_Access')!.Id;
const ACTIVITY_GROUP = demoOrg.permissionSetGroups![0]!.Id;
const describedFields = async (type: string) =>
  (await conn.request<{ fields: { name: string }[] }>(`/services/data/v62.0/sobjects/${type}/describe`)).fields.map(
    (f) => f.name,
  );
const effective = async () =>
  (
    await conn.query(
      'SELECT PermissionsApiEnabled, PermissionsViewAllData, PermissionsViewAllUsers, PermissionsEditTask, PermissionsEditEvent, PermissionsModifyAllData, PermissionsViewSetup FROM UserPermissionAccess',
    )
  ).records[0] as Record<string, boolean>;

describe('field-level security', () => {
  it('leaves an unreadable field out of describe and fails a query naming it with INVALID_FIELD', async () => {
    expect(await describedFields('Lead')).not.toContain('Rating');
    expect(await describedFields('Lead')).toEqual(
      expect.arrayContaining(['Id', 'Title', 'Name', 'OwnerId', 'CreatedDate']),
    );
    await expect(conn.query('SELECT Id, Rating FROM Lead')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Rating' on entity 'Lead'."),
    });
    expect(await describedFields('Account')).not.toContain('AnnualRevenue');
  });

  it('hides a field revoked mid-run and shows it again once granted', async () => {
    await conn.query('SELECT Id, Industry FROM Account');
    fake.control.revokeFieldPermission(INTEGRATION_PROFILE, 'Account.Industry');
    await expect(conn.query('SELECT Id, Industry FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    expect(await describedFields('Account')).not.toContain('Industry');
    fake.control.grantFieldPermission(ACCESS_SET, 'Account.Industry');
    expect((await conn.query('SELECT Id, Industry FROM Account')).totalSize).toBe(8);
  });

  it('never lists always-readable system fields in FieldPermissions, and lists lookups as Object.Field', async () => {
    const rows = (
      await conn.query(
        `SELECT Field, PermissionsRead FROM FieldPermissions WHERE ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE PermissionSet.ProfileId = '${INTEGRATION_PROFILE}') AND SobjectType IN ('Contact', 'Account')`,
        { autoFetch: true, maxFetch: 100_000 },
      )
    ).records.map((r) => (r as { Field: string }).Field);
    expect(rows).toContain('Contact.AccountId');
    expect(rows).toContain('Contact.Title');
    expect(rows).not.toContain('Account.AnnualRevenue'); // the demo profile's read is off
    for (const f of ['Id', 'CreatedDate', 'CreatedById', 'OwnerId', 'SystemModstamp', 'IsDeleted', 'LastName'])
      expect(rows).not.toContain(`Contact.${f}`);
  });
});

describe('effective permissions', () => {
  it('grants through the profile, a permission set and a permission set group, and ignores expired assignments', async () => {
    expect(await effective()).toMatchObject({
      PermissionsApiEnabled: true,
      PermissionsViewAllData: true,
      PermissionsViewAllUsers: true,
      PermissionsEditTask: true,
      PermissionsEditEvent: true,
      PermissionsModifyAllData: false,
      PermissionsViewSetup: true,
    });
    const psa = (
      await conn.query(
        `SELECT PermissionSet.Type, PermissionSet.Profile.Name, PermissionSetGroupId, PermissionSet.PermissionsEditTask FROM PermissionSetAssignment WHERE AssigneeId = '${fake.credentials.userId}' AND PermissionSet.PermissionsEditTask = true AND ExpirationDate = null`,
      )
    ).records as any[];
    expect(psa).toEqual([
      expect.objectContaining({
        PermissionSetGroupId: ACTIVITY_GROUP,
        PermissionSet: expect.objectContaining({ Type: 'Group', Profile: null }),
      }),
    ]);
  });

  it('loses a permission when the set granting it changes, and loses objects with it', async () => {
    fake.control.setSystemPermission(ACCESS_SET, 'PermissionsViewAllData', false);
    fake.control.setSystemPermission(ACCESS_SET, 'PermissionsViewSetup', false);
    fake.control.setSystemPermission(ACCESS_SET, 'PermissionsViewRoles', false);
    expect(await effective()).toMatchObject({
      PermissionsViewAllData: false,
      PermissionsViewSetup: false,
      PermissionsViewAllUsers: true,
    });
    await expect(conn.query('SELECT Id FROM PermissionSet')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    await expect(conn.query('SELECT Id FROM UserRole')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    expect((await conn.query('SELECT Id FROM Account')).totalSize).toBe(8);
    fake.control.setSystemPermission(ACCESS_SET, 'PermissionsViewAllData', true);
    expect(await effective()).toMatchObject({ PermissionsViewAllData: true, PermissionsViewSetup: true });
  });

  it('takes a group permission away through the member set and gives Modify All Data through a new assignment', async () => {
    const member = demoOrg.permissionSetGroups![0]!.permissionSets[0]!;
    fake.control.setSystemPermission(member, 'PermissionsEditTask', false);
    expect(await effective()).toMatchObject({ PermissionsEditTask: false, PermissionsEditEvent: true });
    const mad = demoOrg.permissionSets!.find((p) => p.Name === 'Temporary_Modify_All')!.Id;
    fake.control.assignPermissionSet(fake.credentials.userId, mad);
    expect(await effective()).toMatchObject({ PermissionsModifyAllData: true, PermissionsEditTask: true });
    fake.control.unassignPermissionSet(fake.credentials.userId, mad);
    fake.control.setSystemPermission(member, 'PermissionsEditTask', true);
  });

  it('returns fewer users to someone without View All Users when user sharing is private', async () => {
    const privateOrg = await startFakeSalesforce({
      org: { ...demoOrg, organization: { ...demoOrg.organization, internalUserAccess: 'Private' } },
    });
    try {
      const managerId = demoOrg.users.find((u) => u.LastName === 'Mendes')!.Id;
      const token = privateOrg.control.issueRefreshToken(managerId);
      const asManager = await connect(privateOrg, { refreshToken: token });
      const visible = await asManager.query('SELECT Id FROM User');
      expect(visible.totalSize).toBe(15);
      const asIntegration = await connect(privateOrg);
      expect((await asIntegration.query('SELECT COUNT() FROM User')).totalSize).toBe(59);
    } finally {
      await privateOrg.close();
    }
  });
});

describe('frozen users', () => {
  it('freezes a user in UserLogin only, which needs Manage Users even with View All Data', async () => {
    const rep = demoOrg.users.find((u) => u.LastName === 'Mendes')!.Id;
    // Without the demo access set's Manage Users, View All Data is left: UserLogin is not its to read.
    fake.control.setSystemPermission(ACCESS_SET, 'PermissionsManageUsers', false);
    await expect(conn.query('SELECT UserId FROM UserLogin WHERE IsFrozen = true')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
    const before = fake.control.record(rep)!.SystemModstamp;
    fake.control.freezeUser(rep);
    fake.control.setSystemPermission(INTEGRATION_PROFILE, 'PermissionsManageUsers', true);
    try {
      const frozen = await conn.query<{ UserId: string }>('SELECT UserId FROM UserLogin WHERE IsFrozen = true');
      expect(frozen.records.map((r) => r.UserId)).toEqual([rep]);
      // Freezing leaves the User alone: still active, SystemModstamp unmoved.
      expect(fake.control.record(rep)).toMatchObject({ IsActive: true, SystemModstamp: before });
    } finally {
      fake.control.freezeUser(rep, false);
      fake.control.setSystemPermission(INTEGRATION_PROFILE, 'PermissionsManageUsers', false);
      fake.control.setSystemPermission(ACCESS_SET, 'PermissionsManageUsers', true);
    }
  });
});
