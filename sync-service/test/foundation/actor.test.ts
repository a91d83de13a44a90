import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import authPlugin from '../../src/plugins/auth.js';
import { build, type TestApp } from '../helper.js';

// Apex sends both headers on every callout: X-Roster-Actor-Id (UserInfo.getUserId()) and X-Roster-Actor (the email).
describe('the acting admin is a Salesforce user id', () => {
  let t: TestApp;
  const change = (headers: { id?: string; email?: string }) =>
    t.api('POST', '/api/v1/__probe/actor', { as: headers.email ?? null, asId: headers.id ?? null });

  beforeAll(async () => {
    t = await build({
      routes: async (app) => {
        await app.register(authPlugin);
        app.post('/api/v1/__probe/actor', async (req) => req.actor);
      },
    });
    const user = (email: string, role: string, sfUserId: string | null) => ({
      org_id: t.org.orgId,
      email,
      role,
      profile_id: t.org.defaultProfileId,
      source: sfUserId ? 'automatic' : 'manual',
      sf_user_id: sfUserId,
    });
    await t.app
      .db('users')
      .insert([
        user('manual.admin@example.com', 'admin', null),
        user('rep@example.com', 'member', '005REP000000000000'),
      ]);
  });
  afterAll(() => t.close());

  it('finds the admin by Salesforce user id, whatever email the call carries', async () => {
    const res = await change({ id: t.org.adminSfUserId, email: 'someone.else@example.com' });
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({ id: t.org.adminUserId, label: t.org.adminEmail, role: 'admin' });
  });

  it('keeps admins working after a sandbox refresh appended .invalid to every email', async () => {
    const res = await change({ id: t.org.adminSfUserId, email: `${t.org.adminEmail}.invalid` });
    expect(res.statusCode).toBe(200);
    expect(res.data.id).toBe(t.org.adminUserId);

    // The next sync copies the refreshed emails into Roster: the id still decides.
    await t.app
      .db('users')
      .where({ id: t.org.adminUserId })
      .update({ email: `${t.org.adminEmail}.invalid` });
    try {
      const after = await change({ id: t.org.adminSfUserId, email: `${t.org.adminEmail}.invalid` });
      expect(after.statusCode).toBe(200);
      expect(after.data.id).toBe(t.org.adminUserId);
    } finally {
      await t.app.db('users').where({ id: t.org.adminUserId }).update({ email: t.org.adminEmail });
    }
  });

  it('falls back to the email for an admin not linked to Salesforce yet, .invalid or not', async () => {
    for (const email of ['manual.admin@example.com', 'Manual.Admin@example.com.invalid']) {
      const res = await change({ id: '005NOTLINKED000000', email });
      expect(res.statusCode).toBe(200);
      expect(res.data.label).toBe('manual.admin@example.com');
    }
  });

  it('never lets an email stand in for an admin linked to another Salesforce user', async () => {
    const res = await change({ id: '005SOMEONEELSE0000', email: t.org.adminEmail });
    expect(res.statusCode).toBe(403);
    expect(res.data.error.code).toBe('actor_required');
  });

  it("refuses a non-admin's Salesforce user id even when the email names an admin", async () => {
    const res = await change({ id: '005REP000000000000', email: t.org.adminEmail });
    expect(res.statusCode).toBe(403);
    expect(res.data.error.code).toBe('actor_not_admin');
  });

  it('still accepts callers that send only an email (scripts, curl), sandbox suffix included', async () => {
    const res = await change({ email: `${t.org.adminEmail.toUpperCase()}.invalid` });
    expect(res.statusCode).toBe(200);
    expect(res.data.id).toBe(t.org.adminUserId);
  });

  it('answers 403, never 5xx, for an id or email that matches nobody', async () => {
    for (const headers of [{ id: "'; drop table users; --" }, { email: '@' }, { id: 'x'.repeat(5000) }]) {
      const res = await change(headers);
      expect(res.statusCode).toBe(403);
      expect(res.data.error.code).toBe('actor_required');
    }
  });
});
