import fp from 'fastify-plugin';
import { BadRequestError } from '../shared/errors.js';
import { findUnstorableText } from '../shared/text.js';

const PARTS = ['params', 'querystring', 'body', 'headers'] as const;

/**
 * The one place every string of every request passes before its schema: NUL and lone surrogates are refused with
 * 400 naming the field, since PostgreSQL refuses the first in text and the second in JSON (and mangles it elsewhere).
 */
export default fp(
  async (app) => {
    app.addHook('preValidation', async (req) => {
      // The not-found handler's wildcard is no field of any route: an unknown path stays a 404.
      const params = req.is404 ? {} : req.params;
      const values = { params, querystring: req.query, body: req.body, headers: req.headers };
      const details = PARTS.flatMap((part) =>
        findUnstorableText(values[part]).map((p) => ({ in: part, path: p.path, message: p.message })),
      );
      if (!details.length) return;
      const summary = details.map((d) => `${d.path || d.in} ${d.message}`).join('; ');
      throw new BadRequestError('validation_error', `Invalid ${details[0]!.in}: ${summary}`, details);
    });
  },
  { name: 'text' },
);
