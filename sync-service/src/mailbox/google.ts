import { createSign, randomUUID } from 'node:crypto';
import type { calendar_v3, gmail_v1 } from 'googleapis';

type GoogleApis = typeof import('googleapis').google;
// googleapis' own copy of google-auth-library, so the client types line up.
type OAuth2Client = InstanceType<GoogleApis['auth']['OAuth2']>;
// googleapis loads every Google API when imported (2.5 s of CPU): load it with the first Google call, not at start.
let googleApis: Promise<GoogleApis> | undefined;
const loadGoogle = () => (googleApis ??= import('googleapis').then((m) => m.google));
import {
  mapLimit,
  networkFailure,
  ProbeFailure,
  readToken,
  retryAfterSeconds,
  type BackfillResult,
  type MailboxClient,
  type ProbeAnswer,
  type ProbeKind,
  type ProbeTarget,
} from './client.js';
import type { Observation } from './reasons.js';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/gmail.readonly',
  'https://www.googleapis.com/auth/calendar.readonly',
];

export interface GoogleSettings {
  clientEmail: string;
  /** Numeric OAuth client id the admin adds to domain-wide delegation. */
  clientId: string;
  scopes: string[];
  tokenUrl?: string;
  apiRootUrl?: string;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * Google Workspace through a service account with domain-wide delegation. google-auth-library's JWT client
 * hard-codes Google's token URL, so the RS256 assertion is minted here with node:crypto and posted to a
 * configurable token URL; the access token then drives the real googleapis clients with retries off.
 */
export function createGoogleClient(
  settings: GoogleSettings,
  privateKey: string,
  opts: { concurrency?: number } = {},
): MailboxClient {
  const tokenUrl = settings.tokenUrl ?? GOOGLE_TOKEN_URL;
  const rootUrl = settings.apiRootUrl;
  const tokens = new Map<string, { accessToken: string; expiresAt: number }>();
  let httpCalls = 0;
  let google!: GoogleApis; // loaded by accessToken, before any client is made
  const gmailFor = (auth: OAuth2Client) => google.gmail({ version: 'v1', auth, ...(rootUrl ? { rootUrl } : {}) });
  const calendarFor = (auth: OAuth2Client) => google.calendar({ version: 'v3', auth, ...(rootUrl ? { rootUrl } : {}) });
  const noRetry = { retry: false } as const;

  function assertion(subject: string): string {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
    const claims = base64url(
      JSON.stringify({
        iss: settings.clientEmail,
        sub: subject,
        scope: settings.scopes.join(' '),
        aud: GOOGLE_TOKEN_URL,
        iat: now,
        exp: now + 3600,
        jti: randomUUID(),
      }),
    );
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKey);
    return `${header}.${claims}.${base64url(signature)}`;
  }

