import fp from 'fastify-plugin';
import { BadRequestError } from '../shared/errors.js';
import { decodeUtf8, findUnstorableText, undecodableQuery, type TextProblem } from '../shared/text.js';

const PARTS = ['params', 'querystring', 'body', 'headers'] as const;
type Part = (typeof PARTS)[number];

const refusal = (details: { in: Part; path: string; message: string }[]) => {
  const summary = details.map((d) => `${d.path || d.in} ${d.message}`).join('; ');
  return new BadRequestError('validation_error', `Invalid ${details[0]!.in}: ${summary}`, details);
};
const inPart = (part: Part) => (p: TextProblem) => ({ in: part, path: p.path, message: p.message });

/**
 * The one place every string of every request passes before its schema: NUL and lone surrogates are refused with
 * 400 naming the field, since PostgreSQL refuses the first in text and the second in JSON (and mangles it elsewhere);
 * so are bytes that are not UTF-8, in a JSON body or percent-encoded in the query (%FF, an encoded surrogate half),
 * which would otherwise be stored as � or searched for as the literal "%FF". A path's are refused by the router.
 */
export default fp(
  async (app) => {
    const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = app.initialConfig;
    const parseJson = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
      const text = decodeUtf8(body);
      if (typeof text !== 'string') return done(refusal([inPart('body')(text)]), undefined);
      parseJson(req, text, done);
    });

    app.addHook('preValidation', async (req) => {
      // The not-found handler's wildcard is no field of any route: an unknown path stays a 404.
      const params = req.is404 ? {} : req.params;
      const undecodable = req.is404 ? [] : undecodableQuery(req.url);
      if (undecodable.length) throw refusal(undecodable.map(inPart('querystring')));
      const values = { params, querystring: req.query, body: req.body, headers: req.headers };
      const details = PARTS.flatMap((part) => findUnstorableText(values[part]).map(inPart(part)));
      if (details.length) throw refusal(details);
    });
  },
  { name: 'text' },
);
