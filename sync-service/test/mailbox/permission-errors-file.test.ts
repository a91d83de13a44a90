import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '@roster/fake-google';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { build, type TestApp } from '../helper.js';
import { startJob, waitForJob } from '../jobs/support.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { addUsers, mailboxEnv, testAccess, useGoogle } from './support.js';

describe('Exporting Permission Errors through Salesforce Files', () => {
  let t: TestApp;
  let google: FakeGoogle;
  let fake: FakeSalesforce;
  beforeAll(async () => {
    google = await startFakeGoogle();
    t = await build({ env: mailboxEnv() });
    await useGoogle(t, google);
    fake = await connectFakeOrg(t);
    const ids = await addUsers(t, ['=gone@acme.test', 'left@acme.test'], { status: 'active' });
    // Unknown at Google twice in a row: each is a permission error.
    for (const id of ids) for (const _ of [1, 2]) await testAccess(t, id);
  });
  afterAll(async () => {
    await t.close();
    await google.close();
    await fake?.close();
  });

  const fileText = (contentVersionId: string) => fake.files.read(contentVersionId)!.bytes.toString('utf8');

  it('writes every user with a permission error into a file shared with the acting admin, as the CSV export has them', async () => {
    const res = await t.api('POST', '/api/v1/permission-errors/export/salesforce-file');
    expect(res.statusCode, res.body).toBe(200);
    const { contentVersionId, downloadUrl, title } = res.data;
    expect(downloadUrl).toBe(`/sfc/servlet.shepherd/version/download/${contentVersionId}`);
    expect(title).toMatch(/^Roster permission errors \d{4}-\d{2}-\d{2}$/);
    expect(fake.files.sharedWith(contentVersionId)).toContain(t.org.adminSfUserId);
    const direct = await t.api('GET', '/api/v1/permission-errors.csv');
    expect(fileText(contentVersionId)).toBe(direct.body);
    expect(fileText(contentVersionId)).toContain("'=gone@acme.test");
    expect(fileText(contentVersionId)).toContain('left@acme.test');
  });

  it('runs as a job whose result is the file, as the Permission Errors tab starts it', async () => {
    const job = await startJob(t, 'permission-errors.export.file');
    const done = await waitForJob(t, job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result.downloadUrl).toBe(`/sfc/servlet.shepherd/version/download/${done.result.contentVersionId}`);
    expect(fileText(done.result.contentVersionId).trim().split('\n')).toHaveLength(3);
  });

  it('refuses to export without the Salesforce user id to share the file with', async () => {
    const res = await t.api('POST', '/api/v1/permission-errors/export/salesforce-file', { asId: null });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('actor_id_required');
  });
});
