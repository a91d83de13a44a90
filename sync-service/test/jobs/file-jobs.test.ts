import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { startJob, waitForJob } from './support.js';

const t = setupApp();
// Any user of the demo org other than the integration user: the admin who uploads in Salesforce.
const UPLOADER = '005ADMIN1000000000';
const ROWS = 20_000;
// A second import is refused while the first is queued or running, however small the file.
const APPLIED_ROWS = 5_000;

function usersCsv(rows: number, prefix: string, role = 'Member') {
  const lines = ['Email,First Name,Last Name,Job Title,Role,Licenses,Operation'];
  for (let n = 0; n < rows; n++) {
    // Rows of one length, so the rows estimated from the bytes read come out exact.
    const i = String(n).padStart(6, '0');
    lines.push(`${prefix}${i}@example.com,First${i},Last${i},Account Executive ${i},${role},Foundation,Add`);
  }
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

describe('CSV import and export through Salesforce Files, as jobs the screens poll', () => {
  let fake: FakeSalesforce;
  const upload = (data: Buffer | string, name = 'users.csv') =>
    fake.files.upload(UPLOADER, { pathOnClient: name, data }).contentVersionId;
  beforeAll(async () => {
    fake = await connectFakeOrg(t);
  });
  afterAll(() => fake?.close());

  it('dry-runs an uploaded file as a job whose progress counts the rows read, then answers the import report', async () => {
    const contentVersionId = upload(usersCsv(ROWS, 'dry'));
    const job = await startJob(t, 'users.import.file', { contentVersionId, dryRun: true });
    const seen: any[] = [];
    const done = await waitForJob(t, job.id, { seen });

    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result).toMatchObject({ dryRun: true, applied: false, errorCount: 0, summary: { add: ROWS } });
    const reading = seen.filter((s) => s.state === 'running' && s.phase === 'Reading and checking rows');
    expect(
      reading.some((s) => s.done > 0 && s.done < s.total),
      JSON.stringify(seen.map((s) => [s.phase, s.done, s.total])),
    ).toBe(true);
    // The estimate from the bytes read is close to the real row count all along.
    for (const s of reading.filter((r) => r.done > 0)) expect(Math.abs(s.total - ROWS) / ROWS).toBeLessThan(0.02);
    // The same report the synchronous route answers, plus the result of each row as a file shared with the admin.
    const direct = await t.api('POST', '/api/v1/users/import/salesforce-file', { body: { contentVersionId } });
    expect(Object.keys(done.result).sort()).toEqual([...Object.keys(direct.data), 'resultFile'].sort());
    expect(done.result.summary).toEqual(direct.data.summary);
    const { resultFile } = done.result;
    expect(resultFile.downloadUrl).toBe(`/sfc/servlet.shepherd/version/download/${resultFile.contentVersionId}`);
    expect(fake.files.sharedWith(resultFile.contentVersionId)).toContain(t.org.adminSfUserId);
    const resultCsv = fake.files.read(resultFile.contentVersionId)!.bytes.toString('utf8');
    expect(resultCsv).toBe((await t.api('GET', done.result.resultCsvUrl)).body);
    expect(resultCsv.split('\r\n')[2]).toBe('3,dry000001@example.com,Add,Will add,');
    // A dry run writes no user.
    expect((await t.api('GET', '/api/v1/users?search=dry000001@')).data.items).toEqual([]);
  });

  it('applies an uploaded file as a job and refuses a second import while it runs, naming the running one', async () => {
    const contentVersionId = upload(usersCsv(APPLIED_ROWS, 'applied'));
    const job = await startJob(t, 'users.import.file', { contentVersionId, dryRun: false });
    const again = await t.api('POST', '/api/v1/jobs', {
      body: { kind: 'users.import.file', params: { contentVersionId, dryRun: true } },
    });
    expect(again.statusCode).toBe(409);
    expect(again.data.error).toMatchObject({
      code: 'job_running',
      // A dry run of the file is not the apply that runs: named, not handed over as the admin's own.
      details: { jobId: job.id, kind: 'users.import.file', sameRequest: false },
    });
    // After a page reload the screen finds it among the running jobs, with what it was started with.
    const running = (await t.api('GET', '/api/v1/jobs')).data.items;
    expect(running).toEqual([
      expect.objectContaining({ id: job.id, kind: 'users.import.file', params: { contentVersionId, dryRun: false } }),
    ]);

    const done = await waitForJob(t, job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result).toMatchObject({ dryRun: false, applied: true, summary: { add: APPLIED_ROWS } });
    expect(done.done).toBe(done.total);
    const last = (await t.api('GET', `/api/v1/users?search=applied${String(APPLIED_ROWS - 1).padStart(6, '0')}@`)).data
      .items[0];
    expect(last).toMatchObject({ firstName: `First${String(APPLIED_ROWS - 1).padStart(6, '0')}`, source: 'csv' });
    expect((await t.api('GET', '/api/v1/jobs')).data.items).toEqual([]);
  });

  it('answers a file with problems with every problem by line and column, the list cut for Apex', async () => {
    const contentVersionId = upload(usersCsv(700, 'bad', 'Overlord'), 'bad.csv');
    const job = await startJob(t, 'users.import.file', { contentVersionId, dryRun: false });
    await waitForJob(t, job.id);
    const res = await t.api('GET', `/api/v1/jobs/${job.id}?listLimit=500`);
    expect(res.data.state).toBe('succeeded');
    expect(res.data.result).toMatchObject({ applied: false, errorCount: 700 });
    expect(res.data.result.errors).toHaveLength(500);
    expect(res.data.omitted).toEqual({ errors: 200 });
    expect(res.data.result.errors[0]).toMatchObject({ line: 2, column: 'Role', code: 'unknown_role' });
    expect((await t.api('GET', '/api/v1/users?search=bad000001@')).data.items).toEqual([]);
  });

  it('fails the job with the reason when the file cannot be read or the org imports no CSV', async () => {
    const missing = await waitForJob(
      t,
      (await startJob(t, 'users.import.file', { contentVersionId: '068000000000000AAA' })).id,
    );
    expect(missing.state).toBe('failed');
    expect(missing.error).toMatchObject({ code: 'not_found' });

    const wrongId = await t.api('POST', '/api/v1/jobs', {
      body: { kind: 'users.import.file', params: { contentVersionId: '001000000000000AAA', extra: 1 } },
    });
    expect(wrongId.statusCode).toBe(400);

    const bad = await waitForJob(
      t,
      (await startJob(t, 'users.import.file', { contentVersionId: '001000000000000AAA' })).id,
    );
    expect(bad.error).toMatchObject({ code: 'invalid_file_id' });
  });

  it('exports every user into a Salesforce file as a job, with progress, shared with the admin who started it', async () => {
    const seen: any[] = [];
    const done = await waitForJob(t, (await startJob(t, 'users.export.file')).id, { seen });
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const { contentVersionId, downloadUrl, title } = done.result;
    expect(downloadUrl).toBe(`/sfc/servlet.shepherd/version/download/${contentVersionId}`);
    expect(title).toMatch(/^Roster users \d{4}-\d{2}-\d{2}$/);
    expect(fake.files.sharedWith(contentVersionId)).toContain(t.org.adminSfUserId);
    const direct = await t.api('GET', '/api/v1/users/export.csv');
    expect(fake.files.read(contentVersionId)!.bytes.toString('utf8')).toBe(direct.body);
    const total = direct.body.trim().split('\r\n').length - 1;
    expect(seen.filter((s) => s.phase === 'Writing every user to the file').every((s) => s.total === total)).toBe(true);

    // Without the admin's Salesforce user id there is nobody to share the file with.
    const res = await t.api('POST', '/api/v1/jobs', { asId: null, body: { kind: 'users.export.file', params: {} } });
    expect(res.statusCode).toBe(202);
    const refused = await waitForJob(t, res.data.id);
    expect(refused.error).toMatchObject({ code: 'actor_id_required' });
  });
});
