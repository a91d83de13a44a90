/**
 * A fuzzer generated from the service's OpenAPI document (@fastify/swagger output): every route, every parameter
 * and body field gets wrong types, missing fields, 1 MB strings, NUL, lone surrogates, huge and negative numbers,
 * unknown ids and encoded path segments, over real HTTP on loopback. A finding is any 5xx, or a 4xx that is not
 * the one error shape `{ error: { code, message, details } }`. Seeded, so a finding can be replayed.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

type Schema = Record<string, any>;

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  method: string;
  /** The path template as the document writes it, `/api/v1/users/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema, when the route takes one. */
  body: Schema | null;
  /** Content types other than JSON the route reads (the CSV import). */
  consumes: string[];
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** What the case tries, for the report. */
  label: string;
}

export interface Finding {
  operation: string;
  label: string;
  method: string;
  url: string;
  status: number;
  reason: string;
  /** The answer's first characters. */
  answer: string;
}

export interface FuzzOptions {
  baseUrl: string;
  /** The OpenAPI document (`app.swagger()`). */
  spec: Schema;
  /** Sent with every request: the org's key and the acting admin. */
  headers: Record<string, string>;
  /**
   * Ids of rows that exist, by collection (`users`, `teams`, `profiles`...; `any` for the rest): an id parameter or
   * field is drawn from its collection (`teamId` from `teams`, `/profiles/{id}` from `profiles`) and sometimes from
   * unknown ids. Ids in 2xx answers join the collection of the path that answered.
   */
  ids: Record<string, string[]>;
  /**
   * Path parameters that name rows existing together, by path template (`/api/v1/profiles/{id}/ranking-groups/{groupId}`
   * → a profile and one of its groups): drawn ids rarely pair up, so without these a nested row is only ever unknown.
   */
  knownPaths?: Record<string, Record<string, string>[]>;
  seed: number;
  /** Random cases after the systematic sweep. */
  count: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Operations (`PUT /api/v1/salesforce/connection`) that get only invalid requests, so the fuzz cannot reconfigure them. */
  invalidOnly?: string[];
  /** URL-typed fields get this, so nothing leaves loopback. */
  upstreamUrl?: string;
  /** Stop early after this many findings. */
  maxFindings?: number;
  /**
   * Runs every `healEvery` requests (default 50): puts back what valid requests may take away from the fuzz itself,
   * such as the acting admin's role, so later cases still reach the handlers.
   */
  heal?: () => Promise<void>;
  healEvery?: number;
  /** Sees every request and its answer (FUZZ_TRACE prints them). */
  trace?: (req: FuzzRequest, status: number, answer: string) => void;
}

export interface FuzzResult {
  requests: number;
  statuses: Record<number, number>;
  /** Requests sent by the body's content type (`none` without a body): shows which kinds of body were tried. */
  contentTypes: Record<string, number>;
  findings: Finding[];
}

