import type { ServerResponse } from 'node:http';
import type { Access } from './access.js';
import { sfError } from './errors.js';
import { makeId, sfDateTime } from './ids.js';

/** One Salesforce file: a ContentDocument with its one ContentVersion (the fake keeps no version history). */
interface StoredFile {
  versionId: string;
  documentId: string;
  title: string;
  pathOnClient: string;
  ownerId: string;
  bytes: Buffer;
  createdDate: string;
  /** ContentDocumentLink: users the file is shared with. */
  sharedWith: Set<string>;
}

const VERSION_FIELDS = [
  'Id',
  'ContentDocumentId',
  'Title',
  'PathOnClient',
  'FileExtension',
  'FileType',
  'ContentSize',
  'OwnerId',
  'CreatedDate',
  'VersionData',
] as const;

/**
 * ContentVersion and ContentDocumentLink as the REST API serves them (see README, "Salesforce Files"): insert a
 * version with JSON (VersionData base64) or multipart/form-data (entity_content + VersionData), retrieve it, stream
 * its VersionData, and share its document with a user.
 */
export class FileStore {
  private readonly byVersion = new Map<string, StoredFile>();
  private readonly byDocument = new Map<string, StoredFile>();
  private counter = 1;

  /** A file as lightning-file-upload leaves it: owned by the uploading user, shared with nobody. */
  upload(
    ownerId: string,
    { title, pathOnClient, data }: { title?: string; pathOnClient: string; data: Buffer | string },
  ) {
    const n = this.counter++;
    const file: StoredFile = {
      versionId: makeId('068', n),
      documentId: makeId('069', n),
      title: title ?? pathOnClient.replace(/\.[^.]*$/, ''),
      pathOnClient,
      ownerId,
      bytes: Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'),
      createdDate: sfDateTime(Date.now()),
      sharedWith: new Set(),
    };
    this.byVersion.set(file.versionId, file);
    this.byDocument.set(file.documentId, file);
    return { contentVersionId: file.versionId, contentDocumentId: file.documentId };
  }

  /** A file's name and bytes, as the org's download servlet serves them (for the local preview). */
  read(contentVersionId: string): { title: string; pathOnClient: string; bytes: Buffer } | undefined {
    const file = this.byVersion.get(contentVersionId);
    return file && { title: file.title, pathOnClient: file.pathOnClient, bytes: file.bytes };
  }

  /** Users a file's document is shared with (ContentDocumentLink), for tests. */
  sharedWith(contentVersionId: string): string[] {
    return [...(this.byVersion.get(contentVersionId)?.sharedWith ?? [])];
  }

