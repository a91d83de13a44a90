import type { FastifyBaseLogger } from 'fastify';
import type { Connection } from 'jsforce';
import type { Knex } from 'knex';
import { scoped } from '../db/scoped.js';
import { JobInterrupted, reportProgress } from '../jobs/progress.js';
import { findOrg } from '../orgs/repo.js';
import { ConflictError } from '../shared/errors.js';
import type { SecretBox } from '../shared/secrets.js';
import { identityOf, loadJsforce, requestToken, type IssuedToken, type SalesforceCredentials } from './auth.js';
import { ApiBudgetError, explainSalesforceError, SalesforceError } from './errors.js';
import { findConnection } from './repo.js';
import { createTokenStore, type TokenStore } from './token-store.js';
import { DEFAULT_RETRY, ResilientTransport, type RetryPolicy } from './transport.js';

export const DEFAULT_API_VERSION = '62.0';
const MAX_LOCATOR_RESTARTS = 2;
const READING: Record<string, string> = { User: 'Reading Salesforce users', UserRole: 'Reading Salesforce roles' };
/** The progress phase of a query, from its object: a job's progress bar counts the rows read. */
const readingPhase = (soql: string) => {
  const object = /\bFROM\s+(\w+)/i.exec(soql)?.[1] ?? 'records';
  return READING[object] ?? `Reading ${object} from Salesforce`;
};

export interface LimitInfo {
  used: number;
  max: number;
}

/** One use of an org's Salesforce client (a sync run, a health check): its own call count, shared token and limits. */
export interface SalesforceSession {
  /** Authorized, API version set explicitly; its transport retries, counts and enforces the budget. */
  conn: Connection;
  /**
   * Every page of the query (never truncated by maxFetch); restarts on INVALID_QUERY_LOCATOR. `first`: its first page,
   * already read (in a /composite), so only the pages after it are asked for.
   */
  queryAll<T>(soql: string, first?: QueryPage<T>): Promise<T[]>;
  /** One /composite request (one API call) of up to 25 subrequests; returns each subrequest's body. */
  composite(
    subrequests: { referenceId: string; url: string }[],
  ): Promise<Record<string, { status: number; body: unknown }>>;
  /** API calls made through this session (every HTTP response from the data API, retries included). */
  apiCalls(): number;
  limitInfo(): LimitInfo | null;
  /** Who the session runs as, from the token response's identity URL (null for a token stored before it was kept). */
  identity(): { orgId: string; userId: string; url: string } | null;
  apiVersion: string;
}

export interface SalesforceClientsDeps {
  db: Knex;
  secrets: SecretBox;
  log: FastifyBaseLogger;
  retry?: RetryPolicy;
}

interface OrgClientState {
  stamp: string;
  creds: SalesforceCredentials;
  apiVersion: string;
  budgetShare: number;
  token: IssuedToken | null;
  limit: (LimitInfo & { at: number }) | null;
  inflight: Promise<IssuedToken> | null;
}