/** mulberry32: small, fast, seeded. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MB = 'x'.repeat(1024 * 1024);
const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\ud800b';
const UNKNOWN_IDS = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  'not-a-uuid',
  '',
];
const HUGE_NUMBERS = [1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, 99999999999999999999, -2147483649];
const NEGATIVE_NUMBERS = [-1, -0.5, -999999];
const WRONG_TYPES: unknown[] = [0, 1.5, true, null, [], {}, 'text', [1, 2], { nested: { deep: true } }];
const ODD_STRINGS = [
  '',
  ' ',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '%00',
  '\\',
  '\r\n',
  '😀'.repeat(50),
  '\u202eRTL',
  '__proto__',
  'constructor',
  '99999999999999999999',
  '-1',
  '1e309',
  'NaN',
];
// Query and path values are text: numbers written out, and text that looks like what the route wants but is not.
const ODD_TEXT_NUMBERS = [
  '99999999999999999999',
  '-1',
  '-99999999999',
  '1e309',
  'NaN',
  'Infinity',
  '0x10',
  '1.5',
  ' 1',
];
// Moments any ISO 8601 check accepts that PostgreSQL's timestamps may not: year 0, the last instant, extreme offsets.
const DATE_TIME_EDGES = ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-12-01T00:00:00+23:59'];
// Path segments as an attacker spells them: percent-encoding that is invalid, decodes to NUL, `..`, a slash.
const ENCODED_SEGMENTS = [
  '%00',
  '%ED%A0%80', // a lone surrogate as UTF-8 bytes (invalid UTF-8)
  '%FF',
  '%ZZ',
  '%',
  '%2e%2e',
  '..%2F..%2Fetc',
  '%2F',
  '%252e',
  'a;b=c',
  'x'.repeat(5000),
  encodeURIComponent('😀'),
  encodeURIComponent("' OR 1=1 --"),
];

/** The operations of the document, with parameters and bodies resolved. */
export function operationsOf(spec: Schema): Operation[] {
  const resolve = (s: Schema | undefined): Schema | undefined => {
    if (!s || typeof s !== 'object') return s;
    if (typeof s.$ref === 'string') {
      const target = s.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((o: any, k: string) => o?.[k], spec);
      return resolve(target);
    }
    return s;
  };
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Schema>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = (op.requestBody?.content ?? {}) as Record<string, { schema?: Schema }>;
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: ((op.parameters ?? []) as Parameter[]).map((p) => ({ ...p, schema: resolve(p.schema) })),
        body: content['application/json'] ? (resolve(content['application/json'].schema) ?? {}) : null,
        // OpenAPI 3 lists a route's content types as its request body's keys (a 2.0 `consumes` is not kept).
        consumes: Object.keys(content).filter((c) => c !== 'application/json'),
      });
    }
  }
  return out;
}

/** Makes values for one run: valid ones from a schema, and the hostile catalogue, all from one seeded stream. */
/** The collection an id parameter or field names: `teamId` → teams, `managerUserId` → users. */
export function collectionOf(name: string): string {
  const base = name.replace(/Ids?$/, '').replace(/To$/, '');
  if (/user|manager|viewer|member|actor/i.test(base)) return 'users';
  if (/^moveMembers/.test(name)) return 'teams';
  const kebab = base.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return kebab.endsWith('s') ? kebab : `${kebab}s`;
}

/** The collection a path's answers hold: the last fixed segment (`/profiles/{id}/ranking-groups` → ranking-groups). */
export function collectionOfPath(path: string): string {
  const fixed = path.split('/').filter((p) => p && !p.startsWith('{'));
  return fixed[fixed.length - 1] ?? 'any';
}

