import type { Provider } from './reasons.js';

/**
 * Per-tenant caps, per provider (../shared/mailbox-errors.md "Limits"): how many users one claim takes,
 * how much is in flight at once, and HTTP calls per second. 100k users per 15 minutes needs 111 users/s.
 */
export const providerLimits: Record<Provider, { chunk: number; inFlight: number; callsPerSecond: number }> = {
  // One token grant per user per ~55 min plus one API call each; Calendar allows 600/min per user.
  google: { chunk: 64, inFlight: 16, callsPerSecond: 200 },
  // 20 users per $batch; Outlook runs 4 items per mailbox at once, so a few batches in flight suffice.
  microsoft: { chunk: 400, inFlight: 4, callsPerSecond: 40 },
};

/** How long probes of results history are kept. */
export const HISTORY_DAYS = 14;