/** The one Salesforce client per org: shared token, single-flight refresh, limit tracking, API budget. */
export function createSalesforceClients(deps: SalesforceClientsDeps) {
  const store = createTokenStore(deps.db, deps.secrets);
  const clients = new Map<string, OrgClientState>();
  const retry = deps.retry ?? DEFAULT_RETRY;

  async function forOrg(orgId: string): Promise<SalesforceSession> {
    const row = await findConnection(scoped(deps.db, orgId));
    if (!row) {
      throw new ConflictError(
        'salesforce_not_connected',
        'This org has no Salesforce connection yet: save one under Salesforce connection first.',
      );
    }
    const org = await findOrg(deps.db, orgId);
    const stamp = new Date(row.updated_at).toISOString();
    let state = clients.get(orgId);
    if (!state || state.stamp !== stamp) {
      state = {
        stamp,
        creds: {
          loginUrl: row.login_url,
          authKind: row.auth_kind,
          clientId: row.client_id,
          clientSecret: row.encrypted_client_secret ? deps.secrets.open(row.encrypted_client_secret) : null,
          audience: row.jwt_audience ?? null,
          username: row.username,
          secret: deps.secrets.open(row.encrypted_secret),
        },
        apiVersion: row.api_version ?? DEFAULT_API_VERSION,
        budgetShare: 0.8,
        token: null,
        limit: state?.limit ?? null,
        inflight: null,
      };
      clients.set(orgId, state);
    }
    state.budgetShare = Number(org?.api_budget_share ?? 0.8);
    const s = state;
    const refresh = (failed: string | null) =>
      singleFlight(s, () =>
        store.refreshUnderLease(orgId, failed, (secret) =>
          requestToken({ ...s.creds, secret }, tokenTransport(retry)).then((token) => rotate(s.creds, token)),
        ),
      );
    if (!s.token)
      s.token =
        (await store.load(orgId)) ?? (await refresh(null).catch((err) => Promise.reject(explainSalesforceError(err))));
    return openSession((await loadJsforce()).Connection, s, refresh, retry, deps.log);
  }

  /** A session for credentials not yet saved (the connection test on save); nothing is stored. */
  async function forCredentials(
    creds: SalesforceCredentials,
    apiVersion = DEFAULT_API_VERSION,
  ): Promise<SalesforceSession> {
    const s: OrgClientState = {
      stamp: '',
      creds,
      apiVersion,
      budgetShare: 1,
      token: null,
      limit: null,
      inflight: null,
    };
    // A rotated refresh token replaces the caller's, so the one saved is the one still alive.
    const refresh = () =>
      singleFlight(s, () => requestToken(creds, tokenTransport(retry)).then((t) => rotate(creds, t)));
    s.token = await refresh().catch((err) => Promise.reject(explainSalesforceError(err)));
    return openSession((await loadJsforce()).Connection, s, refresh, retry, deps.log);
  }

  /** The latest Sforce-Limit-Info this process saw per org (for /metrics). */
  const limits = () =>
    [...clients].flatMap(([orgId, c]) => (c.limit ? [{ orgId, used: c.limit.used, max: c.limit.max }] : []));

  return { forOrg, forCredentials, limits, forget: (orgId: string) => clients.delete(orgId) };
}

export type SalesforceClients = ReturnType<typeof createSalesforceClients>;
export type { TokenStore };

const tokenTransport = (retry: RetryPolicy) => new ResilientTransport({}, retry);

/** With refresh-token rotation each refresh returns a new refresh token and the old one dies: keep the new one. */
function rotate(creds: SalesforceCredentials, token: IssuedToken): IssuedToken {
  if (token.refreshToken) creds.secret = token.refreshToken;
  return token;
}

/** Concurrent sessions of one org that all see an expired token share one refresh. */
async function singleFlight(s: OrgClientState, issue: () => Promise<IssuedToken>): Promise<IssuedToken> {
  if (!s.inflight) {
    s.inflight = issue().finally(() => {
      s.inflight = null;
    });
  }
  s.token = await s.inflight;
  return s.token;
}

