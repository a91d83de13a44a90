import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../shared/errors.js';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const body = (code: string, message: string, details?: unknown): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

// Fastify's own 4xx errors, in the caller's words.
const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

/** One error shape, `{ error: { code, message, details } }`; 5xx never shows internals to the caller. */
export default fp(
  async (app) => {
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
      if (err instanceof AppError) {
        if (err.statusCode >= 500) req.log.error({ err }, 'service error');
        return reply.code(err.statusCode).send(body(err.code, err.message, err.details));
      }
      if (isResponseSerializationError(err)) {
        req.log.error({ err, issues: err.cause?.issues }, 'response did not match its schema');
        return reply.code(500).send(body('internal_error', 'Internal server error.'));
      }
      const status = err.statusCode ?? 500;
      if (status < 500) {
        return reply.code(status).send(body(fastifyCodes[err.code] ?? 'bad_request', err.message));
      }
      req.log.error({ err }, 'unhandled error');
      return reply.code(500).send(body('internal_error', 'Internal server error.'));
    });
  },
  { name: 'errors' },
);
