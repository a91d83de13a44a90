import type { Connection } from 'jsforce';
import { reportProgress } from '../jobs/progress.js';

/** One subrequest's outcome inside a /composite call: its body, or Salesforce's error. */
export type SubResult<T = unknown> =
  | {
      ok: true;
      body: T;
      /** The subrequest's URL: a query is read again from it when its locator expires. */ url?: string;
    }
  | { ok: false; status: number; errorCode: string; message: string };

/** Who the session runs as, normalized to UserInfo's keys (the identity URL's answer says username, display_name). */
export interface UserInfo {
  user_id?: string;
  preferred_username?: string | null;
  name?: string | null;
  active?: boolean;
  [key: string]: unknown;
}

/** What the check reads of an sObject describe. */
export interface DescribeBody {
  fields: { name: string }[];
  queryable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
}

/** What the check reads of describeGlobal. */
export interface DescribeGlobalBody {
  sobjects: { name: string }[];
}

/** Subrequests one /composite call takes at most. */
export const COMPOSITE_SUBREQUESTS = 25;

/** A query's pages are read again from the first when Salesforce drops its locator (15 minutes idle, 10 per user). */
const LOCATOR_RESTARTS = 2;

export interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  records: T[];
  nextRecordsUrl?: string;
}

/** Salesforce's error code, from a jsforce error or an error body. */
export function errorCodeOf(err: unknown): string {
  const e = err as { errorCode?: unknown; name?: unknown; data?: { error?: unknown } } | undefined;
  if (typeof e?.errorCode === 'string' && !e.errorCode.startsWith('ERROR_HTTP_')) return e.errorCode;
  if (typeof e?.data?.error === 'string') return e.data.error; // OAuth endpoints answer {error, error_description}
  if (typeof e?.errorCode === 'string') return e.errorCode;
  return typeof e?.name === 'string' ? e.name : 'UNKNOWN';
}

export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The few Salesforce calls the health check and the gate make, each counted as the API calls
 * Salesforce bills: a /composite request of up to 25 subrequests (at most 5 queries) counts once.
 */
export class CountingClient {
  private calls = 0;

  get apiCalls() {
    return this.calls;
  }

  /** Each call is a step of a health-check job's progress (the total is not known ahead). */
  set apiCalls(n: number) {
    this.calls = n;
    reportProgress({ phase: 'Checking the integration user', done: n, total: null, checkpoint: false });
  }

  constructor(readonly conn: Connection) {}

  private get base() {
    return `/services/data/v${this.conn.version}`;
  }

  /** The user id from the token response's identity URL (`.../id/<org>/<user>`), without a call; null if not kept. */
  get userId(): string | null {
    return this.conn.userInfo?.id ?? null;
  }

  /**
   * Who the session runs as, with its username, name and whether it is active: the identity URL from the token
   * response (UserInfo needs the openid scope, which an integration's app may not have), else UserInfo. Neither is
   * part of the REST API, so neither counts against the org's daily API calls. Normalized to UserInfo's keys.
   */
  async userinfo(): Promise<UserInfo> {
    const url = this.conn.userInfo?.url;
    const raw = await this.conn.request<UserInfo & { username?: string; display_name?: string }>(
      url ?? '/services/oauth2/userinfo',
    );
    return {
      ...raw,
      user_id: raw.user_id,
      preferred_username: raw.preferred_username ?? raw.username ?? null,
      name: raw.name ?? raw.display_name ?? null,
    };
  }

  describeRequest(object: string) {
    return { method: 'GET', url: `${this.base}/sobjects/${object}/describe` };
  }

  describeGlobalRequest() {
    return { method: 'GET', url: `${this.base}/sobjects` };
  }

  /** A query subrequest; composite references (`@{ref.records[0].Field}`) stay unencoded so Salesforce resolves them. */
  queryRequest(soql: string) {
    const q = soql
      .split(/(@\{[^}]+\})/)
      .map((part, i) => (i % 2 ? part : encodeURIComponent(part)))
      .join('');
    return { method: 'GET', url: `${this.base}/query?q=${q}` };
  }

  /** One /composite call; results keyed by referenceId. A subrequest's failure never fails the others. */
  async composite(requests: Record<string, { method: string; url: string }>): Promise<Record<string, SubResult>> {
    const entries = Object.entries(requests);
    if (entries.length === 0) return {};
    if (entries.length > COMPOSITE_SUBREQUESTS)
      throw new Error(`composite allows ${COMPOSITE_SUBREQUESTS} subrequests, got ${entries.length}`);
    if (entries.filter(([, r]) => r.url.includes('/query')).length > 5)
      throw new Error('composite allows at most 5 queries');
    this.apiCalls += 1;
    const res = await this.conn.requestPost<{
      compositeResponse: { body: unknown; httpStatusCode: number; referenceId: string }[];
    }>('/composite', {
      allOrNone: false,
      compositeRequest: entries.map(([referenceId, r]) => ({ ...r, referenceId })),
    });
    const out: Record<string, SubResult> = {};
    for (const sub of res.compositeResponse) {
      if (sub.httpStatusCode < 300) {
        out[sub.referenceId] = { ok: true, body: sub.body, url: requests[sub.referenceId]?.url };
      } else {
        const error = (Array.isArray(sub.body) ? sub.body[0] : sub.body) ?? {};
        out[sub.referenceId] = {
          ok: false,
          status: sub.httpStatusCode,
          errorCode: String(error.errorCode ?? `HTTP_${sub.httpStatusCode}`),
          message: String(error.message ?? ''),
        };
      }
    }
    return out;
  }

  /** Every record of a query whose first page came from composite: follows nextRecordsUrl (jsforce's maxFetch would truncate). */
  async rest<T>(first: QueryPage<T>, url?: string): Promise<T[]> {
    let records = [...first.records];
    let page = first;
    for (let restarts = 0; !page.done && page.nextRecordsUrl;) {
      try {
        this.apiCalls += 1;
        page = await this.conn.request<QueryPage<T>>(page.nextRecordsUrl);
        records.push(...page.records);
      } catch (err) {
        // The locator expired mid-pagination: the read starts over (a composite reference cannot be re-sent alone).
        const again = url && !url.includes('@{') && restarts < LOCATOR_RESTARTS;
        if (errorCodeOf(err) !== 'INVALID_QUERY_LOCATOR' || !again) throw err;
        restarts += 1;
        this.apiCalls += 1;
        page = await this.conn.request<QueryPage<T>>(url);
        records = [...page.records];
      }
    }
    return records;
  }

  async queryAll<T>(soql: string): Promise<T[]> {
    this.apiCalls += 1;
    const { url } = this.queryRequest(soql);
    const first = await this.conn.request<QueryPage<T>>(url);
    return this.rest(first, url);
  }
}

/** A composite subresult as all its records (following pages), or the subrequest's error. */
export async function recordsOf<T>(client: CountingClient, sub: SubResult | undefined): Promise<SubResult<T[]>> {
  if (!sub) return { ok: false, status: 0, errorCode: 'NOT_REQUESTED', message: 'not requested' };
  if (!sub.ok) return sub;
  return { ok: true, body: await client.rest<T>(sub.body as QueryPage<T>, sub.url) };
}

/** SOQL string literal (ids and API names only reach here, but quote them anyway). */
export const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
