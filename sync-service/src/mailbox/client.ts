import type { Observation } from './reasons.js';

export type ProbeKind = 'mail' | 'calendar';

export interface ProbeTarget {
  userId: string;
  email: string;
  /** The provider's own id for the user (Graph object id), once known. */
  providerUserId: string | null;
  kinds: ProbeKind[];
}

/** A user's probe answer: ok, or the first failing step's raw observation. */
export type ProbeAnswer = { userId: string; ok: true } | { userId: string; ok: false; observation: Observation };

export interface BackfillResult {
  messages: number;
  events: number;
  providerUserId: string | null;
}

/** The provider behind one org's settings; every call is one observation (client retries are off). */
export interface MailboxClient {
  readonly provider: 'google' | 'microsoft';
  /** Probes many users at once; the Graph client batches them 20 per call. */
  probe(targets: ProbeTarget[]): Promise<ProbeAnswer[]>;
  /** The onboarding scan: counts message and event ids since `since`, every page. */
  backfill(target: ProbeTarget, since: Date): Promise<BackfillResult>;
  /** HTTP requests sent so far (for statistics and the benchmark). */
  readonly httpCalls: number;
}

/** A thrown probe step that carries its observation. */
export class ProbeFailure extends Error {
  constructor(readonly observation: Observation) {
    super(
      `${observation.stage} ${observation.httpStatus ?? ''} ${observation.providerCode ?? ''}: ${observation.message ?? ''}`,
    );
  }
}

export function retryAfterSeconds(value: string | null | undefined): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** A request that never got an HTTP answer (DNS, refused, reset). */
export function networkFailure(err: Error): ProbeFailure {
  return new ProbeFailure({
    stage: 'network',
    httpStatus: null,
    providerCode: (err.cause as { code?: string })?.code ?? 'network',
    message: err.message,
  });
}

/** An OAuth token endpoint's answer (Google and Microsoft speak the same RFC 6749 JSON); a refusal is a token-stage failure. */
export async function readToken(res: Response): Promise<{ accessToken: string; expiresIn?: number }> {
  const body = (await res.json().catch(() => ({}))) as {
    access_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  if (!res.ok || !body.access_token)
    throw new ProbeFailure({
      stage: 'token',
      httpStatus: res.status,
      providerCode: body.error ?? null,
      message: body.error_description ?? null,
      retryAfterSeconds: retryAfterSeconds(res.headers.get('retry-after')),
    });
  return { accessToken: body.access_token, expiresIn: body.expires_in };
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  });
  await Promise.all(lanes);
  return out;
}
