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