function values(
  rng: () => number,
  ids: Record<string, string[]>,
  upstreamUrl: string,
  knownPaths: Record<string, Record<string, string>[]> = {},
) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  /** Path parameters known to exist together for this template, most of the time; undefined to draw them. */
  const knownPath = (template: string): Record<string, string> | undefined => {
    const known = knownPaths[template];
    return known?.length && rng() < 0.9 ? { ...pick(known) } : undefined;
  };
  let serial = 0;
  const KNOWN_PATTERNS: [RegExp, () => string][] = [
    [/PRIVATE KEY/, () => '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----'],
    [/T\(/, () => new Date().toISOString()],
    [/\\d\{4\}-/, () => '2026-12-01'],
    [/\{10,30\}/, () => '1234567890123'],
    [/\{15,18\}/, () => '005000000000001AAA'],
    [/\\d\{1,18\}/, () => String(1 + Math.floor(rng() * 1000))],
  ];

  const validString = (s: Schema, name?: string): string => {
    if (Array.isArray(s.enum)) return String(pick(s.enum));
    if (s.const !== undefined) return String(s.const);
    if (s.format === 'uuid') {
      const own = name ? ids[collectionOf(name)] : undefined;
      const pool = own?.length ? own : (ids.any ?? []);
      return pool.length && rng() < 0.9 ? pick(pool) : randomUUID();
    }
    if (s.format === 'email' || /email$/i.test(name ?? ''))
      return `fuzz${++serial}.${Math.floor(rng() * 1e9)}@example.com`;
    if (s.format === 'uri' || /url$/i.test(name ?? '')) return upstreamUrl;
    if (s.format === 'date-time') return new Date().toISOString();
    if (s.pattern) {
      for (const [test, make] of KNOWN_PATTERNS) if (test.test(s.pattern)) return make();
    }
    const min = s.minLength ?? 1;
    const max = Math.min(s.maxLength ?? 24, Math.max(min, 24));
    const len = min + Math.floor(rng() * (max - min + 1));
    return `fuzz ${++serial} ${'abcdefghij'.repeat(30)}`.slice(0, Math.max(len, min)).padEnd(min, 'x');
  };

  const validNumber = (s: Schema, integer: boolean): number => {
    const lo = typeof s.minimum === 'number' ? s.minimum : 0;
    const hi = typeof s.maximum === 'number' ? s.maximum : lo + 100;
    let n = lo + rng() * (hi - lo);
    if (integer) n = Math.min(hi, Math.max(lo, Math.round(n)));
    if (s.exclusiveMinimum === true && n === lo) n = integer ? lo + 1 : (lo + hi) / 2;
    return n;
  };

  const typeOf = (s: Schema): string | undefined => {
    if (Array.isArray(s.type)) return s.type.find((t: string) => t !== 'null');
    return s.type;
  };

  /** A value `s` accepts; `name` is the field or parameter, which says whose id a uuid is. */
  const valid = (s: Schema | undefined, depth = 0, name?: string): unknown => {
    if (!s || depth > 8) return null;
    const alternatives = s.anyOf ?? s.oneOf;
    if (Array.isArray(alternatives)) {
      const usable = alternatives.filter((a: Schema) => a.type !== 'null' && a.not === undefined);
      return valid(pick(usable.length ? usable : alternatives), depth + 1, name);
    }
    if (Array.isArray(s.allOf)) return valid(s.allOf[0], depth + 1, name);
    if (s.const !== undefined) return s.const;
    if (Array.isArray(s.enum)) return pick(s.enum);
    switch (typeOf(s)) {
      case 'string':
        return validString(s, name);
      case 'integer':
        return validNumber(s, true);
      case 'number':
        return validNumber(s, false);
      case 'boolean':
        return rng() < 0.5;
      case 'array': {
        const min = s.minItems ?? 0;
        const n = min + Math.floor(rng() * (Math.min(s.maxItems ?? 3, min + 2) - min + 1));
        const items = Array.from({ length: n }, () => valid(s.items, depth + 1, name));
        return s.uniqueItems ? [...new Map(items.map((i) => [JSON.stringify(i), i])).values()] : items;
      }
      case 'object':
      case undefined: {
        const out: Record<string, unknown> = {};
        const required = new Set<string>(s.required ?? []);
        for (const [key, prop] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
          if (required.has(key) || rng() < 0.5) out[key] = valid(prop, depth + 1, key);
        }
        return out;
      }
      default:
        return null;
    }
  };

  /**
   * Valid values at the schema's very edges (its bounds, the earliest and latest moments a date-time can name): where
   * the schema allows more than the database column holds, these are what reach it.
   */
  const edges = (s: Schema | undefined): [string, unknown][] => {
    const cases: [string, unknown][] = [];
    if (!s) return cases;
    const type = typeOf(s);
    if (type === 'number' || type === 'integer') {
      if (typeof s.maximum === 'number') cases.push(['the largest value allowed', s.maximum]);
      if (typeof s.minimum === 'number') cases.push(['the smallest value allowed', s.minimum]);
    }
    if (type === 'string' && s.format === 'date-time')
      cases.push(...DATE_TIME_EDGES.map((d): [string, unknown] => [`the moment ${d}`, d]));
    return cases;
  };

  /** Hostile values for one slot of a JSON body, each with what it tries. */
  const hostile = (s: Schema | undefined): [string, unknown][] => {
    const type = s ? typeOf(s) : undefined;
    const cases: [string, unknown][] = [
      ['a wrong type', pick(WRONG_TYPES)],
      ['a 1 MB string', MB],
      ['a NUL', NUL],
      ['a lone surrogate', LONE_SURROGATE],
      ['an odd string', pick(ODD_STRINGS)],
      ['a huge number', pick(HUGE_NUMBERS)],
      ['a negative number', pick(NEGATIVE_NUMBERS)],
    ];
    if (s?.format === 'uuid') cases.push(['an unknown id', pick(UNKNOWN_IDS)]);
    cases.push(...edges(s));
    if (type === 'array') {
      cases.push(['a 10,000-item array', Array.from({ length: 10_000 }, () => valid(s?.items))]);
      cases.push(['an array of NULs', [NUL, LONE_SURROGATE]]);
    }
    if (type === 'object' || type === undefined) {
      cases.push(['an object with odd keys', { __proto__: { polluted: true }, constructor: 1, 'a\u0000': 1 }]);
    }
    return cases;
  };

  /** Hostile text for a query or path value. */
  const hostileText = (s: Schema | undefined): [string, string][] => {
    const cases: [string, string][] = [
      ['a NUL', NUL],
      ['a lone surrogate', LONE_SURROGATE],
      ['an odd string', pick(ODD_STRINGS)],
      ['a number written oddly', pick(ODD_TEXT_NUMBERS)],
      ['a 4 KB value', 'y'.repeat(4000)],
    ];
    if (s?.format === 'uuid') cases.push(['an unknown id', pick(UNKNOWN_IDS)]);
    cases.push(...edges(s).map(([what, v]): [string, string] => [what, String(v)]));
    return cases;
  };

  return { pick, valid, hostile, hostileText, typeOf, knownPath };
}

