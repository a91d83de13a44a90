import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/orgs/service.js';
import authPlugin from '../../src/plugins/auth.js';
import { KEY_RECHECK_MS } from '../../src/plugins/verified-keys.js';
import { NotFoundError } from '../../src/shared/errors.js';
import { sha256 } from '../../src/shared/secrets.js';
import { build, type TestApp, type TestOrg } from '../helper.js';

describe('authentication and tenancy', () => {
  let t: TestApp;
  let other: TestOrg;
  beforeAll(async () => {
    // A tenant read and a tenant write through the org scope, as every domain route does (in its own scope
    // with the auth plugin, as app.ts's API scope holds the real routes).
    t = await build({
      routes: async (app) => {
        await app.register(authPlugin);
        app.get<{ Params: { id: string } }>('/api/v1/__probe/users/:id', async (req) => {
          const user = await req.scope.table('users').where({ id: req.params.id }).first('id', 'email');
          if (!user) throw new NotFoundError('User', req.params.id);
          return user;
        });
        app.patch<{ Params: { id: string } }>('/api/v1/__probe/users/:id', async (req) => {
          const changed = await req.scope.table('users').where({ id: req.params.id }).update({ job_title: 'Changed' });
          if (!changed) throw new NotFoundError('User', req.params.id);
          return { changed };
        });
      },
    });
    other = await t.createOrg('Globex');
  });
  afterAll(() => t.close());

  it('refuses a request without an API key with 401', async () => {
    const res = await t.api('GET', '/api/v1/health', { key: null });
    expect(res.statusCode).toBe(401);
    expect(res.data.error.code).toBe('unauthorized');
  });

  it('refuses an unknown API key with 401', async () => {
    const res = await t.api('GET', '/api/v1/health', { key: 'rst_not-a-real-key' });
    expect(res.statusCode).toBe(401);
  });

  it("stops accepting a revoked key once the service re-checks the keys it verified, and keeps the org's others", async () => {
    const key = await issueApiKey(t.app.db, t.org.orgId, 'leaked');
    const probe = (k: string) => t.api('GET', `/api/v1/__probe/users/${t.org.adminUserId}`, { key: k });
    expect((await probe(key)).statusCode).toBe(200); // verified, so remembered
    await t.app
      .db('api_keys')
      .where({ key_hash: sha256(key) })
      .update({ revoked_at: t.app.db.fn.now() });
    const revokedAt = Date.now();
    let refused = await probe(key);
    while (refused.statusCode === 200 && Date.now() - revokedAt < 10 * KEY_RECHECK_MS) {
      await new Promise((r) => setTimeout(r, 20));
      refused = await probe(key);
    }
    expect(refused.statusCode).toBe(401);
    expect(refused.data.error.code).toBe('unauthorized');
    expect(Date.now() - revokedAt).toBeLessThan(KEY_RECHECK_MS + 1000);
    expect((await probe(t.org.apiKey)).statusCode).toBe(200);
  });

  it('stores API keys only as hashes', async () => {
    const rows = await t.app.db('api_keys').select('key_hash', 'key_prefix');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.key_hash)).not.toContain(t.org.apiKey);
    expect(JSON.stringify(rows)).not.toContain(t.org.apiKey.slice(12));
  });

  it("answers 404, not 403, when org B's key asks for org A's user", async () => {
    const own = await t.api('GET', `/api/v1/__probe/users/${t.org.adminUserId}`);
    expect(own.statusCode).toBe(200);
    const foreign = await t.api('GET', `/api/v1/__probe/users/${t.org.adminUserId}`, { org: other });
    expect(foreign.statusCode).toBe(404);
  });

  it("cannot change org A's user with org B's key", async () => {
    const res = await t.api('PATCH', `/api/v1/__probe/users/${t.org.adminUserId}`, { org: other });
    expect(res.statusCode).toBe(404);
    const user = await t.app.db('users').where({ id: t.org.adminUserId }).first();
    expect(user.job_title).toBe('');
  });

  it('refuses a change without an acting admin with 403', async () => {
    const res = await t.api('PATCH', `/api/v1/__probe/users/${t.org.adminUserId}`, { as: null });
    expect(res.statusCode).toBe(403);
    expect(res.data.error.code).toBe('actor_required');
  });

  it('refuses a change by a non-admin actor with 403 and allows their reads', async () => {
    await t.app.db('users').insert({
      org_id: t.org.orgId,
      email: 'rep@example.com',
      role: 'member',
      profile_id: t.org.defaultProfileId,
      source: 'manual',
      sf_user_id: '005REP000000000000',
    });
    const write = await t.api('PATCH', `/api/v1/__probe/users/${t.org.adminUserId}`, { as: 'rep@example.com' });
    expect(write.statusCode).toBe(403);
    expect(write.data.error.code).toBe('actor_not_admin');
    const read = await t.api('GET', `/api/v1/__probe/users/${t.org.adminUserId}`, { as: '005REP000000000000' });
    expect(read.statusCode).toBe(200);
  });

  it('accepts the acting admin by Salesforce user id or by email in any case', async () => {
    const bySfId = await t.api('PATCH', `/api/v1/__probe/users/${t.org.adminUserId}`, { as: '005ADMIN1000000000' });
    expect(bySfId.statusCode).toBe(200);
    const byEmail = await t.api('PATCH', `/api/v1/__probe/users/${t.org.adminUserId}`, { as: 'ADMIN1@Example.com' });
    expect(byEmail.statusCode).toBe(200);
  });

  it('does not let an admin of org B act in org A', async () => {
    const res = await t.api('PATCH', `/api/v1/__probe/users/${t.org.adminUserId}`, { as: other.adminEmail });
    expect(res.statusCode).toBe(403);
  });
});
