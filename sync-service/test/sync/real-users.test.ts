import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSalesforce, PROFILES } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { roleId, smallOrg, userId } from './org.js';
import { enableAutomatic, syncNow, usersByEmail } from './support.js';

/** The sync reads the users Roster is for: standard people, never the integration user or Salesforce's own users. */
describe('the sync reads the users Roster is for', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  beforeAll(async () => {
    const org = smallOrg(6);
    org.users.push(
      // Salesforce's own users: a platform integration user and a CRM Analytics security user (standard, active).
      {
        Id: userId(90),
        LastName: 'Integration User',
        Email: 'noreply@salesforce.example.com',
        Username: 'integration@00d000000000009aaa.com',
        UserRoleId: null,
        ProfileId: PROFILES.standard,
      },
      {
        Id: userId(91),
        LastName: 'Security User',
        Email: 'insights@salesforce.example.com',
        Username: 'insightssecurity@00d000000000009aaa.com',
        UserRoleId: null,
        ProfileId: PROFILES.standard,
      },
      // A partner portal user: not standard, so not read by the full read at all.
      {
        Id: userId(92),
        LastName: 'Partner',
        Email: 'partner@reseller.example.com',
        UserType: 'PowerPartner',
        UserRoleId: roleId(2),
        ProfileId: PROFILES.standard,
      },
    );
    fake = await connectFakeOrg(t, org);
    await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } });
    await enableAutomatic(t);
  });
  afterAll(async () => fake?.close());

  it('reads only standard users on the full read, and never creates the integration user or Salesforce’s own users', async () => {
    const users = await usersByEmail(t);
    expect(users.has('user2@small.example.com')).toBe(true);
    for (const email of [
      'integration@small.example.com',
      'noreply@salesforce.example.com',
      'insights@salesforce.example.com',
      'partner@reseller.example.com',
    ])
      expect(users.has(email), email).toBe(false);
    // The full read asks for standard users only (its first page comes in a /composite): the partner user, whom no
    // other rule leaves out, never reaches the mirror.
    const mirrored = await t.app.db('salesforce_users').where({ org_id: t.org.orgId }).pluck('email');
    expect(mirrored).toContain('user2@small.example.com');
    expect(mirrored).not.toContain('partner@reseller.example.com');
  });

  it('keeps the incremental read unfiltered, so a user who turns into another type is suspended', async () => {
    fake.control.updateUser(userId(3), { UserType: 'PowerPartner' });
    await syncNow(t);
    const u = (await usersByEmail(t)).get('user3@small.example.com');
    expect(u).toMatchObject({ status: 'suspended', suspensionReason: 'No longer a standard Salesforce user' });
  });

  it('suspends a frozen user with that reason and brings them back once unfrozen', async () => {
    fake.control.freezeUser(userId(4));
    await syncNow(t);
    expect((await usersByEmail(t)).get('user4@small.example.com')).toMatchObject({
      status: 'suspended',
      suspensionReason: 'Frozen in Salesforce',
    });
    fake.control.freezeUser(userId(4), false);
    await syncNow(t);
    expect((await usersByEmail(t)).get('user4@small.example.com')?.status).not.toBe('suspended');
  });

  it('without Manage Users, which UserLogin needs, says frozen users are not seen and keeps a frozen suspension', async () => {
    fake.control.freezeUser(userId(5));
    await syncNow(t);
    expect((await usersByEmail(t)).get('user5@small.example.com')?.suspensionReason).toBe('Frozen in Salesforce');
    fake.control.setSystemPermission(PROFILES.admin, 'PermissionsManageUsers', false);
    try {
      fake.control.freezeUser(userId(5), false);
      fake.control.freezeUser(userId(6));
      const run = await syncNow(t);
      expect(run.outcome, run.error).toBe('success');
      expect(run.warnings).toContainEqual(
        expect.stringMatching(/cannot read UserLogin .*"Manage Users".* frozen users are not seen/),
      );
      const users = await usersByEmail(t);
      expect(users.get('user5@small.example.com')?.status).toBe('suspended');
      expect(users.get('user6@small.example.com')?.status).not.toBe('suspended');
    } finally {
      fake.control.setSystemPermission(PROFILES.admin, 'PermissionsManageUsers', true);
    }
    const run = await syncNow(t);
    expect(run.warnings.join(' ')).not.toMatch(/UserLogin/);
    const users = await usersByEmail(t);
    expect(users.get('user5@small.example.com')?.status).not.toBe('suspended');
    expect(users.get('user6@small.example.com')?.suspensionReason).toBe('Frozen in Salesforce');
  });
});