/** Percent-encodes text as UTF-8, writing a lone surrogate as the (invalid) UTF-8 bytes an attacker would send. */
export function encodeText(value: string): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

/**
 * The requests of one operation: a valid one, then one per hostile value of each parameter and top-level body field,
 * a missing value for each required one, and bodies of the wrong shape.
 */
function* sweep(
  op: Operation,
  gen: ReturnType<typeof values>,
  rng: () => number,
  invalidOnly: boolean,
): Generator<FuzzRequest> {
  const typeOf = gen.typeOf;
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  // A path id is one of the collection named just before it: /profiles/{id}/ranking-groups/{groupId}.
  const segments = op.path.split('/');
  const pathCollection = (name: string) => {
    const at = segments.indexOf(`{${name}}`);
    return at > 0 ? segments[at - 1]!.replace(/s?$/, '') + 'Id' : name;
  };
  const validPath = () =>
    gen.knownPath(op.path) ??
    Object.fromEntries(pathParams.map((p) => [p.name, String(gen.valid(p.schema, 0, pathCollection(p.name)))]));
  const validQuery = (): Record<string, string> =>
    Object.fromEntries(
      queryParams.filter((p) => p.required || rng() < 0.3).map((p) => [p.name, String(gen.valid(p.schema, 0, p.name))]),
    );
  const validBody = () => (op.body ? gen.valid(op.body) : undefined);
  const build = (
    label: string,
    path: Record<string, string>,
    query: Record<string, string>,
    body: unknown,
    raw?: { payload: string | Buffer; type: string },
    rawPath = false,
    twice?: string,
  ): FuzzRequest => {
    const pairs = Object.entries(query).map(([k, v]) => `${encodeText(k)}=${encodeText(v)}`);
    const url =
      op.path.replace(/\{(\w+)\}/g, (_m, name: string) => (rawPath ? path[name]! : encodeText(path[name] ?? ''))) +
      (pairs.length ? `?${pairs.join('&')}` : '') +
      (twice ? `${pairs.length ? '&' : '?'}${encodeText(twice)}=a&${encodeText(twice)}=b` : '');
    const headers: Record<string, string> = {};
    let payload: string | Buffer | undefined;
    if (raw) {
      headers['content-type'] = raw.type;
      payload = raw.payload;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return { method: op.method, url, headers, payload, label };
  };

  if (!invalidOnly) yield build('a valid request', validPath(), validQuery(), validBody());

  for (const p of pathParams) {
    for (const [what, value] of gen.hostileText(p.schema)) {
      yield build(`path ${p.name}: ${what}`, { ...validPath(), [p.name]: value }, validQuery(), validBody());
    }
    for (const segment of ENCODED_SEGMENTS) {
      yield build(
        `path ${p.name}: encoded ${segment.slice(0, 20)}`,
        { ...validPath(), [p.name]: segment },
        {},
        validBody(),
        undefined,
        true,
      );
    }
  }
  for (const p of queryParams) {
    for (const [what, value] of gen.hostileText(p.schema)) {
      yield build(`query ${p.name}: ${what}`, validPath(), { ...validQuery(), [p.name]: value }, validBody());
    }
    const { [p.name]: _once, ...others } = validQuery();
    yield build(`query ${p.name}: twice`, validPath(), others, validBody(), undefined, false, p.name);
  }
  if (op.body) {
    const props = Object.entries((op.body.properties ?? {}) as Record<string, Schema>);
    for (const [key, prop] of props) {
      for (const [what, value] of gen.hostile(prop)) {
        const body = (validBody() ?? {}) as Record<string, unknown>;
        yield build(`body ${key}: ${what}`, validPath(), validQuery(), { ...body, [key]: value });
      }
      if ((op.body.required ?? []).includes(key)) {
        const { [key]: _gone, ...rest } = (validBody() ?? {}) as Record<string, unknown>;
        yield build(`body ${key}: missing`, validPath(), validQuery(), rest);
      }
    }
    for (const [what, value] of gen.hostile(op.body)) {
      yield build(`body: ${what}`, validPath(), validQuery(), value);
    }
    yield build('body: empty object', validPath(), validQuery(), {});
    yield build('body: none', validPath(), validQuery(), undefined);
    yield build('body: malformed JSON', validPath(), validQuery(), undefined, {
      payload: '{"a": ',
      type: 'application/json',
    });
    yield build('body: invalid UTF-8', validPath(), validQuery(), undefined, {
      payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      type: 'application/json',
    });
    yield build('body: deeply nested', validPath(), validQuery(), undefined, {
      payload: '['.repeat(5000) + ']'.repeat(5000),
      type: 'application/json',
    });
    yield build('body: as text/plain', validPath(), validQuery(), undefined, { payload: 'hello', type: 'text/plain' });
    // A valid body under another type may be read as JSON all the same: not for operations kept invalid-only.
    for (const type of invalidOnly
      ? []
      : ['application/json; charset=utf-16', 'multipart/form-data', 'application/x-www-form-urlencoded'])
      yield build(`body: as ${type}`, validPath(), validQuery(), undefined, {
        payload: JSON.stringify(validBody()),
        type,
      });
    // One level down: each field of a nested object, or of the first item of an array of objects.
    for (const [key, prop] of props) {
      const inner = typeOf(prop) === 'array' ? prop.items : prop;
      if (!inner || typeOf(inner) !== 'object' || !inner.properties) continue;
      for (const [innerKey, innerProp] of Object.entries(inner.properties as Record<string, Schema>)) {
        for (const [what, value] of gen.hostile(innerProp).filter(([w]) => w !== 'a 10,000-item array')) {
          const body = (validBody() ?? {}) as Record<string, unknown>;
          const item = { ...((gen.valid(inner) as Record<string, unknown>) ?? {}), [innerKey]: value };
          const nested = typeOf(prop) === 'array' ? [item] : item;
          yield build(`body ${key}.${innerKey}: ${what}`, validPath(), validQuery(), { ...body, [key]: nested });
        }
      }
    }
  }
  // The acting admin's headers, as a careless or hostile caller sends them.
  if (!invalidOnly || op.method === 'GET') {
    for (const [what, actor] of [
      ['blank', '   '],
      ['a 4 KB value', 'z'.repeat(4000)],
      ['Latin-1 bytes', 'adm\u00e9n@example.com'],
      ['an id-like value', '005000000000000AAA'],
      ['an email with .invalid', 'Admin1@Example.com.invalid'],
    ] as [string, string][]) {
      const req = build(`header x-roster-actor: ${what}`, validPath(), validQuery(), validBody());
      req.headers['x-roster-actor'] = actor;
      req.headers['x-roster-actor-id'] = actor;
      yield req;
    }
  }
  for (const type of op.consumes) {
    for (const [what, payload] of [
      ['JSON', '{"rows": []}'],
      ['a NUL', `Email,Operation\n${NUL}@example.com,Add\n`],
      ['a lone surrogate', `Email,Operation\n${LONE_SURROGATE}@example.com,Add\n`],
      ['a 1 MB cell', `Email,Operation,First Name\na@example.com,Add,${MB}\n`],
      ['random bytes', Buffer.from(Array.from({ length: 2000 }, () => Math.floor(rng() * 256)))],
      ['a stray quote', 'Email,Operation\n"a@example.com,Add\n'],
      ['no header', ''],
    ] as [string, string | Buffer][]) {
      yield build(`${type} body: ${what}`, validPath(), validQuery(), undefined, { payload, type });
    }
  }
}

/** A random case of an operation's sweep (drawn afresh, so its valid parts differ from the sweep's). */
function randomCase(
  op: Operation,
  gen: ReturnType<typeof values>,
  rng: () => number,
  invalidOnly: boolean,
  sizes: Map<Operation, number>,
): FuzzRequest {
  if (!sizes.has(op)) {
    let n = 0;
    for (const _ of sweep(op, gen, rng, invalidOnly)) n += 1;
    sizes.set(op, n);
  }
  const at = Math.floor(rng() * sizes.get(op)!);
  let i = 0;
  for (const req of sweep(op, gen, rng, invalidOnly)) if (i++ === at) return req;
  return [...sweep(op, gen, rng, false)][0]!;
}

const shapeProblem = (text: string): string | null => {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch {
    return 'the answer is not JSON';
  }
  const e = data?.error;
  if (!e || typeof e !== 'object') return 'no error object';
  if (typeof e.code !== 'string' || !e.code) return 'error.code is not a string';
  if (typeof e.message !== 'string' || !e.message) return 'error.message is not a string';
  if (!('details' in e)) return 'error.details is missing';
  return null;
};

interface Answer {
  status: number;
  text: string;
}

function send(agent: Agent, base: URL, req: FuzzRequest, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve) => {
    const body = req.payload === undefined ? undefined : Buffer.from(req.payload);
    const r = request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.url,
        agent,
        headers: { ...headers, ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: -1, text: '' }));
      },
    );
    // A socket the server closed without an answer is reported as status 0 (the parser refusing the request).
    r.on('error', (err) => resolve({ status: 0, text: String(err) }));
    r.end(body);
  });
}

