import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake treats one mailbox. */
export type GraphUserBehavior =
  'ok' | 'out_of_scope' | 'rbac_out_of_scope' | 'access_denied' | 'no_mailbox' | 'unknown' | 'throttled' | 'outage';

export interface FakeGraphControl {
  users: Map<string, { id: string; behavior: GraphUserBehavior }>;
  /** Token endpoint: 'ok', a wrong secret (AADSTS7000215) or an app not consented in the tenant (AADSTS700016). */
  tokenGrant: 'ok' | 'bad_secret' | 'not_consented';
  /** Every API call answers 403 ErrorAccessDenied (no application permissions granted). */
  noPermissions: boolean;
  /** Tokens are rejected with 401 InvalidAuthenticationToken. */
  rejectTokens: boolean;
  /** The whole `$batch` call answers 429 with Retry-After. */
  throttleBatches: boolean;
  /** Batch responses come back in a shuffled order, as Graph allows. */
  shuffle: boolean;
  latencyMs: number;
  retryAfterSeconds: number;
  messagesPerUser: number;
  eventsPerUser: number;
}

export interface FakeGraph {
  authorityUrl: string;
  graphUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  control: FakeGraphControl;
  /** Adds a mailbox (object id generated) and returns its object id. */
  addUser(email: string, behavior?: GraphUserBehavior): string;
  /** HTTP calls by kind; `partialBatches`: `$batch` calls carrying fewer than 20 requests. */
  calls: { token: number; batch: number; get: number; total: number; batchItems: number; partialBatches: number };
  close(): Promise<void>;
}

const inner = () => ({
  date: new Date().toISOString().slice(0, 19),
  'request-id': randomUUID(),
  'client-request-id': randomUUID(),
});
const graphError = (code: string, message: string) => ({ error: { code, message, innerError: inner() } });

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/**
 * A wire-level Microsoft identity platform + Graph: the v2.0 client-credentials token endpoint (AADSTS errors)
 * and the user, inbox, calendar, messages and events endpoints, also inside `POST /v1.0/$batch` (at most 20
 * items, per-item statuses, a 429 inside a 200, shuffled order), with Graph's error bodies.
 */
