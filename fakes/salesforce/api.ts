import { accessFor, type Access } from './access.js';
import { describeGlobal, describeSObject } from './describe.js';
import { sfError } from './errors.js';
import { makeId, parseDateTime, sfDateTime } from './ids.js';
import type { OrgStore } from './org.js';
import { readField, runQuery, type QueryResult } from './soql.js';

export interface ApiRequest {
  method: string;
  /** Path below /services/data/vXX.X, e.g. `/query` or `/sobjects/User/describe`. */
  path: string;
  version: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
}
export interface ApiResponse {
  status: number;
  body: unknown;
}

interface Cursor {
  id: string;
  userId: string;
  result: QueryResult;
  touchedAt: number;
}

const CURSORS_PER_USER = 10;
const CURSOR_IDLE_MS = 15 * 60_000;

/** Names routes for fault injection and the call log. */
export function routeName(method: string, path: string): string {
  if (path === '' || path === '/') return 'resources';
  const [, first, second, third] = path.split('/');
  if (first === 'limits') return 'limits';
  if (first === 'composite') return 'composite';
  if (first === 'query' || first === 'queryAll') return second ? 'queryMore' : first;
  if (first === 'sobjects') {
    if (!second) return 'describeGlobal';
    if (!third) return 'sobject';
    if (third === 'describe') return 'describe';
    if (third === 'updated' || third === 'deleted') return third;
    return 'retrieve';
  }
  return `${method} ${path}`;
}

/** The data API of one org: everything under /services/data/vXX.X, as the session's user. */
export class DataApi {
  private readonly cursors = new Map<string, Cursor>();
  private cursorCounter = 1;
  dailyMax = 100_000;
  dailyUsed = 0;
  /** Data requests still refused by the concurrent long-running request limit. */
  concurrentBusyFor = 0;

  constructor(private readonly org: OrgStore) {}

  handle(req: ApiRequest, userId: string): ApiResponse {
    const access = accessFor(this.org, userId);
    const route = routeName(req.method, req.path);
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    const get = req.method === 'GET';
    switch (route) {
      case 'resources':
        return ok(
          Object.fromEntries(
            ['limits', 'sobjects', 'query', 'queryAll', 'composite'].map((r) => [
              r,
              `/services/data/v${req.version}/${r}`,
            ]),
          ),
        );
      case 'limits':
        return ok({
          DailyApiRequests: { Max: this.dailyMax, Remaining: Math.max(0, this.dailyMax - this.dailyUsed) },
          DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
          DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
        });
      case 'describeGlobal':
        return get ? ok(describeGlobal(this.org, access, req.version)) : notAllowed(req.method);
      case 'describe':
      case 'sobject':
      case 'updated':
      case 'deleted':
      case 'retrieve': {
        const def = this.org.object(parts[1]!);
        if (!def || !access.canReadObject(def.name)) throw sfError('NOT_FOUND');
        if (!get) return notAllowed(req.method);
        if (route === 'describe') return ok(describeSObject(def, access, req.version));
        if (route === 'sobject')
          return ok({ objectDescribe: describeGlobal(this.org, access, req.version).sobjects, recentItems: [] });
        if (route === 'retrieve') return this.retrieve(def.name, parts[2]!, req, access);
        return this.replication(def.name, route, req.query);
      }
      case 'query':
      case 'queryAll':
        return get ? ok(this.query(req, access, route === 'queryAll')) : notAllowed(req.method);
      case 'queryMore':
        return get ? ok(this.queryMore(parts[1]!, req, userId)) : notAllowed(req.method);
      default:
        throw sfError('NOT_FOUND');
    }
  }

  private batchSize(req: ApiRequest): number {
    const m = /batchSize=(\d+)/i.exec(req.headers['sforce-query-options'] ?? '');
    return m ? Math.min(2000, Math.max(200, Number(m[1]))) : 2000;
  }

  private query(req: ApiRequest, access: Access, includeDeleted: boolean): unknown {
    const soql = req.query.get('q');
    if (!soql) throw sfError('MALFORMED_QUERY', 'A query string must be provided.');
    const result = runQuery({ org: this.org, access, version: req.version, soql }, { includeDeleted });
    if (result.countOnly) return { totalSize: result.rows.length, done: true, records: [] };
    if (result.aggregate) return { totalSize: result.rows.length, done: true, records: result.rows };
    const cursor: Cursor = {
      id: makeId('01g', this.cursorCounter++),
      userId: access.userId,
      result,
      touchedAt: this.org.now(),
    };
    this.openCursor(cursor);
    return this.page(cursor, 0, this.batchSize(req), req.version);
  }