/** Runs the sweep over every operation, then `count` random cases; resolves with every finding. */
export async function fuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const rng = prng(opts.seed);
  const gen = values(rng, opts.ids, opts.upstreamUrl ?? 'http://127.0.0.1:9', opts.knownPaths);
  const ops = operationsOf(opts.spec);
  const invalidOnly = new Set(opts.invalidOnly ?? []);
  const key = (op: Operation) => `${op.method} ${op.path}`;
  const base = new URL(opts.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency ?? 4 });
  const result: FuzzResult = { requests: 0, statuses: {}, contentTypes: {}, findings: [] };

  function* all(): Generator<[Operation, FuzzRequest]> {
    for (const op of ops) for (const req of sweep(op, gen, rng, invalidOnly.has(key(op)))) yield [op, req];
    const sizes = new Map<Operation, number>();
    for (let i = 0; i < opts.count; i += 1) {
      const op = gen.pick(ops);
      yield [op, randomCase(op, gen, rng, invalidOnly.has(key(op)), sizes)];
    }
  }

  const queue = all();
  const worker = async () => {
    for (;;) {
      if (opts.maxFindings !== undefined && result.findings.length >= opts.maxFindings) return;
      const next = queue.next();
      if (next.done) return;
      const [op, req] = next.value;
      if (opts.heal && result.requests % (opts.healEvery ?? 50) === 0) await opts.heal();
      const answer = await send(agent, base, req, opts.headers);
      result.requests += 1;
      opts.trace?.(req, answer.status, answer.text);
      result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
      const type = req.headers['content-type'] ?? 'none';
      result.contentTypes[type] = (result.contentTypes[type] ?? 0) + 1;
      // Ids the service hands out join the pool, so later cases reach rows that exist.
      if (answer.status >= 200 && answer.status < 300) {
        const pool = (opts.ids[collectionOfPath(op.path)] ??= []);
        for (const m of answer.text.matchAll(/"id":"([0-9a-f-]{36})"/g))
          if (pool.length < 200 && !pool.includes(m[1]!)) pool.push(m[1]!);
      }
      let reason: string | null = null;
      if (answer.status >= 500) reason = `answered ${answer.status}`;
      else if (answer.status >= 400) reason = shapeProblem(answer.text);
      else if (answer.status < 100) reason = `no answer (${answer.text})`;
      if (reason)
        result.findings.push({
          operation: key(op),
          label: req.label,
          method: req.method,
          url: req.url.length > 200 ? `${req.url.slice(0, 200)}…` : req.url,
          status: answer.status,
          reason,
          answer: answer.text.slice(0, 300),
        });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
  agent.destroy();
  return result;
}
