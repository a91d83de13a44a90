import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** The logger services are built with: a request's lines carry its reqId (see requestScopedLog). */
    serviceLog: FastifyBaseLogger;
  }
}

// What the Apex proxy sends (Salesforce's own request id) or a load balancer's id; anything else is replaced.
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request's id: the caller's `X-Request-Id` when it is a plausible id, otherwise a fresh UUID. */
export function requestIdFrom(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

// The logger of the request being served, through every await of its handler and the services it calls.
const servingRequest = new AsyncLocalStorage<FastifyBaseLogger>();
const requestScopes = new WeakMap<FastifyRequest, AsyncResource>();

/**
 * A logger for the services that requests and background work share (the sync, the Salesforce clients, the jobs,
 * the mailbox engine), which are built once with the app's logger: inside a request each line goes through that
 * request's logger and carries its reqId; in a job or schedule, through `base`.
 */
export function requestScopedLog(base: FastifyBaseLogger): FastifyBaseLogger {
  return new Proxy(base, {
    get(target, prop) {
      const log = servingRequest.getStore() ?? target;
      const value: unknown = Reflect.get(log, prop, log);
      return typeof value === 'function' ? value.bind(log) : value;
    },
  });
}

/**
 * Every log line of a request carries its id (Fastify's `reqId`); the response echoes it as `X-Request-Id`, and an
 * error body carries it as `error.requestId`, so an admin's error message leads to the service's log lines.
 */
export default fp(
  async (app) => {
    app.decorate('serviceLog', requestScopedLog(app.log));
    app.addHook('onRequest', (req, reply, done) => {
      reply.header('x-request-id', req.id);
      servingRequest.run(req.log, () => {
        const scope = new AsyncResource('roster-request');
        requestScopes.set(req, scope);
        scope.runInAsyncScope(done);
      });
    });
    // A request with a body reaches its handler from the body stream's last event, outside the context above
    // (nodejs/node#34430): enter it again before validation, the handler and its services.
    app.addHook('preValidation', (req, _reply, done) => {
      const scope = requestScopes.get(req);
      if (scope) scope.runInAsyncScope(done);
      else done();
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
