import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { SalesforceSession } from '../salesforce/connection.js';
import { explainSalesforceError, SalesforceError } from '../salesforce/errors.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';

// Salesforce Files carry the CSV between the admin's browser and the service, so a 100k-user file (15 MB) never
// passes through Apex (6 MB heap, 6 MB callout bodies). The admin uploads with lightning-file-upload (a
// ContentVersion); the service reads its VersionData as the integration user; an export becomes a ContentVersion
// shared with the admin, who downloads it from /sfc/servlet.shepherd/version/download/<id>.

const CONTENT_VERSION_ID = /^068[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/;
/** A Salesforce User id: the admin a file is shared with. */
export const USER_ID = /^005[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/;

export interface SalesforceFile {
  contentVersionId: string;
  title: string;
  size: number;
}

export interface PublishedFile extends SalesforceFile {
  contentDocumentId: string;
  /** Relative to the org's domain: the admin's browser downloads from there with their own session. */
  downloadUrl: string;
}

export const downloadUrl = (contentVersionId: string) => `/sfc/servlet.shepherd/version/download/${contentVersionId}`;

const sobjects = (session: SalesforceSession) => `/services/data/v${session.apiVersion}/sobjects`;

async function describeFile(session: SalesforceSession, id: string): Promise<SalesforceFile & { documentId: string }> {
  try {
    const row = await session.conn.request<{
      Id: string;
      Title: string;
      ContentSize: number;
      ContentDocumentId: string;
    }>(`${sobjects(session)}/ContentVersion/${id}?fields=Id,Title,ContentSize,ContentDocumentId`);
    return { contentVersionId: row.Id, title: row.Title, size: row.ContentSize, documentId: row.ContentDocumentId };
  } catch (err) {
    if ((err as { errorCode?: string }).errorCode === 'NOT_FOUND') {
      throw new NotFoundError('Salesforce file', id);
    }
    throw explainSalesforceError(err);
  }
}

/** Opens an uploaded file: its details, then its bytes as a stream (never held whole in memory). */
export async function openFile(session: SalesforceSession, contentVersionId: string) {
  if (!CONTENT_VERSION_ID.test(contentVersionId)) {
    throw new BadRequestError('invalid_file_id', `${contentVersionId} is not a ContentVersion id (068...).`);
  }
  // Through the session first: it checks the file exists and is readable, refreshes the token and counts the call.
  const file = await describeFile(session, contentVersionId);
  // The session's transport reads REST bodies whole, so the bytes are fetched directly on the same, freshly checked
  // token and handed on as a stream; a refused download is an error, never file content.
  const res = await fetch(
    `${session.conn.instanceUrl}${sobjects(session)}/ContentVersion/${contentVersionId}/VersionData`,
    {
      headers: { Authorization: `Bearer ${session.conn.accessToken}` },
    },
  );
  if (!res.ok || !res.body) {
    const detail = await res.text().catch(() => '');
    if (res.status === 404) throw new NotFoundError('Salesforce file', contentVersionId);
    throw new SalesforceError(
      res.status === 403 ? 'insufficient_access' : 'unreachable',
      `Salesforce refused the file download (${res.status}): ${detail.slice(0, 300)}`,
    );
  }
  return { file, stream: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream) };
}

/**
 * Saves `content` as a new Salesforce file owned by the integration user and shares it (viewer) with `sfUserId`,
 * who downloads it from `downloadUrl`. Multipart upload, as Salesforce documents for ContentVersion blobs.
 */
export async function publishFile(
  session: SalesforceSession,
  { title, fileName, content, sfUserId }: { title: string; fileName: string; content: string; sfUserId: string },
): Promise<PublishedFile> {
  if (!USER_ID.test(sfUserId)) {
    throw new BadRequestError(
      'actor_id_required',
      'Sharing the file needs the Salesforce user id of the acting admin (X-Roster-Actor-Id).',
    );
  }
  const boundary = `roster-${randomUUID()}`;
  const body = [
    `--${boundary}`,
    'Content-Disposition: form-data; name="entity_content"',
    'Content-Type: application/json',
    '',
    JSON.stringify({ Title: title, PathOnClient: fileName }),
    `--${boundary}`,
    `Content-Disposition: form-data; name="VersionData"; filename="${fileName}"`,
    'Content-Type: application/octet-stream',
    '',
    content,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  try {
    const created = await session.conn.request<{ id: string }>({
      method: 'POST',
      url: `${sobjects(session)}/ContentVersion`,
      headers: { 'Content-Type': `multipart/form-data; boundary="${boundary}"` },
      body,
    });
    const file = await describeFile(session, created.id);
    await session.conn.request({
      method: 'POST',
      url: `${sobjects(session)}/ContentDocumentLink`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ContentDocumentId: file.documentId, LinkedEntityId: sfUserId, ShareType: 'V' }),
    });
    return {
      contentVersionId: file.contentVersionId,
      title: file.title,
      size: file.size,
      contentDocumentId: file.documentId,
      downloadUrl: downloadUrl(file.contentVersionId),
    };
  } catch (err) {
    if (err instanceof NotFoundError) throw err;
    throw explainSalesforceError(err);
  }
}
