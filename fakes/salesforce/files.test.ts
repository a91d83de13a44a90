import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg, startFakeSalesforce, type FakeSalesforce } from './index.js';
import { connect, VERSION } from './harness.js';

// Salesforce Files as the REST API Developer Guide serves them ("Insert or Update Blob Data", "Get Blob Data"): the
// service uploads exports and downloads the admins' CSV files through these routes, over plain HTTP.
let fake: FakeSalesforce;
let token: string;
beforeAll(async () => {
  fake = await startFakeSalesforce({ org: demoOrg });
  token = (await connect(fake)).accessToken!;
});
afterAll(() => fake.close());

const sobjects = () => `${fake.url}/services/data/v${VERSION}/sobjects`;
const call = (path: string, init: RequestInit = {}) =>
  fetch(`${sobjects()}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
// Bytes a text-only transport would mangle: CRLF, a NUL, invalid UTF-8, and more than one 64 KB chunk.
const awkward = Buffer.concat([
  Buffer.from('email\r\nana@example.com\r\n'),
  Buffer.from([0, 0xff, 0xfe]),
  Buffer.alloc(200_000, 0x61),
]);

function multipartBody(boundary: string, entity: object | null, bytes: Buffer | null) {
  const parts: Buffer[] = [];
  if (entity)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(entity)}\r\n`,
      ),
    );
  if (bytes)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="VersionData"; filename="users.csv"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      bytes,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

const uploadMultipart = (entity: object | null, bytes: Buffer | null) =>
  call('/ContentVersion', {
    method: 'POST',
    headers: { 'Content-Type': 'multipart/form-data; boundary="b-1"' },
    body: multipartBody('b-1', entity, bytes),
  });

describe('Salesforce Files (ContentVersion)', () => {
  it('stores a multipart upload and serves its VersionData back byte for byte, as an octet stream', async () => {
    const created = await uploadMultipart({ Title: 'Users', PathOnClient: 'users.csv' }, awkward);
    expect(created.status).toBe(201);
    const { id, success, errors } = (await created.json()) as { id: string; success: boolean; errors: unknown[] };
    expect({ success, errors }).toEqual({ success: true, errors: [] });
    expect(id).toMatch(/^068\w{15}$/);

    const record = await (
      await call(`/ContentVersion/${id}?fields=Id,Title,ContentSize,ContentDocumentId,FileExtension,VersionData`)
    ).json();
    expect(record).toMatchObject({
      attributes: { type: 'ContentVersion' },
      Id: id,
      Title: 'Users',
      ContentSize: awkward.length,
      FileExtension: 'csv',
      VersionData: `/services/data/v${VERSION}/sobjects/ContentVersion/${id}/VersionData`,
    });
    expect(record.ContentDocumentId).toMatch(/^069/);

    const data = await call(`/ContentVersion/${id}/VersionData`);
    expect(data.status).toBe(200);
    expect(data.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await data.arrayBuffer()).equals(awkward)).toBe(true);
  });

  it('accepts a JSON insert with VersionData in base64, naming the file after PathOnClient without a Title', async () => {
    const created = await call('/ContentVersion', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ PathOnClient: 'export.csv', VersionData: awkward.toString('base64') }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await (await call(`/ContentVersion/${id}?fields=Title`)).json()).Title).toBe('export');
    const bytes = Buffer.from(await (await call(`/ContentVersion/${id}/VersionData`)).arrayBuffer());
    expect(bytes.equals(awkward)).toBe(true);
  });

  it('refuses an upload without PathOnClient or without its file part, in Salesforce’s error shape', async () => {
    const noPath = await uploadMultipart({ Title: 'Users' }, awkward);
    expect(noPath.status).toBe(400);
    expect(await noPath.json()).toEqual([
      { errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [PathOnClient]' },
    ]);
    const noFile = await uploadMultipart({ PathOnClient: 'users.csv' }, null);
    expect(noFile.status).toBe(400);
    expect(((await noFile.json()) as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_MULTIPART_REQUEST');
  });

  it('answers NOT_FOUND for a version that does not exist, and refuses to change a version', async () => {
    const missing = await call('/ContentVersion/068000000000999AAA/VersionData');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errorCode: string }[])[0]!.errorCode).toBe('NOT_FOUND');

    const { contentVersionId } = fake.files.upload(fake.credentials.userId, { pathOnClient: 'a.csv', data: 'x' });
    const patch = await call(`/ContentVersion/${contentVersionId}`, { method: 'PATCH', body: '{}' });
    expect(patch.status).toBe(405);
  });

  it('shares a file with a user through ContentDocumentLink, and refuses a link to anything but a user', async () => {
    const { contentVersionId, contentDocumentId } = fake.files.upload(fake.credentials.userId, {
      pathOnClient: 'result.csv',
      data: 'email\n',
    });
    const link = (LinkedEntityId: string) =>
      call('/ContentDocumentLink', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ContentDocumentId: contentDocumentId, LinkedEntityId, ShareType: 'V' }),
      });
    const query = `${fake.url}/services/data/v${VERSION}/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Name = 'Dana Admin'")}`;
    const admin = (
      (await (await fetch(query, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
        records: { Id: string }[];
      }
    ).records[0]!.Id;
    expect((await link(admin)).status).toBe(201);
    expect(fake.files.sharedWith(contentVersionId)).toEqual([admin]);
    const account = await link('001000000000042AAA');
    expect(account.status).toBe(400);
    expect(((await account.json()) as { errorCode: string }[])[0]!.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });
});