function openSession(
  Connection: typeof import('jsforce').Connection,
  s: OrgClientState,
  refresh: (failed: string | null) => Promise<IssuedToken>,
  retry: RetryPolicy,
  log: FastifyBaseLogger,
): SalesforceSession {
  let calls = 0;
  // The budget is judged on usage this session has seen: a usage figure from an earlier run may predate the daily reset.
  let seen: LimitInfo | null = null;
  // One refresh per expiry: a second 401 right after a refresh is a real credential problem, not an expiry.
  let refreshedSinceSuccess = false;
  let refreshError: unknown = null;

  const transport = new ResilientTransport(
    {
      beforeRequest: () => {
        const l = seen;
        if (l && l.used > s.budgetShare * l.max) {
          throw new ApiBudgetError(
            `The org has used ${l.used} of its ${l.max} daily Salesforce API calls, past Roster's share of ${Math.round(s.budgetShare * 100)}%; syncing resumes when usage falls.`,
          );
        }
      },
      onResponse: (res) => {
        calls += 1;
        const m = /api-usage=(\d+)\/(\d+)/.exec(res.headers?.['sforce-limit-info'] ?? '');
        if (m) {
          seen = { used: Number(m[1]), max: Number(m[2]) };
          s.limit = { ...seen, at: Date.now() };
        }
        if (res.statusCode < 400) refreshedSinceSuccess = false;
      },
    },
    retry,
  );

  const conn = new Connection({
    instanceUrl: s.token!.instanceUrl,
    accessToken: s.token!.accessToken,
    version: s.apiVersion,
    refreshFn: (c, callback) => {
      if (refreshedSinceSuccess) {
        refreshError = new SalesforceError(
          'bad_credentials',
          'Salesforce rejected a freshly issued session: check the integration user and the connected app.',
        );
        callback(refreshError as Error);
        return;
      }
      refreshedSinceSuccess = true;
      refresh(c.accessToken ?? null).then(
        (token) => {
          c.instanceUrl = token.instanceUrl;
          callback(undefined, token.accessToken);
        },
        (err) => {
          refreshError = explainSalesforceError(err);
          callback(refreshError as Error);
        },
      );
    },
  });
  (conn as unknown as { _transport: ResilientTransport })._transport = transport;
  // Who the session runs as, from the token response's identity URL (the health check reads it, never userinfo).
  const id = identityOf(s.token?.identityUrl);
  if (id) conn.userInfo = { id: id.userId, organizationId: id.orgId, url: id.url };

  const explain = (err: unknown, soql?: string) => {
    const e = refreshError && /Unable to refresh session/.test(String((err as Error)?.message)) ? refreshError : err;
    const out = explainSalesforceError(e);
    if (soql) log.warn({ soql, salesforceCode: out.sfCode, err: (err as Error)?.message }, 'salesforce query failed');
    return out;
  };
  const base = () => `/services/data/v${s.apiVersion}`;

  async function queryAll<T>(soql: string, first?: QueryPage<T>): Promise<T[]> {
    for (let restart = 0; ; restart += 1) {
      try {
        const rows: T[] = [];
        let page =
          restart === 0 && first
            ? first
            : await conn.request<QueryPage<T>>({
                method: 'GET',
                url: `${base()}/query?q=${encodeURIComponent(soql)}`,
                headers: { 'Sforce-Query-Options': 'batchSize=2000' },
              });
        for (;;) {
          for (const r of page.records) rows.push(r);
          reportProgress({ phase: readingPhase(soql), done: rows.length, total: page.totalSize });
          if (page.done || !page.nextRecordsUrl) return rows;
          page = await conn.request<QueryPage<T>>({
            method: 'GET',
            url: page.nextRecordsUrl,
            headers: { 'Sforce-Query-Options': 'batchSize=2000' },
          });
        }
      } catch (err) {
        if (err instanceof JobInterrupted) throw err;
        // The locator expired or was invalidated mid-pagination: read the query again from the start.
        if ((err as { errorCode?: string }).errorCode === 'INVALID_QUERY_LOCATOR' && restart < MAX_LOCATOR_RESTARTS)
          continue;
        throw explain(err, soql);
      }
    }
  }

  async function composite(subrequests: { referenceId: string; url: string }[]) {
    try {
      const res = await conn.request<{
        compositeResponse: { referenceId: string; httpStatusCode: number; body: unknown }[];
      }>({
        method: 'POST',
        url: `${base()}/composite`,
        body: JSON.stringify({ allOrNone: false, compositeRequest: subrequests.map((r) => ({ method: 'GET', ...r })) }),
        headers: { 'content-type': 'application/json' },
      });
      return Object.fromEntries(
        res.compositeResponse.map((r) => [r.referenceId, { status: r.httpStatusCode, body: r.body }]),
      );
    } catch (err) {
      throw explain(err);
    }
  }

  return {
    conn,
    queryAll,
    composite,
    apiCalls: () => calls,
    limitInfo: () => (s.limit ? { used: s.limit.used, max: s.limit.max } : null),
    identity: () => identityOf(s.token?.identityUrl),
    apiVersion: s.apiVersion,
  };
}

export interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}