  /** Handles /sobjects/ContentVersion... and /sobjects/ContentDocumentLink; null for any other path. */
  handle(
    method: string,
    parts: string[],
    query: URLSearchParams,
    headers: Record<string, string | undefined>,
    raw: Buffer,
    access: Access,
    version: string,
  ): { status: number; body: unknown } | { stream: StoredFile } | null {
    const [, type, id, field] = parts;
    if (type === 'ContentDocumentLink' && !id && method === 'POST') return this.link(parseJson(raw), access);
    if (type !== 'ContentVersion') return null;
    if (!id && method === 'POST') return this.insert(headers['content-type'] ?? '', raw, access);
    if (!id) return null;
    const file = this.byVersion.get(id);
    if (!file || !this.canRead(file, access)) throw sfError('NOT_FOUND');
    if (method !== 'GET') throw sfError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET`);
    if (field === 'VersionData') return { stream: file };
    if (field) throw sfError('NOT_FOUND');
    const wanted = query
      .get('fields')
      ?.split(',')
      .map((f) => f.trim()) ?? [...VERSION_FIELDS];
    const record = this.record(file, version);
    for (const f of wanted) {
      if (!(f in record)) throw sfError('INVALID_FIELD', `No such column '${f}' on entity 'ContentVersion'.`);
    }
    return {
      status: 200,
      body: {
        attributes: {
          type: 'ContentVersion',
          url: `/services/data/v${version}/sobjects/ContentVersion/${file.versionId}`,
        },
        ...Object.fromEntries(wanted.map((f) => [f, record[f]])),
      },
    };
  }

  /** Streams the bytes in chunks, as Salesforce serves a blob field: application/octet-stream. */
  static send(res: ServerResponse, file: StoredFile, headers: Record<string, string>) {
    res.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream', 'Content-Length': file.bytes.length });
    const CHUNK = 64 * 1024;
    let offset = 0;
    const pump = () => {
      while (offset < file.bytes.length) {
        const end = Math.min(offset + CHUNK, file.bytes.length);
        const more = res.write(file.bytes.subarray(offset, end));
        offset = end;
        if (!more) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  }

  private canRead(file: StoredFile, access: Access) {
    return (
      file.ownerId === access.userId ||
      file.sharedWith.has(access.userId) ||
      access.permissions.has('PermissionsViewAllData')
    );
  }

  private record(file: StoredFile, version: string): Record<string, unknown> {
    const extension = /\.([^.]+)$/.exec(file.pathOnClient)?.[1]?.toLowerCase() ?? '';
    return {
      Id: file.versionId,
      ContentDocumentId: file.documentId,
      Title: file.title,
      PathOnClient: file.pathOnClient,
      FileExtension: extension,
      FileType: extension.toUpperCase() || 'UNKNOWN',
      ContentSize: file.bytes.length,
      OwnerId: file.ownerId,
      CreatedDate: file.createdDate,
      VersionData: `/services/data/v${version}/sobjects/ContentVersion/${file.versionId}/VersionData`,
    };
  }

  private insert(contentType: string, raw: Buffer, access: Access) {
    let fields: Record<string, unknown>;
    let data: Buffer;
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (/^multipart\/form-data/i.test(contentType)) {
      if (!boundary) throw sfError('INVALID_MULTIPART_REQUEST', 'The multipart request has no boundary.');
      const partsByName = multipart(raw, boundary);
      const entity = partsByName.get('entity_content');
      const blob = partsByName.get('VersionData');
      if (!entity || !blob)
        throw sfError('INVALID_MULTIPART_REQUEST', 'Send the parts entity_content (JSON) and VersionData (the file).');
      fields = parseJson(entity) as Record<string, unknown>;
      data = blob;
    } else {
      fields = parseJson(raw) as Record<string, unknown>;
      if (typeof fields.VersionData !== 'string')
        throw sfError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [VersionData]');
      data = Buffer.from(fields.VersionData, 'base64');
    }
    if (typeof fields.PathOnClient !== 'string' || !fields.PathOnClient)
      throw sfError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [PathOnClient]');
    const { contentVersionId } = this.upload(access.userId, {
      title: typeof fields.Title === 'string' ? fields.Title : undefined,
      pathOnClient: fields.PathOnClient,
      data,
    });
    return { status: 201, body: { id: contentVersionId, success: true, errors: [] } };
  }

  private link(body: unknown, access: Access) {
    const { ContentDocumentId: documentId, LinkedEntityId: userId } = (body ?? {}) as Record<string, string>;
    const file = documentId ? this.byDocument.get(documentId) : undefined;
    if (!file || !this.canRead(file, access))
      throw sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (!userId?.startsWith('005'))
      throw sfError('FIELD_INTEGRITY_EXCEPTION', 'Linked Entity ID: id value of incorrect type');
    file.sharedWith.add(userId);
    return { status: 201, body: { id: makeId('06A', this.counter++), success: true, errors: [] } };
  }
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw sfError('JSON_PARSER_ERROR', 'Unexpected character in the request body.');
  }
}

/** The parts of a multipart/form-data body, by name, as raw bytes. */
function multipart(raw: Buffer, boundary: string): Map<string, Buffer> {
  const parts = new Map<string, Buffer>();
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(start + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const head = part.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]+)"/.exec(head)?.[1];
      // The part's body ends before the CRLF that precedes the next delimiter.
      let body = part.subarray(headerEnd + 4);
      if (body.subarray(-2).toString() === '\r\n') body = body.subarray(0, -2);
      if (name) parts.set(name, body);
    }
    start = next;
  }
  return parts;
}
