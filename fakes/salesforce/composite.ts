import type { ApiResponse } from './api.js';
import { sfError, SfError } from './errors.js';

export interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
}

const HALTED_ROLLBACK = {
  errorCode: 'PROCESSING_HALTED',
  message: 'The transaction was rolled back since another operation in the same transaction failed.',
};

/** Reads `ref.records[0].Id` from earlier subrequest bodies. */
function lookup(results: Map<string, unknown>, expr: string): unknown {
  const [ref, ...rest] = expr.split('.');
  let value: unknown = results.get(ref!);
  for (const part of rest
    .join('.')
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== '')) {
    if (value == null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * /composite: up to 25 subrequests, at most 5 of them queries, run in order with
 * `@{ref.path}` references; with allOrNone, the first failure halts and rolls back the rest.
 */
export function runComposite(
  body: unknown,
  dispatch: (method: string, url: string, body: unknown) => ApiResponse,
): ApiResponse {
  const req = body as { allOrNone?: boolean; compositeRequest?: Subrequest[] } | null;
  const subs = req?.compositeRequest;
  if (!Array.isArray(subs) || subs.length === 0)
    throw sfError('JSON_PARSER_ERROR', 'The compositeRequest array is required and must not be empty.');
  if (subs.length > 25)
    throw sfError('INVALID_INPUT', `Composite request size of ${subs.length} exceeds the limit of 25 subrequests.`);
  const queries = subs.filter((s) => /\/(query|queryAll)(\/|\?|$)/.test(s.url ?? '')).length;
  if (queries > 5)
    throw sfError(
      'INVALID_INPUT',
      `A composite request can include at most 5 query or queryAll subrequests; this one has ${queries}.`,
    );
  const seen = new Set<string>();
  for (const s of subs) {
    if (!s.referenceId || !s.url || !s.method)
      throw sfError('JSON_PARSER_ERROR', 'Each subrequest needs method, url and referenceId.');
    if (seen.has(s.referenceId))
      throw sfError('INVALID_INPUT', `Duplicate referenceId provided in the request: ${s.referenceId}`);
    seen.add(s.referenceId);
  }

  const results = new Map<string, unknown>();
  const responses: {
    body: unknown;
    httpHeaders: Record<string, string>;
    httpStatusCode: number;
    referenceId: string;
  }[] = [];
  let failed = false;
  for (const s of subs) {
    if (failed && req!.allOrNone) {
      responses.push({ body: [HALTED_ROLLBACK], httpHeaders: {}, httpStatusCode: 400, referenceId: s.referenceId });
      continue;
    }
    let missing: string | undefined;
    const substitute = (text: string) =>
      text.replace(/@\{([^}]+)\}|%40%7B(.+?)%7D/gi, (_, plain: string | undefined, encoded: string | undefined) => {
        const expr = plain ?? decodeURIComponent(encoded!);
        const v = lookup(results, expr);
        if (v === undefined) missing ??= expr;
        return v === undefined ? '' : String(v);
      });
    const url = substitute(s.url);
    const subBody = s.body === undefined ? undefined : JSON.parse(substitute(JSON.stringify(s.body)));
    let res: ApiResponse;
    if (missing) {
      res = {
        status: 400,
        body: [
          {
            errorCode: 'PROCESSING_HALTED',
            message: `Invalid reference specified. No value for ${missing} found in ${missing.split('.')[0]}. Provided referenceId ensure you reference the correct referenceId and that the object is a valid value.`,
          },
        ],
      };
    } else {
      try {
        res = dispatch(s.method.toUpperCase(), url, subBody);
      } catch (err) {
        if (!(err instanceof SfError)) throw err;
        res = { status: err.status, body: [{ errorCode: err.errorCode, message: err.message }] };
      }
    }
    if (res.status >= 400) failed = true;
    else results.set(s.referenceId, res.body);
    responses.push({ body: res.body, httpHeaders: {}, httpStatusCode: res.status, referenceId: s.referenceId });
  }
  if (failed && req!.allOrNone) {
    for (const r of responses)
      if (r.httpStatusCode < 400) Object.assign(r, { body: [HALTED_ROLLBACK], httpStatusCode: 400 });
  }
  return { status: 200, body: { compositeResponse: responses } };
}