  private openCursor(cursor: Cursor): void {
    this.cursors.set(cursor.id, cursor);
    const mine = [...this.cursors.values()].filter((c) => c.userId === cursor.userId);
    // Salesforce keeps ten open cursors per user and releases the oldest.
    for (const old of mine.slice(0, Math.max(0, mine.length - CURSORS_PER_USER))) this.cursors.delete(old.id);
  }

  private page(cursor: Cursor, offset: number, batchSize: number, version: string): unknown {
    const { rows, project } = cursor.result;
    const records = rows.slice(offset, offset + batchSize).map(project);
    const next = offset + records.length;
    const done = next >= rows.length;
    cursor.touchedAt = this.org.now();
    if (done) this.cursors.delete(cursor.id);
    return {
      totalSize: rows.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${cursor.id}-${next}` }),
      records,
    };
  }

  private queryMore(locator: string, req: ApiRequest, userId: string): unknown {
    const m = /^([A-Za-z0-9]{15,18})-(\d+)$/.exec(locator);
    const cursor = m ? this.cursors.get(m[1]!) : undefined;
    if (!m || !cursor || cursor.userId !== userId || this.org.now() - cursor.touchedAt > CURSOR_IDLE_MS)
      throw sfError('INVALID_QUERY_LOCATOR');
    return this.page(cursor, Number(m[2]), this.batchSize(req), req.version);
  }

  expireCursors(): void {
    this.cursors.clear();
  }

  private retrieve(type: string, id: string, req: ApiRequest, access: Access): ApiResponse {
    const found = this.org.get(id);
    if (!found || found.type !== type || found.rec.IsDeleted === true) throw sfError('NOT_FOUND');
    const def = this.org.object(type)!;
    const wanted = req.query
      .get('fields')
      ?.split(',')
      .map((f) => f.trim().toLowerCase());
    const out: Record<string, unknown> = {
      attributes: { type, url: `/services/data/v${req.version}/sobjects/${type}/${found.rec.Id}` },
    };
    for (const f of def.fields) {
      if (!access.canReadField(def, f) || (wanted && !wanted.includes(f.name.toLowerCase()))) continue;
      out[f.name] = readField(found.rec, f);
    }
    return ok(out);
  }

  /** /updated and /deleted: minute resolution, at most 30 days back, end after start. */
  private replication(type: string, kind: 'updated' | 'deleted', query: URLSearchParams): ApiResponse {
    const start = parseDateTime(query.get('start'));
    const end = parseDateTime(query.get('end'));
    if (start === null || end === null)
      throw sfError('INVALID_REPLICATION_DATE', 'startDate and endDate are required and must be valid dateTimes');
    if (end <= start) throw sfError('INVALID_REPLICATION_DATE', 'endDate must chronologically follow the startDate');
    // /updated reaches 30 days back, /deleted 15 (the REST API guide's "sObject Get Updated" and "Get Deleted").
    const days = kind === 'deleted' ? 15 : 30;
    const earliest = this.org.now() - days * 86_400_000;
    if (start < earliest) throw sfError('INVALID_REPLICATION_DATE', `startDate cannot be more than ${days} days ago`);
    const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
    const from = minute(start);
    const to = minute(Math.min(end, this.org.now()));
    if (kind === 'updated') {
      const ids = this.org
        .rows(type)
        .filter((r) => {
          const at = parseDateTime(r.SystemModstamp);
          return at !== null && at >= from && at < to && r.IsDeleted !== true;
        })
        .map((r) => r.Id);
      return ok({ ids, latestDateCovered: sfDateTime(to) });
    }
    const deletedRecords = this.org
      .deleted(type)
      .filter((d) => d.deletedDate >= from && d.deletedDate < to)
      .map((d) => ({ id: d.id, deletedDate: sfDateTime(d.deletedDate) }));
    return ok({
      deletedRecords,
      earliestDateAvailable: sfDateTime(minute(earliest)),
      latestDateCovered: sfDateTime(to),
    });
  }
}

const ok = (body: unknown): ApiResponse => ({ status: 200, body });
const notAllowed = (method: string): ApiResponse => ({
  status: 405,
  body: [{ message: `HTTP Method '${method}' not allowed. Allowed are GET`, errorCode: 'METHOD_NOT_ALLOWED' }],
});
