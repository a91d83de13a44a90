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

export const MICROSOFT_AUTHORITY = 'https://login.microsoftonline.com';
export const GRAPH_URL = 'https://graph.microsoft.com';
/** Graph's `$batch` limit. */
export const GRAPH_BATCH_SIZE = 20;

export interface MicrosoftSettings {
  tenantId: string;
  clientId: string;
  authorityUrl?: string;
  graphUrl?: string;
}

interface GraphError {
  error?: { code?: string; message?: string; innerError?: { 'request-id'?: string } };
}

const paths: Record<ProbeKind, (user: string) => string> = {
  // The cheapest proofs: the inbox folder id and the default calendar id.
  mail: (user) => `/users/${user}/mailFolders/inbox?$select=id`,
  calendar: (user) => `/users/${user}/calendar?$select=id`,
};

const transientStatus = (status: number | null) => status === 429 || (status !== null && status >= 500);

/**
 * Microsoft Graph over undici (Node's fetch) with a small client-credentials token client. The official
 * Graph client attaches tokens only to https Graph hosts and MSAL refuses http authorities, so this keeps
 * both URLs configurable for the local fakes. Probes go 20 requests per `$batch`; no client retries.
 */
export function createGraphClient(
  settings: MicrosoftSettings,
  clientSecret: string,
  opts: { batchesInFlight?: number } = {},
): MailboxClient {
  const authority = (settings.authorityUrl ?? MICROSOFT_AUTHORITY).replace(/\/$/, '');
  const graph = `${(settings.graphUrl ?? GRAPH_URL).replace(/\/$/, '')}/v1.0`;
  let token: { value: string; expiresAt: number } | null = null;
  let pendingToken: Promise<string> | null = null;
  let httpCalls = 0;

  async function send(url: string, init: RequestInit): Promise<Response> {
    httpCalls += 1;
    try {
      return await fetch(url, init);
    } catch (err) {
      throw networkFailure(err as Error);
    }
  }

  async function fetchToken(): Promise<string> {
    const res = await send(`${authority}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: settings.clientId,
        client_secret: clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    const body = await readToken(res);
    token = { value: body.accessToken, expiresAt: Date.now() + (body.expiresIn ?? 3599) * 1000 };
    return token.value;
  }

  function accessToken(fresh = false): Promise<string> {
    if (!fresh && token && token.expiresAt > Date.now() + 60_000) return Promise.resolve(token.value);
    // One grant at a time however many batches ask.
    pendingToken ??= fetchToken().finally(() => {
      pendingToken = null;
    });
    return pendingToken;
  }

  /** A call that counts a 401 only after one fresh token. */
  async function authorized(url: string, init: RequestInit = {}): Promise<Response> {
    const attempt = async (fresh: boolean) =>
      send(url, {
        ...init,
        headers: { ...(init.headers as object), authorization: `Bearer ${await accessToken(fresh)}` },
      });
    const res = await attempt(false);
    if (res.status !== 401) return res;
    await res.body?.cancel();
    return attempt(true);
  }

  function observationOf(
    status: number,
    body: GraphError | undefined,
    headers: Record<string, string> | Headers | undefined,
  ): Observation {
    const retryAfter =
      headers instanceof Headers
        ? headers.get('retry-after')
        : headers
          ? (headers['Retry-After'] ?? headers['retry-after'])
          : null;
    return {
      stage: 'api',
      httpStatus: status,
      providerCode: body?.error?.code ?? null,
      message: body?.error?.message ?? null,
      requestId: body?.error?.innerError?.['request-id'] ?? null,
      retryAfterSeconds: retryAfterSeconds(retryAfter),
    };
  }

  async function probeBatch(targets: ProbeTarget[]): Promise<ProbeAnswer[]> {
    const requests = targets.flatMap((t, i) =>
      t.kinds.map((kind) => ({
        id: `${i}.${kind}`,
        method: 'GET',
        url: paths[kind](encodeURIComponent(t.providerUserId ?? t.email)),
      })),
    );
    const failures = new Map<number, Observation>();
    try {
      const res = await authorized(`${graph}/$batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requests }),
      });
      const body = (await res.json().catch(() => undefined)) as {
        responses?: { id: string; status: number; headers?: Record<string, string>; body?: GraphError }[];
      } & GraphError;
      if (!res.ok || !body?.responses)
        throw new ProbeFailure({ ...observationOf(res.status, body, res.headers), wholeRequest: true });
      // Items answer individually and in any order: match them by id.
      for (const item of body.responses) {
        if (item.status >= 200 && item.status < 300) continue;
        const index = Number(item.id.split('.')[0]);
        const observation = observationOf(item.status, item.body, item.headers);
        const previous = failures.get(index);
        if (!previous || (transientStatus(previous.httpStatus) && !transientStatus(observation.httpStatus)))
          failures.set(index, observation);
      }
    } catch (err) {
      if (!(err instanceof ProbeFailure)) throw err;
      return targets.map((t) => ({ userId: t.userId, ok: false, observation: err.observation }));
    }
    return targets.map((t, i) => {
      const observation = failures.get(i);
      return observation ? { userId: t.userId, ok: false, observation } : { userId: t.userId, ok: true };
    });
  }

  async function getJson<T>(url: string): Promise<T> {
    const res = await authorized(url);
    const body = (await res.json().catch(() => undefined)) as T & GraphError;
    if (!res.ok) throw new ProbeFailure(observationOf(res.status, body, res.headers));
    return body;
  }

  async function countIds(url: string): Promise<number> {
    let count = 0;
    let next: string | undefined = url;
    while (next) {
      const page: { value?: unknown[]; '@odata.nextLink'?: string } = await getJson(next);
      count += page.value?.length ?? 0;
      next = page['@odata.nextLink'];
    }
    return count;
  }

  return {
    provider: 'microsoft',
    get httpCalls() {
      return httpCalls;
    },
    async probe(targets) {
      // Users proving mail and calendar go first and one-request users fill the gaps, so a batch is never left
      // a request short by a pair that does not fit: ceil(requests / 20) batches.
      const packed = [...targets].sort((a, b) => b.kinds.length - a.kinds.length);
      const batches: ProbeTarget[][] = [];
      let current: ProbeTarget[] = [];
      let size = 0;
      for (const target of packed) {
        if (size + target.kinds.length > GRAPH_BATCH_SIZE) {
          batches.push(current);
          current = [];
          size = 0;
        }
        current.push(target);
        size += target.kinds.length;
      }
      if (current.length) batches.push(current);
      // Outlook runs at most 4 requests per mailbox at once; a few batches in flight suffice.
      const answers = new Map(
        (await mapLimit(batches, opts.batchesInFlight ?? 4, probeBatch)).flat().map((a) => [a.userId, a]),
      );
      return targets.map((t) => answers.get(t.userId)!);
    },
    async backfill(target, since): Promise<BackfillResult> {
      const id =
        target.providerUserId ??
        (await getJson<{ id: string }>(`${graph}/users/${encodeURIComponent(target.email)}?$select=id`)).id;
      const user = encodeURIComponent(id);
      const iso = since.toISOString();
      const messages = await countIds(
        `${graph}/users/${user}/messages?$select=id&$top=999&$filter=${encodeURIComponent(`receivedDateTime ge ${iso}`)}`,
      );
      const events = await countIds(
        `${graph}/users/${user}/calendar/events?$select=id&$top=999&$filter=${encodeURIComponent(`start/dateTime ge '${iso}'`)}`,
      );
      return { messages, events, providerUserId: id };
    },
  };
}