  async function accessToken(email: string, fresh = false): Promise<OAuth2Client> {
    const cached = tokens.get(email);
    let token = cached && !fresh && cached.expiresAt > Date.now() + 60_000 ? cached.accessToken : null;
    if (!token) {
      httpCalls += 1;
      const res = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: assertion(email),
        }),
      }).catch((err: Error) => {
        throw networkFailure(err);
      });
      const body = await readToken(res);
      token = body.accessToken;
      tokens.set(email, { accessToken: token, expiresAt: Date.now() + (body.expiresIn ?? 3600) * 1000 });
      if (tokens.size > 200_000) tokens.delete(tokens.keys().next().value!);
    }
    google = await loadGoogle();
    const auth = new google.auth.OAuth2();
    auth.setCredentials({ access_token: token, expiry_date: tokens.get(email)!.expiresAt });
    return auth;
  }

  const steps: Record<ProbeKind, (auth: OAuth2Client) => Promise<unknown>> = {
    // The cheapest proofs: the Gmail profile (1 quota unit, always 'me') and one calendar-list entry.
    mail: (auth) => gmailFor(auth).users.getProfile({ userId: 'me', fields: 'emailAddress' }, noRetry),
    calendar: (auth) => calendarFor(auth).calendarList.list({ maxResults: 1, fields: 'items/id' }, noRetry),
  };

  async function call<T>(email: string, step: (auth: OAuth2Client) => Promise<T>): Promise<T> {
    let auth = await accessToken(email);
    httpCalls += 1;
    try {
      return await step(auth);
    } catch (err) {
      const observation = apiObservation(err);
      if (observation.httpStatus !== 401) throw new ProbeFailure(observation);
      // A 401 counts only after one fresh token.
      auth = await accessToken(email, true);
      httpCalls += 1;
      try {
        return await step(auth);
      } catch (again) {
        throw new ProbeFailure(apiObservation(again));
      }
    }
  }

  async function probeOne(target: ProbeTarget): Promise<ProbeAnswer> {
    try {
      for (const kind of target.kinds) await call(target.email, steps[kind]);
      return { userId: target.userId, ok: true };
    } catch (err) {
      if (err instanceof ProbeFailure) return { userId: target.userId, ok: false, observation: err.observation };
      throw err;
    }
  }

  return {
    provider: 'google',
    get httpCalls() {
      return httpCalls;
    },
    probe: (targets) => mapLimit(targets, opts.concurrency ?? 16, probeOne),
    async backfill(target, since): Promise<BackfillResult> {
      const messages = await countPages(async (pageToken) => {
        const res: { data: gmail_v1.Schema$ListMessagesResponse } = await call(target.email, (auth) =>
          gmailFor(auth).users.messages.list(
            {
              userId: 'me',
              q: `after:${Math.floor(since.getTime() / 1000)}`,
              maxResults: 500,
              pageToken,
              fields: 'messages/id,nextPageToken',
            },
            noRetry,
          ),
        );
        return { count: res.data.messages?.length ?? 0, next: res.data.nextPageToken };
      });
      const events = await countPages(async (pageToken) => {
        const res: { data: calendar_v3.Schema$Events } = await call(target.email, (auth) =>
          calendarFor(auth).events.list(
            {
              calendarId: 'primary',
              timeMin: since.toISOString(),
              maxResults: 2500,
              pageToken,
              fields: 'items/id,nextPageToken',
            },
            noRetry,
          ),
        );
        return { count: res.data.items?.length ?? 0, next: res.data.nextPageToken };
      });
      return { messages, events, providerUserId: null };
    },
  };
}

/** A googleapis (gaxios) error as an observation: `{"error":{"code","message","errors":[{"reason"}],"status"}}`. */
/** Adds up the ids on every page of a Google list call (a page says where the next one starts). */
async function countPages(
  page: (pageToken: string | undefined) => Promise<{ count: number; next?: string | null }>,
): Promise<number> {
  let total = 0;
  let pageToken: string | undefined;
  do {
    const { count, next } = await page(pageToken);
    total += count;
    pageToken = next ?? undefined;
  } while (pageToken);
  return total;
}

function apiObservation(err: unknown): Observation {
  const e = err as {
    status?: number;
    code?: string | number;
    message?: string;
    response?: {
      status?: number;
      data?: { error?: { message?: string; status?: string; errors?: { reason?: string }[] } };
      /** A fetch Headers object, or a plain object of header names. */
      headers?: { get?: (name: string) => string | null; 'retry-after'?: string };
    };
  };
  const status = e.response?.status ?? e.status ?? null;
  if (!status)
    return {
      stage: 'network',
      httpStatus: null,
      providerCode: String(e.code ?? 'network'),
      message: e.message ?? null,
    };
  const body = e.response?.data?.error;
  const headers = e.response?.headers;
  const retryAfter = typeof headers?.get === 'function' ? headers.get('retry-after') : headers?.['retry-after'];
  return {
    stage: 'api',
    httpStatus: status,
    providerCode: body?.errors?.[0]?.reason ?? body?.status ?? null,
    message: body?.message ?? e.message ?? null,
    retryAfterSeconds: retryAfterSeconds(retryAfter),
  };
}
