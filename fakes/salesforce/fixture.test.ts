import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoOrg, FixtureError, loadFixture, startFakeSalesforce, type OrgFixture } from './index.js';
import { connect } from './harness.js';

const tiny: OrgFixture = {
  organization: { Id: '00D000000000001AAA', Name: 'Tiny' },
  licenses: [{ Id: '100000000000001AAA', Name: 'Salesforce', LicenseDefinitionKey: 'SFDC' }],
  profiles: [
    {
      Id: '00e000000000001AAA',
      Name: 'System Administrator',
      UserLicenseId: '100000000000001AAA',
      permissions: { PermissionsApiEnabled: true, PermissionsModifyAllData: true },
    },
  ],
  roles: [{ Id: '00E000000000001AAA', Name: 'CEO' }],
  users: [
    {
      Id: '005000000000001AAA',
      LastName: 'Admin',
      Email: 'admin@tiny.example.com',
      UserRoleId: '00E000000000001AAA',
      ProfileId: '00e000000000001AAA',
    },
  ],
  integrationUser: '005000000000001AAA',
};

describe('org fixtures', () => {
  it('loads the README example from a JSON file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-sf-'));
    const path = join(dir, 'tiny.json');
    writeFileSync(path, JSON.stringify(tiny));
    const fake = await startFakeSalesforce({ org: path });
    try {
      const conn = await connect(fake);
      expect((await conn.query('SELECT Name, UserRole.Name FROM User')).records[0]).toMatchObject({
        Name: 'Admin',
        UserRole: { Name: 'CEO' },
      });
    } finally {
      await fake.close();
    }
  });

  it('rejects a malformed fixture naming the path of each bad field', () => {
    const bad = {
      ...tiny,
      users: [{ ...tiny.users[0]!, Email: 'not-an-email', UserRoleId: '00E000000000999AAA' }],
      profiles: [{ ...tiny.profiles[0]!, permissions: { PermissionsFlyPlanes: true } }],
    };
    let error: unknown;
    try {
      loadFixture(bad as OrgFixture);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FixtureError);
    const paths = (error as FixtureError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['users[0].Email', 'users[0].UserRoleId', 'profiles[0].permissions']));
    expect(() => loadFixture({ ...tiny, users: [{ ...tiny.users[0]!, UserRoleId: '00E000000000999AAA' }] })).toThrow(
      /users\[0\]\.UserRoleId: no role with Id 00E000000000999AAA/,
    );
  });

  it('builds the demo org as the issue describes: about 60 users in 12 roles over 4 levels', () => {
    const org = loadFixture(demoOrg);
    const depth = (id: string | null): number => (id ? 1 + depth(org.roles.find((r) => r.Id === id)!.ParentRoleId) : 0);
    expect(org.users).toHaveLength(59);
    expect(org.roles).toHaveLength(12);
    expect(Math.max(...org.roles.map((r) => depth(r.Id)))).toBe(4);
    expect(org.users.filter((u) => !u.IsActive)).toHaveLength(3);
    expect(org.users.filter((u) => u.UserRoleId === null && u.UserType === 'Standard')).toHaveLength(1);
  });
});
