import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { smallOrg, userId } from './org.js';
import { usersByEmail } from './support.js';

// An admin added by hand under another email than their Salesforce user's: the sync creates their Salesforce user as
// a new Roster user, and from then on Roster knows them as that user (by the X-Roster-Actor-Id Apex sends).
const BOSS = 'boss@roster.example.com';
const BOSS_IN_SALESFORCE = userId(2); // user2@small.example.com, an Account Executive

describe('Enabling Automatic Mode never locks the acting admin out', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  let profileId: string;
  const asBoss = { as: BOSS, asId: BOSS_IN_SALESFORCE };
  const preview = async () => {
    const res = await t.api('POST', '/api/v1/mode/preview', { body: { mode: 'automatic' }, ...asBoss });
    expect(res.statusCode, res.body).toBe(200);
    return res.data;
  };
  const enable = (previewToken: string) =>
    t.api('PUT', '/api/v1/mode', { body: { mode: 'automatic', confirm: true, previewToken }, ...asBoss });

  beforeAll(async () => {
    fake = await connectFakeOrg(t, smallOrg(4));
    profileId = (await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } })).data.id;
    const boss = await t.api('POST', '/api/v1/users', {
      body: { email: BOSS, firstName: 'Bo', lastName: 'Ss', role: 'admin' },
    });
    expect(boss.statusCode, boss.body).toBe(201);
  });
  afterAll(async () => fake?.close());

  it('shows in the preview that the rules would bring the admin’s own Salesforce user in as a Member', async () => {
    const seen = await preview();
    expect(seen.blockers).toHaveLength(1);
    expect(seen.blockers[0]).toContain('user2@small.example.com');
    expect(seen.blockers[0]).toContain('as Member, not Admin');
    // Another admin, whose Salesforce user is not created by this switch, is not blocked.
    const other = await t.api('POST', '/api/v1/mode/preview', { body: { mode: 'automatic' } });
    expect(other.data.blockers).toEqual([]);
  });

  it('refuses the switch with the reason and changes nothing', async () => {
    const res = await enable((await preview()).previewToken);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.data.error.code).toBe('admin_lock_out');
    expect(res.data.error.message).toContain('Add a User Settings Rule that makes you an Admin first');
    expect((await t.api('GET', '/api/v1/mode')).data.mode).toBe('manual');
    expect((await usersByEmail(t)).has('user2@small.example.com')).toBe(false);
  });

  it('switches once a rule makes the admin’s Salesforce user an Admin, and the admin can still switch back', async () => {
    const rule = await t.api('POST', '/api/v1/rules', {
      body: {
        name: 'Account executives run Roster',
        filters: [{ field: 'job_title', operator: 'contains', value: 'account executive' }],
        assignments: { profileId, role: 'admin', visibility: 'full', licenses: ['foundation'] },
      },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const seen = await preview();
    expect(seen.blockers).toEqual([]);
    const res = await enable(seen.previewToken);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.mode).toBe('automatic');
    expect((await usersByEmail(t)).get('user2@small.example.com')?.role).toBe('admin');
    const back = await t.api('PUT', '/api/v1/mode', { body: { mode: 'manual', confirm: true }, ...asBoss });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.data.mode).toBe('manual');
  });
});