export async function startFakeGraph(opts: Partial<FakeGraphControl> = {}): Promise<FakeGraph> {
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const clientSecret = `fake~${randomBytes(18).toString('base64url')}`;
  const control: FakeGraphControl = {
    users: new Map(),
    tokenGrant: 'ok',
    noPermissions: false,
    rejectTokens: false,
    throttleBatches: false,
    shuffle: true,
    latencyMs: 0,
    retryAfterSeconds: 30,
    messagesPerUser: 4,
    eventsPerUser: 3,
    ...opts,
  };
  const calls = { token: 0, batch: 0, get: 0, total: 0, batchItems: 0, partialBatches: 0 };
  const tokens = new Set<string>();
  let base = '';

  const byId = new Map<string, { id: string; behavior: GraphUserBehavior }>();
  const lookup = (key: string) => {
    const decoded = decodeURIComponent(key).toLowerCase();
    const byEmail = control.users.get(decoded);
    if (byEmail) return byEmail;
    // Tests may fill control.users directly: index object ids whenever the map has changed size.
    if (byId.size !== control.users.size) {
      byId.clear();
      for (const user of control.users.values()) byId.set(user.id, user);
    }
    return byId.get(decoded);
  };

  /** One GET, as answered alone or inside a batch. */
  function get(path: string): Answer {
    if (control.noPermissions)
      return {
        status: 403,
        body: graphError('ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
      };
    const url = new URL(path, 'http://graph');
    const m = /^\/(?:v1\.0\/)?users\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!m) return { status: 400, body: graphError('BadRequest', `Invalid request: ${url.pathname}`) };
    const key = m[1] ?? '';
    const user = lookup(key);
    const rest = m[2] ?? '';
    if (!user)
      return {
        status: 404,
        body: rest
          ? graphError('ErrorInvalidUser', `The requested user '${decodeURIComponent(key)}' is invalid.`)
          : graphError(
              'Request_ResourceNotFound',
              `Resource '${decodeURIComponent(key)}' does not exist or one of its queried reference-property objects are not present.`,
            ),
      };
    if (!rest) return { status: 200, body: { id: user.id } };
    switch (user.behavior) {
      case 'out_of_scope':
        return {
          status: 403,
          body: graphError(
            'ErrorAccessDenied',
            'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.',
          ),
        };
      case 'rbac_out_of_scope':
        return {
          status: 403,
          body: graphError(
            'ErrorAccessDenied',
            'Access is denied. The application is not in the management scope of the ServicePrincipal for this mailbox (RBAC for Applications).',
          ),
        };
      case 'access_denied':
        return {
          status: 403,
          body: graphError('ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
        };
      case 'no_mailbox':
        return {
          status: 404,
          body: graphError(
            'MailboxNotEnabledForRESTAPI',
            'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
          ),
        };
      case 'unknown':
        return { status: 404, body: graphError('ErrorInvalidUser', `The requested user '${user.id}' is invalid.`) };
      case 'throttled':
        return {
          status: 429,
          body: graphError('ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'),
          headers: { 'Retry-After': String(control.retryAfterSeconds) },
        };
      case 'outage':
        return { status: 503, body: graphError('ServiceUnavailable', 'Service Unavailable') };
    }
    const page = (total: number) => {
      const top = Number(url.searchParams.get('$top') ?? 10);
      const skip = Number(url.searchParams.get('$skip') ?? 0);
      const value = Array.from({ length: Math.max(0, Math.min(top, total - skip)) }, (_, i) => ({
        id: `AAMk-${skip + i}`,
      }));
      const next = new URL(`${base}/v1.0${url.pathname.replace(/^\/v1\.0/, '')}`);
      url.searchParams.forEach((v, k) => next.searchParams.set(k, v));
      next.searchParams.set('$skip', String(skip + top));
      return { value, ...(skip + top < total ? { '@odata.nextLink': next.toString() } : {}) };
    };
    if (rest === '/mailFolders/inbox') return { status: 200, body: { id: `inbox-${user.id}` } };
    if (rest === '/calendar') return { status: 200, body: { id: `calendar-${user.id}` } };
    if (rest === '/messages') return { status: 200, body: page(control.messagesPerUser) };
    if (rest === '/calendar/events') return { status: 200, body: page(control.eventsPerUser) };
    return { status: 400, body: graphError('BadRequest', `Resource not found for the segment '${rest}'.`) };
  }

  const send = (res: ServerResponse, a: Answer) =>
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(JSON.stringify(a.body));

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () =>
      setTimeout(() => {
        calls.total += 1;
        const url = new URL(req.url ?? '/', 'http://graph');
        const body = Buffer.concat(chunks).toString();
        if (req.method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) {
          calls.token += 1;
          const form = new URLSearchParams(body);
          const tenant = url.pathname.split('/')[1];
          if (tenant !== tenantId)
            return send(res, {
              status: 400,
              body: {
                error: 'invalid_request',
                error_description: `AADSTS90002: Tenant '${tenant}' not found.`,
                error_codes: [90002],
              },
            });
          if (control.tokenGrant === 'not_consented' || form.get('client_id') !== clientId) {
            return send(res, {
              status: 400,
              body: {
                error: 'unauthorized_client',
                error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory.`,
                error_codes: [700016],
              },
            });
          }
          if (control.tokenGrant === 'bad_secret' || form.get('client_secret') !== clientSecret) {
            return send(res, {
              status: 401,
              body: {
                error: 'invalid_client',
                error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
                error_codes: [7000215],
              },
            });
          }
          const token = `eyJ0eXAiOiJKV1Qi.fake.${randomBytes(16).toString('base64url')}`;
          tokens.add(token);
          return send(res, {
            status: 200,
            body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token },
          });
        }
        const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        if (!tokens.has(token) || control.rejectTokens) {
          return send(res, {
            status: 401,
            body: graphError('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'),
          });
        }
        if (req.method === 'POST' && url.pathname === '/v1.0/$batch') {
          calls.batch += 1;
          if (control.throttleBatches) {
            return send(res, {
              status: 429,
              body: graphError('TooManyRequests', 'Too many requests.'),
              headers: { 'Retry-After': String(control.retryAfterSeconds) },
            });
          }
          const { requests } = JSON.parse(body) as { requests: { id: string; method: string; url: string }[] };
          if (!Array.isArray(requests) || requests.length > 20) {
            return send(res, {
              status: 400,
              body: graphError('BadRequest', 'Number of batch requests exceeds the limit of 20.'),
            });
          }
          calls.batchItems += requests.length;
          if (requests.length < 20) calls.partialBatches += 1;
          const responses = requests.map((r) => {
            const a = get(r.url);
            return {
              id: r.id,
              status: a.status,
              headers: { 'Content-Type': 'application/json', ...a.headers },
              body: a.body,
            };
          });
          if (control.shuffle) responses.reverse();
          return send(res, { status: 200, body: { responses } });
        }
        if (req.method === 'GET') {
          calls.get += 1;
          return send(res, get(`${url.pathname}${url.search}`));
        }
        send(res, { status: 405, body: graphError('BadRequest', 'Method not allowed.') });
      }, control.latencyMs),
    );
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    authorityUrl: base,
    graphUrl: base,
    tenantId,
    clientId,
    clientSecret,
    control,
    calls,
    addUser(email, behavior = 'ok') {
      const id = randomUUID();
      control.users.set(email.toLowerCase(), { id, behavior });
      return id;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
