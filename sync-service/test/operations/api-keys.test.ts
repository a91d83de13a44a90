import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_RECHECK_MS } from '../../src/plugins/verified-keys.js';
import { issueAnotherApiKey, listApiKeys, revokeApiKey } from '../../src/orgs/api-keys.js';
import { build, TEST_ENCRYPTION_KEY, type TestApp } from '../helper.js';

const run = promisify(execFile);
const service = join(import.meta.dirname, '../..');

let one: TestApp;
let two: TestApp;
beforeAll(async () => {
  one = await build();
  two = await build({ database: one.database });
});
afterAll(async () => {
  await two?.close();
  await one?.close();
});

const status = (replica: TestApp, key: string) =>
  replica.api('GET', '/api/v1/users?limit=1', { key }).then((r) => r.statusCode);

/** Polls until the replica refuses the key; how long it took. */
async function refusedWithin(replica: TestApp, key: string): Promise<number> {
  const started = Date.now();
  while ((await status(replica, key)) !== 401) {
    if (Date.now() - started > 30_000) throw new Error('the revoked key still worked 30 s later');
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

describe('rotating an org API key', () => {
  it('a second key works beside the first, and revoking the first leaves the second working', async () => {
    const orgId = one.org.orgId;
    const second = await issueAnotherApiKey(one.app.db, orgId, 'rotation');
    expect(await status(one, second)).toBe(200);
    expect(await status(one, one.org.apiKey)).toBe(200);

    const keys = await listApiKeys(one.app.db, orgId);
    expect(keys.map((k) => [k.name, k.revoked_at])).toEqual([
      ['default', null],
      ['rotation', null],
    ]);
    const audited = await one.app.db('audit_log').where({ org_id: orgId, target_type: 'api_key' }).pluck('action');
    expect(audited).toEqual(['api_key.issue']);

    // Every replica has the old key verified (cached) when it is revoked.
    expect(await status(one, one.org.apiKey)).toBe(200);
    expect(await status(two, one.org.apiKey)).toBe(200);
    expect(await revokeApiKey(one.app.db, orgId, keys[0]!.key_prefix)).toBe(1);
    expect(await refusedWithin(one, one.org.apiKey)).toBeLessThan(KEY_RECHECK_MS + 1000);
    expect(await refusedWithin(two, one.org.apiKey)).toBeLessThan(KEY_RECHECK_MS + 1000);
    expect(await status(two, second)).toBe(200);
    expect((await listApiKeys(one.app.db, orgId))[0]!.revoked_at).toBeInstanceOf(Date);
  });

  it("revoking a prefix no live key of the org has revokes nothing, and another org's keys are untouched", async () => {
    const other = await one.createOrg('Other');
    const prefix = other.apiKey.slice(0, 10);
    expect(await revokeApiKey(one.app.db, one.org.orgId, prefix)).toBe(0);
    expect(await status(one, other.apiKey)).toBe(200);
  });

  it('the api-key program issues a key that works and revokes it by the prefix it lists', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: one.database.url,
      ROSTER_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: 'silent',
    };
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', join(service, 'src/api-keys.ts'), ...args], { env, cwd: service });
    const orgId = one.org.orgId;
    const issued = await cli('issue', '--org', orgId, '--name', 'from the program');
    const key = /API key: (\S+)/.exec(issued.stdout)![1]!;
    expect(await status(two, key)).toBe(200);

    const listed = await cli('list', '--org', orgId);
    expect(listed.stdout).toContain(`${key.slice(0, 10)}  from the program`);
    const revoked = await cli('revoke', '--org', orgId, '--prefix', key.slice(0, 10));
    expect(revoked.stdout).toMatch(/Revoked 1 key/);
    expect(await refusedWithin(two, key)).toBeLessThan(KEY_RECHECK_MS + 1000);

    await expect(cli('issue', '--org', 'not-an-org')).rejects.toMatchObject({ code: 64 });
  });
});
