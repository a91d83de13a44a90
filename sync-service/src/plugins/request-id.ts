import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';

// What the Apex proxy sends (Salesforce's own request id) or a load balancer's id; anything else is replaced.
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request's id: the caller's `X-Request-Id` when it is a plausible id, otherwise a fresh UUID. */
export function requestIdFrom(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Every log line of a request carries its id (Fastify's `reqId`); the response echoes it as `X-Request-Id`, and an
 * error body carries it as `error.requestId`, so an admin's error message leads to the service's log lines.
 */
export default fp(
  async (app) => {
    app.addHook('onRequest', async (req, reply) => {
      reply.header('x-request-id', req.id);
    });
    app.addHook('preSerialization', async (req, reply, payload: unknown) => {
      if (reply.statusCode < 400 || !payload || typeof payload !== 'object' || !('error' in payload)) return payload;
      const error = (payload as { error: unknown }).error;
      if (!error || typeof error !== 'object') return payload;
      return { ...payload, error: { ...error, requestId: req.id } };
    });
  },
  { name: 'request-id' },
);
