/** Why PostgreSQL cannot store this text as given, or null: NUL is refused in text, a lone UTF-16 half is not Unicode. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains a lone surrogate (\\ud800-\\udfff), which is not valid Unicode';
  return null;
}

// In unicode mode a well-formed pair is one code point, so only unpaired halves match.
const LONE_SURROGATE = /\p{Cs}/u;
const UNSTORABLE = /\u0000|\p{Cs}/gu;

/** The text with what PostgreSQL cannot store (NUL, lone surrogates) shown as U+FFFD, for text the service writes. */
export const storableText = (text: string): string => text.replace(UNSTORABLE, '\uFFFD');

export interface TextProblem {
  /** Dotted path to the value ("members.2.email"); a key's own problem names the key. */
  path: string;
  message: string;
}

/**
 * Every string in a parsed value (keys included), walked without recursion so a deeply nested body cannot
 * overflow the stack; stops after `limit` problems.
 */
export function findUnstorableText(value: unknown, limit = 20): TextProblem[] {
  const problems: TextProblem[] = [];
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  const at = (path: string, key: string) => (path ? `${path}.${key}` : key);
  while (stack.length && problems.length < limit) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const why = unstorableText(v);
      if (why) problems.push({ path, message: why });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i -= 1) stack.push({ value: v[i], path: at(path, String(i)) });
    } else if (
      v !== null &&
      typeof v === 'object' &&
      !ArrayBuffer.isView(v) &&
      typeof (v as { pipe?: unknown }).pipe !== 'function'
    ) {
      for (const [key, child] of Object.entries(v)) {
        const why = unstorableText(key);
        if (why) problems.push({ path: at(path, key), message: `key ${why}` });
        stack.push({ value: child, path: at(path, key) });
      }
    }
  }
  return problems.slice(0, limit);
}

const NOT_UTF8 = 'has bytes that are not UTF-8 text';
// A BOM is left for the JSON parser, which drops it, as it did when Fastify decoded the body.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as text, or why they are not: a byte that is no part of UTF-8 (0xFF, an encoded surrogate half). */
export function decodeUtf8(bytes: Uint8Array): string | TextProblem {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return { path: '', message: NOT_UTF8 };
  }
}

const NOT_PERCENT_UTF8 = 'is not percent-encoded UTF-8 text (a stray "%", or bytes such as %FF)';

const decodeQueryPart = (text: string): string | null => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
};

/**
 * The query parameters of a raw URL whose percent-encoding is not UTF-8 (%FF, %ED%A0%80, a stray %): the query
 * parser keeps those as the literal text, which a search would then look for.
 */
export function undecodableQuery(url: string, limit = 20): TextProblem[] {
  const at = url.indexOf('?');
  if (at === -1) return [];
  const problems: TextProblem[] = [];
  for (const pair of url.slice(at + 1).split('&')) {
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    const name = decodeQueryPart(key);
    if (name === null) problems.push({ path: key, message: `key ${NOT_PERCENT_UTF8}` });
    else if (eq !== -1 && decodeQueryPart(pair.slice(eq + 1)) === null)
      problems.push({ path: name, message: NOT_PERCENT_UTF8 });
    if (problems.length === limit) break;
  }
  return problems;
}
