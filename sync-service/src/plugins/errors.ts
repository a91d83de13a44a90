import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { fromDatabaseError } from '../shared/database-errors.js';
import { AppError } from '../shared/errors.js';

interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

/** The one error shape; `details` is always there (null when there is nothing more to say). */
const body = (code: string, message: string, details?: unknown): ErrorBody => ({
  error: { code, message, details: details ?? null },
});

// Fastify's own 4xx errors, in the caller's words.
const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_BAD_URL: 'bad_url',
};

/** Longer URLs are refused with 414 before routing; Node's parser answers 431 past its header limit (16 KB). */
export const MAX_URL_LENGTH = 8 * 1024;

/** Errors Fastify raises before a route exists for the request (a malformed URL): the `frameworkErrors` option. */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 400;
  reply.code(status).send(body(fastifyCodes[err.code] ?? 'bad_request', err.message));
}

// Node's HTTP parser errors, before Fastify sees a request: header overflow (a huge URL or headers) is 431.
const PARSER_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_URI_TOO_LONG: 414,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};
const PARSER_CODES: Record<number, string> = {
  400: 'bad_request',
  408: 'request_timeout',
  414: 'uri_too_long',
  431: 'headers_too_large',
};

/** The `clientErrorHandler` option: the parser's refusals in the one shape, then the connection closes. */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const status = PARSER_STATUS[err.code ?? ''] ?? 400;
  const message =
    status === 431
      ? 'The request line or headers are too large.'
      : status === 408
        ? 'The request took too long to arrive.'
        : 'The request is not valid HTTP.';
  const json = JSON.stringify(body(PARSER_CODES[status]!, message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
}

/** One error shape, `{ error: { code, message, details } }`; 5xx never shows internals to the caller. */
export default fp(
  async (app) => {
    app.addHook('onRequest', async (req) => {
      if (req.url.length > MAX_URL_LENGTH)
        throw new AppError(414, 'uri_too_long', `The URL is longer than ${MAX_URL_LENGTH} characters.`);
    });

    app.setNotFoundHandler((req, reply) => {
      reply.code(404).send(body('not_found', `No route ${req.method} ${req.url.split('?')[0]}.`));
    });

    app.setErrorHandler((err: FastifyError, req, reply) => {
      if (hasZodFastifySchemaValidationErrors(err)) {
        const details = err.validation.map((v) => ({
          in: err.validationContext,
          path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
          message: v.message,
        }));
        const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
        return reply
          .code(400)
          .send(body('validation_error', `Invalid ${err.validationContext ?? 'request'}: ${summary}`, details));
      }
      // Unique and foreign-key violations (e.g. two requests adding one email at once) are the caller's conflict.
      const known = err instanceof AppError ? err : fromDatabaseError(err);
      if (known) {
        if (known.statusCode >= 500) req.log.error({ err }, 'service error');
        else if (known !== err) req.log.info({ err }, 'database refused the input');
        return reply.code(known.statusCode).send(body(known.code, known.message, known.details));
      }
      // Every pooled connection stayed busy past knex's acquire timeout (on the embedded database a long import holds
      // its one session): the service is busy, not broken, so the caller is told to retry instead of seeing a 500.
      if (err.name === 'KnexTimeoutError') {
        req.log.warn({ err }, 'no database connection became free in time');
        return reply
          .code(503)
          .header('retry-after', '5')
          .send(
            body('database_busy', 'Roster is busy with a long change (an import, say); try again in a few seconds.'),
          );
      }
      if (isResponseSerializationError(err)) {
        req.log.error({ err, issues: err.cause?.issues }, 'response did not match its schema');
        return reply.code(500).send(body('internal_error', 'Internal server error.'));
      }
      const status = err.statusCode ?? 500;
      if (status < 500) {
        return reply.code(status).send(body(fastifyCodes[err.code] ?? 'bad_request', err.message, null));
      }
      req.log.error({ err }, 'unhandled error');
      return reply.code(500).send(body('internal_error', 'Internal server error.'));
    });
  },
  { name: 'errors' },
);
