import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { accessFor } from './access.js';
import { routeName, type ApiResponse, type DataApi } from './api.js';
import { runComposite } from './composite.js';
import type { CallLog, FakeControl } from './control.js';
import { OAuthError, SfError, sfError, STATUS_BY_CODE, MESSAGES } from './errors.js';
import type { Faults, FaultSpec } from './faults.js';
import { FileStore } from './files.js';
import type { Auth } from './oauth.js';
import type { OrgStore } from './org.js';

export interface ServerParts {
  org: OrgStore;
  api: DataApi;
  auth: Auth;
  faults: Faults;
  calls: CallLog;
  control: FakeControl;
  files: FileStore;
  apiVersion: string;
  credentials: () => unknown;
}

const JSON_TYPE = 'application/json;charset=UTF-8';

/** Release names as /services/data lists them: v62.0 is Winter '25, three releases a year. */
function versions(max: string): { label: string; url: string; version: string }[] {
  const out = [];
  for (let v = 31; v <= Math.floor(Number(max)); v++) {
    const season = ['Spring', 'Summer', 'Winter'][v % 3]!;
    const year = 25 + Math.floor((v + 1) / 3) - 21;
    out.push({
      label: `${season} '${String(year).padStart(2, '0')}`,
      url: `/services/data/v${v}.0`,
      version: `${v}.0`,
    });
  }
  return out;
}

