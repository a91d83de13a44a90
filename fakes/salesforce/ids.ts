const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Salesforce's case-safe 18-character form of a 15-character id. */
export function to18(id15: string): string {
  if (id15.length !== 15) return id15;
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') flags += 1 << i;
    }
    suffix += SUFFIX_CHARS.charAt(flags);
  }
  return id15 + suffix;
}

/** A deterministic id: key prefix, pod digits, then a base-62 counter. */
export function makeId(prefix: string, n: number): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let body = '';
  let rest = n;
  do {
    body = alphabet.charAt(rest % 62) + body;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return to18(prefix + '8d' + body.padStart(10, '0'));
}

/** Salesforce's datetime wire format: 2024-05-01T12:00:00.000+0000. */
export function sfDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function parseDateTime(value: unknown): number | null {
  if (value == null || value === '') return null;
  const s = String(value).replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}
