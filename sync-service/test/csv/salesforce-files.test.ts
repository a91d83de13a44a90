import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';

const t = setupApp();
const ROWS = 100_000;
// Any user of the demo org other than the integration user: the admin who uploads in Salesforce.
const UPLOADER = '005ADMIN1000000000';

describe('CSV import and export through Salesforce Files', () => {
  let fake: FakeSalesforce;
  beforeAll(async () => {
    fake = await connectFakeOrg(t);
  });
  afterAll(() => fake?.close());

  it(
    `imports a ${ROWS.toLocaleString('en')}-row file (15 MB) the admin uploaded to Salesforce Files`,
    { timeout: 180_000 },
    async () => {
      const lines = ['Email,First Name,Last Name,Job Title,Role,Licenses,Operation'];
      for (let i = 0; i < ROWS; i++)
        lines.push(
          `files${i}@example.com,First${i},Last${i},Account Executive for the North-East region ${i},Member,Foundation;Forecasting,Add`,
        );
      const data = Buffer.from(lines.join('\r\n'), 'utf8');
      expect(data.length).toBeGreaterThan(12_000_000);
      // lightning-file-upload: the file belongs to the admin; the service reads it as the integration user.
      const { contentVersionId } = fake.files.upload(UPLOADER, { pathOnClient: 'users.csv', data });

      const dry = await t.api('POST', '/api/v1/users/import/salesforce-file', { body: { contentVersionId } });
      expect(dry.statusCode, dry.body.slice(0, 500)).toBe(200);
      expect(dry.data).toMatchObject({ dryRun: true, applied: false, errorCount: 0, summary: { add: ROWS } });

      const applied = await t.api('POST', '/api/v1/users/import/salesforce-file', {
        body: { contentVersionId, dryRun: false },
      });
      expect(applied.statusCode, applied.body.slice(0, 500)).toBe(200);
      expect(applied.data).toMatchObject({ applied: true, summary: { add: ROWS } });
      const last = (await t.api('GET', `/api/v1/users?search=files${ROWS - 1}@`)).data.items[0];
      expect(last).toMatchObject({ firstName: `First${ROWS - 1}`, source: 'csv' });

      // The bytes came over the REST API: one VersionData download per import.
      const downloads = fake.control
        .requests()
        .filter((r) => r.path.endsWith(`/ContentVersion/${contentVersionId}/VersionData`));
      expect(downloads).toHaveLength(2);
    },
  );

  it('reports row-and-column problems in an uploaded file and changes nothing', async () => {
    const { contentVersionId } = fake.files.upload(UPLOADER, {
      pathOnClient: 'bad.csv',
      data: 'Email,Operation\nnot-an-email,Add\n',
    });
    const res = await t.api('POST', '/api/v1/users/import/salesforce-file', {
      body: { contentVersionId, dryRun: false },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.applied).toBe(false);
    expect(res.data.errors[0]).toMatchObject({ line: 2, column: 'Email' });
  });

  it('answers 404 for a file that does not exist, and 400 for an id that is not a ContentVersion', async () => {
    const missing = await t.api('POST', '/api/v1/users/import/salesforce-file', {
      body: { contentVersionId: '068000000000000AAA' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.data.error.code).toBe('not_found');
    const wrong = await t.api('POST', '/api/v1/users/import/salesforce-file', {
      body: { contentVersionId: '001000000000000AAA' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.data.error.code).toBe('invalid_file_id');
  });

  it('exports users into a Salesforce file shared with the acting admin, downloaded from the org', async () => {
    const res = await t.api('POST', '/api/v1/users/export/salesforce-file');
    expect(res.statusCode, res.body).toBe(200);
    const { contentVersionId, downloadUrl } = res.data;
    expect(contentVersionId).toMatch(/^068/);
    expect(downloadUrl).toBe(`/sfc/servlet.shepherd/version/download/${contentVersionId}`);
    expect(fake.files.sharedWith(contentVersionId)).toContain(t.org.adminSfUserId);

    // The file holds exactly what the direct export serves.
    const direct = await t.api('GET', '/api/v1/users/export.csv');
    const { access_token } = await new OAuth2({
      loginUrl: fake.url,
      clientId: fake.credentials.clientId,
      clientSecret: fake.credentials.clientSecret,
    }).refreshToken(fake.credentials.refreshToken);
    const conn = new Connection({ instanceUrl: fake.url, accessToken: access_token, version: '62.0' });
    const chunks: Buffer[] = [];
    for await (const chunk of conn.sobject('ContentVersion').record(contentVersionId).blob('VersionData'))
      chunks.push(Buffer.from(chunk as Buffer));
    expect(Buffer.concat(chunks).toString('utf8')).toBe(direct.body);
  });

  it('refuses to export to a file without the Salesforce user id to share it with', async () => {
    const res = await t.api('POST', '/api/v1/users/export/salesforce-file', { asId: null });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('actor_id_required');
  });
});