function classify(method: string, path: string): string {
  if (path === '/services/oauth2/token') return 'token';
  if (path === '/services/oauth2/userinfo') return 'userinfo';
  if (path.startsWith('/id/')) return 'identity';
  if (path === '/services/data' || path === '/services/data/') return 'versions';
  const m = /^\/services\/data\/v\d+\.\d(\/.*)?$/.exec(path);
  if (m) return routeName(method, (m[1] ?? '').replace(/\/$/, ''));
  if (path.startsWith('/__fake/')) return 'control';
  return 'unknown';
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const FILES_PATH = /^\/services\/data\/v(\d+\.\d)(\/sobjects\/(?:ContentVersion|ContentDocumentLink)(?:\/.*)?)$/;

export function createFakeServer(parts: ServerParts): Server {
  const { api, auth, faults, calls } = parts;
  const limitHeader = () => ({ 'Sforce-Limit-Info': `api-usage=${api.dailyUsed}/${api.dailyMax}` });

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    route = 'unknown',
  ) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': JSON_TYPE, ...headers });
    res.end(text);
    return route;
  };

  const faultResponse = (f: FaultSpec, route: string): { status: number; body: string } | null => {
    if (!f.errorCode && !f.status) return null;
    const errorCode =
      f.errorCode ??
      (f.status === 503 ? 'SERVER_UNAVAILABLE' : f.status === 401 ? 'INVALID_SESSION_ID' : 'UNKNOWN_EXCEPTION');
    const status = f.status ?? STATUS_BY_CODE[errorCode] ?? 500;
    const message = f.message ?? MESSAGES[errorCode] ?? errorCode;
    if (route === 'token') return { status, body: new OAuthError(status, errorCode.toLowerCase(), message).body() };
    return { status, body: new SfError(status, errorCode, message).body() };
  };

  const dispatchData = (
    method: string,
    fullPath: string,
    query: URLSearchParams,
    headers: Record<string, string | undefined>,
    body: unknown,
    userId: string,
  ): ApiResponse => {
    const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(fullPath);
    if (!m || !versions(parts.apiVersion).some((v) => v.version === m[1])) throw sfError('NOT_FOUND');
    const sub = (m[2] ?? '').replace(/\/$/, '');
    if (routeName(method, sub) === 'composite') {
      if (method !== 'POST')
        throw sfError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are POST`);
      return runComposite(body, (subMethod, url, subBody) => {
        const u = new URL(url, 'http://composite');
        if (routeName(subMethod, u.pathname.replace(/^\/services\/data\/v\d+\.\d/, '')) === 'composite')
          throw sfError('INVALID_INPUT', 'Composite subrequests cannot be composite requests.');
        return dispatchData(subMethod, u.pathname, u.searchParams, headers, subBody, userId);
      });
    }
    return api.handle({ method, path: sub, version: m[1]!, query, headers, body }, userId);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<string> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const route = classify(method, path);
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');

    if (route === 'control') return handleControl(req, res, path, raw, parts);

    const firing = faults.match(route, path);
    const latency = firing.reduce((sum, f) => sum + (f.latencyMs ?? 0), 0);
    if (latency) await sleep(latency);
    if (firing.some((f) => f.reset)) {
      req.socket.destroy();
      return route;
    }
    const injected = firing.map((f) => faultResponse(f, route)).find((r) => r);
    const isData =
      route !== 'token' && route !== 'userinfo' && route !== 'identity' && route !== 'versions' && route !== 'unknown';
    if (injected) return send(res, injected.status, injected.body, isData ? limitHeader() : {}, route);

    if (route === 'token') {
      if (method !== 'POST')
        return send(res, 405, { error: 'invalid_request', error_description: 'must use HTTP POST' });
      try {
        return send(res, 200, auth.token(new URLSearchParams(raw || url.search)), {}, route);
      } catch (err) {
        if (err instanceof OAuthError) return send(res, err.status, err.body(), {}, route);
        throw err;
      }
    }
    if (route === 'userinfo' || route === 'identity') {
      const session = auth.authenticate(req.headers.authorization);
      if (!session) return send(res, 403, 'Bad_OAuth_Token', { 'Content-Type': 'text/plain' }, route);
      // UserInfo is OpenID Connect's endpoint: a token without the openid scope may not read it.
      if (route === 'userinfo' && !session.scopes.includes('openid'))
        return send(res, 403, 'Insufficient_Scope', { 'Content-Type': 'text/plain' }, route);
      return send(res, 200, identity(parts, session.userId), {}, route);
    }
    if (route === 'versions') return send(res, 200, versions(parts.apiVersion), {}, route);
    if (route === 'unknown') return send(res, 404, sfError('NOT_FOUND').body(), {}, route);

    const session = auth.authenticate(req.headers.authorization);
    if (!session) return send(res, 401, sfError('INVALID_SESSION_ID').body(), {}, route);
    if (api.dailyUsed >= api.dailyMax)
      return send(res, 403, sfError('REQUEST_LIMIT_EXCEEDED').body(), limitHeader(), route);
    // Other long-running requests fill the org's concurrent limit: same code, another message; not counted.
    if (api.concurrentBusyFor > 0) {
      api.concurrentBusyFor--;
      return send(
        res,
        403,
        sfError('REQUEST_LIMIT_EXCEEDED', MESSAGES.CONCURRENT_LIMIT_EXCEEDED).body(),
        limitHeader(),
        route,
      );
    }
    api.dailyUsed++;
    calls.total++;
    calls.byRoute.set(route, (calls.byRoute.get(route) ?? 0) + 1);
    // A user without API Enabled is refused the whole request (a /composite too), not subrequest by subrequest.
    if (!accessFor(parts.org, session.userId).permissions.has('PermissionsApiEnabled'))
      return send(res, 403, sfError('API_CURRENTLY_DISABLED').body(), limitHeader(), route);
    try {
      // Salesforce Files: binary bodies (multipart uploads, VersionData downloads), so handled before JSON parsing.
      const files = FILES_PATH.exec(path);
      if (files && versions(parts.apiVersion).some((v) => v.version === files[1])) {
        const access = accessFor(parts.org, session.userId);
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
        );
        const segments = files[2]!.split('/').filter(Boolean).map(decodeURIComponent);
        const out = parts.files.handle(method, segments, url.searchParams, headers, bytes, access, files[1]!);
        if (out && 'stream' in out) {
          FileStore.send(res, out.stream, limitHeader());
          return route;
        }
        if (out) return send(res, out.status, out.body, limitHeader(), route);
      }
      let body: unknown;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw sfError('JSON_PARSER_ERROR', 'Unexpected character in the request body.');
        }
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
      );
      const out = dispatchData(method, path, url.searchParams, headers, body, session.userId);
      return send(res, out.status, out.body, limitHeader(), route);
    } catch (err) {
      if (err instanceof SfError) return send(res, err.status, err.body(), limitHeader(), route);
      throw err;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res)
      .then((route) =>
        calls.requests.push({ method: req.method ?? 'GET', path: req.url ?? '', route, status: res.statusCode }),
      )
      .catch((err: unknown) => {
        if (!res.headersSent)
          send(
            res,
            500,
            sfError('UNKNOWN_EXCEPTION', `${MESSAGES.UNKNOWN_EXCEPTION} [${(err as Error).message}]`).body(),
          );
      });
  });
  server.keepAliveTimeout = 5_000;
  return server;
}

function identity(parts: ServerParts, userId: string): Record<string, unknown> {
  const u = parts.org.require(userId).rec;
  const base = (parts.credentials() as { instanceUrl: string }).instanceUrl;
  const sub = `${base}/id/${parts.org.orgId}/${userId}`;
  return {
    sub,
    id: sub,
    user_id: userId,
    organization_id: parts.org.orgId,
    preferred_username: u.Username,
    username: u.Username,
    nickname: u.CommunityNickname,
    name: [u.FirstName, u.LastName].filter(Boolean).join(' '),
    display_name: [u.FirstName, u.LastName].filter(Boolean).join(' '),
    email: u.Email,
    email_verified: true,
    given_name: u.FirstName,
    family_name: u.LastName,
    zoneinfo: u.TimeZoneSidKey,
    active: u.IsActive,
    user_type: 'STANDARD',
    language: u.LanguageLocaleKey,
    locale: u.LocaleSidKey,
    utcOffset: -28800000,
    updated_at: u.SystemModstamp,
    is_app_installed: true,
    urls: {
      rest: `${base}/services/data/v{version}/`,
      sobjects: `${base}/services/data/v{version}/sobjects/`,
      query: `${base}/services/data/v{version}/query/`,
    },
  };
}

/** POST /__fake/control/<name> with a JSON array of arguments; GET /__fake/credentials. */
async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  raw: string,
  parts: ServerParts,
): Promise<string> {
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body ?? null));
    return 'control';
  };
  if (path === '/__fake/credentials') return reply(200, parts.credentials());
  const name = /^\/__fake\/control\/([A-Za-z]+)$/.exec(path)?.[1];
  const fn = name ? (parts.control as unknown as Record<string, unknown>)[name] : undefined;
  if (typeof fn !== 'function') return reply(404, { error: `No control ${name ?? path}; see README` });
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    const args = Array.isArray(parsed) ? parsed : [parsed];
    return reply(200, { result: (fn as (...a: unknown[]) => unknown)(...args) ?? null });
  } catch (err) {
    return reply(400, { error: (err as Error).message });
  }
}
