import { setTimeout as sleep } from 'node:timers/promises';
import { PassThrough } from 'node:stream';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import { Transport } from 'jsforce/lib/transport.js';
import type { StreamPromise } from 'jsforce/lib/util/promise.js';
import { isConcurrentLimitResponse, RETRYABLE_NETWORK, RETRYABLE_STATUS } from './errors.js';

export interface TransportHooks {
  /** Called before every attempt; throws to stop (e.g. the API budget is spent). */
  beforeRequest?(req: HttpRequest): void;
  /** Called for every HTTP response that came back, retried ones included. */
  onResponse?(res: HttpResponse, req: HttpRequest): void;
}

export interface RetryPolicy {
  retries: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseMs: 200, maxMs: 5_000 };

/**
 * jsforce's own retry skips POST (so /composite and token calls), has no jitter and hides every attempt from the
 * caller; this transport turns it off and retries 502/503/504, the concurrent long-request limit (a 403 whose
 * message names it, unlike the daily allowance's) and connection resets itself, with exponential
 * backoff and full jitter, so replicas hitting the same outage do not retry in lockstep, and counts every attempt.
 */
export class ResilientTransport extends Transport {
  constructor(
    private readonly hooks: TransportHooks = {},
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    const promise = this.send(req, options);
    // REST responses are read whole by jsforce; the stream is only a placeholder for its interface.
    return Object.assign(promise, { stream: () => new PassThrough() }) as unknown as StreamPromise<HttpResponse>;
  }

  private async send(req: HttpRequest, options: HttpRequestOptions): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt += 1) {
      this.hooks.beforeRequest?.(req);
      try {
        const res = await super.httpRequest(req, { ...options, retry: { maxRetries: 0 } } as HttpRequestOptions);
        this.hooks.onResponse?.(res, req);
        const retryable = RETRYABLE_STATUS.has(res.statusCode) || isConcurrentLimitResponse(res.statusCode, res.body);
        if (!retryable || attempt >= this.retry.retries) return res;
      } catch (err) {
        const e = err as { code?: string; message?: string; name?: string };
        const retryable = RETRYABLE_NETWORK.test(`${e?.code ?? ''} ${e?.message ?? ''}`) && e?.name !== 'AbortError';
        if (!retryable || attempt >= this.retry.retries) throw err;
      }
      await sleep(backoff(attempt, this.retry));
    }
  }
}

/** Full jitter: uniformly random up to the exponential ceiling. */
export const backoff = (attempt: number, p: RetryPolicy) => Math.random() * Math.min(p.maxMs, p.baseMs * 2 ** attempt);
