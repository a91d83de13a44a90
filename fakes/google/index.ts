import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake treats one Workspace user. */
export type GoogleUserBehavior =
  'ok' | 'deleted' | 'suspended' | 'mail_off' | 'calendar_off' | 'throttled' | 'outage' | 'bad_token';

export interface FakeGoogleControl {
  users: Map<string, GoogleUserBehavior>;
  /** Scopes granted to the client id under domain-wide delegation; null = not delegated at all. */
  delegatedScopes: string[] | null;
  apiDisabled: boolean;
  domainPolicy: boolean;
  keyDeleted: boolean;
  latencyMs: number;
  /** Message and event ids each user has inside any backfill window. */
  messagesPerUser: number;
  eventsPerUser: number;
}

export interface FakeGoogle {
  tokenUrl: string;
  apiRootUrl: string;
  credentials: { clientEmail: string; clientId: string; privateKey: string };
  control: FakeGoogleControl;
  calls: { token: number; api: number; byPath: Map<string, number> };
  close(): Promise<void>;
}

const SCOPES = ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/calendar.readonly'];

const apiError = (code: number, status: string, reason: string, message: string) => ({
  error: {
    code,
    message,
    errors: [{ message, domain: reason === 'authError' ? 'global' : 'usageLimits', reason }],
    status,
  },
});

/**
 * A wire-level Google: the OAuth token endpoint (JWT bearer grants, verified against the service account's
 * public key) and the Gmail and Calendar endpoints a probe and a backfill use, with Google's error bodies.
 */
export async function startFakeGoogle(opts: Partial<FakeGoogleControl> = {}): Promise<FakeGoogle> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const credentials = {
    clientEmail: 'roster-probe@roster-test.iam.gserviceaccount.com',
    clientId: '109876543210987654321',
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  const control: FakeGoogleControl = {
    users: new Map(),
    delegatedScopes: [...SCOPES],
    apiDisabled: false,
    domainPolicy: false,
    keyDeleted: false,
    latencyMs: 0,
    messagesPerUser: 3,
    eventsPerUser: 2,
    ...opts,
  };
  const calls = { token: 0, api: 0, byPath: new Map<string, number>() };
  const tokens = new Map<string, string>(); // access token -> user email

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(body));
  };

  function grant(form: URLSearchParams, res: ServerResponse) {
    const assertion = form.get('assertion') ?? '';
    const [header, claims, signature] = assertion.split('.');
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !header || !claims || !signature) {
      return send(res, 400, { error: 'invalid_request', error_description: 'Invalid JWT: malformed assertion.' });
    }
    if (control.keyDeleted)
      return send(res, 400, {
        error: 'invalid_grant',
        error_description: 'Invalid JWT: No valid verifier found for issuer.',
      });
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(publicKey, Buffer.from(signature, 'base64url'));
    if (!valid) return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    const c = JSON.parse(Buffer.from(claims, 'base64url').toString()) as {
      iss: string;
      sub?: string;
      scope: string;
      exp: number;
      iat: number;
    };
    if (c.exp - c.iat > 3600 || c.exp < Date.now() / 1000) {
      return send(res, 400, {
        error: 'invalid_grant',
        error_description: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
      });
    }
    const requested = c.scope.split(' ');
    // One scope beyond those delegated fails the whole grant.
    if (!control.delegatedScopes || requested.some((s) => !control.delegatedScopes!.includes(s))) {
      return send(res, 401, {
        error: 'unauthorized_client',
        error_description:
          'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
      });
    }
    const email = (c.sub ?? '').toLowerCase();
    if (!email.includes('@'))
      return send(res, 400, { error: 'invalid_request', error_description: 'Invalid impersonation "sub" field.' });
    const behavior = control.users.get(email);
    if (!behavior || behavior === 'suspended')
      return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid email or User ID' });
    if (behavior === 'deleted')
      return send(res, 400, { error: 'invalid_grant', error_description: 'The account has been deleted.' });
    const token = `ya29.fake-${randomBytes(12).toString('base64url')}`;
    tokens.set(token, email);
    send(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  }

  function api(req: IncomingMessage, url: URL, res: ServerResponse) {
    const email = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    const behavior = email ? control.users.get(email) : undefined;
    if (!email || behavior === 'bad_token') {
      return send(
        res,
        401,
        apiError(
          401,
          'UNAUTHENTICATED',
          'authError',
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        ),
      );
    }
    const isGmail = url.pathname.startsWith('/gmail/');
    const service = isGmail ? 'Gmail API' : 'Google Calendar API';
    if (control.apiDisabled) {
      return send(
        res,
        403,
        apiError(
          403,
          'PERMISSION_DENIED',
          'accessNotConfigured',
          `${service} has not been used in project 123456789 before or it is disabled.`,
        ),
      );
    }
    if (control.domainPolicy && isGmail)
      return send(
        res,
        403,
        apiError(403, 'PERMISSION_DENIED', 'domainPolicy', 'The domain administrators have disabled Gmail apps.'),
      );
    if (behavior === 'throttled')
      return send(res, 429, apiError(429, 'RESOURCE_EXHAUSTED', 'rateLimitExceeded', 'Rate Limit Exceeded'), {
        'retry-after': '30',
      });
    if (behavior === 'outage') return send(res, 503, apiError(503, 'UNAVAILABLE', 'backendError', 'Backend Error'));
    const userId = url.pathname.split('/')[4];
    if (isGmail && userId !== 'me')
      return send(res, 403, apiError(403, 'PERMISSION_DENIED', 'forbidden', `Delegation denied for ${email}`));
    if (isGmail && behavior === 'mail_off')
      return send(res, 400, apiError(400, 'FAILED_PRECONDITION', 'failedPrecondition', 'Mail service not enabled'));
    if (!isGmail && behavior === 'calendar_off')
      return send(
        res,
        403,
        apiError(403, 'PERMISSION_DENIED', 'notACalendarUser', 'The user must be signed up for Google Calendar.'),
      );
    const page = (total: number, key: 'messages' | 'items') => {
      const size = Number(url.searchParams.get('maxResults') ?? 100);
      const start = Number(url.searchParams.get('pageToken') ?? 0);
      const ids = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => ({
        id: `${key}-${start + i}`,
      }));
      return { [key]: ids, ...(start + size < total ? { nextPageToken: String(start + size) } : {}) };
    };
    if (url.pathname === '/gmail/v1/users/me/profile')
      return send(res, 200, { emailAddress: email, messagesTotal: 10, threadsTotal: 5, historyId: '1' });
    if (url.pathname === '/gmail/v1/users/me/messages')
      return send(res, 200, page(control.messagesPerUser, 'messages'));
    if (url.pathname === '/calendar/v3/users/me/calendarList')
      return send(res, 200, { kind: 'calendar#calendarList', items: [{ id: email }] });
    if (url.pathname === '/calendar/v3/calendars/primary/events')
      return send(res, 200, page(control.eventsPerUser, 'items'));
    send(res, 404, apiError(404, 'NOT_FOUND', 'notFound', 'Not Found'));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const url = new URL(req.url ?? '/', 'http://fake');
        calls.byPath.set(url.pathname, (calls.byPath.get(url.pathname) ?? 0) + 1);
        if (req.method === 'POST' && url.pathname === '/token') {
          calls.token += 1;
          return grant(new URLSearchParams(Buffer.concat(chunks).toString()), res);
        }
        calls.api += 1;
        api(req, url, res);
      }, control.latencyMs);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    tokenUrl: `${base}/token`,
    apiRootUrl: `${base}/`,
    credentials,
    control,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
