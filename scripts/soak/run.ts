/**
 * `npm run soak`: 50 clients on loopback send a mix of reads and writes to the service (its own process, see
 * service.ts) for SOAK_SECONDS (default 600), each client adding, editing, suspending and deleting its own users and
 * teams so the data stays bounded. Prints the service's memory (RSS and live heap after a full GC) every
 * SOAK_SAMPLE_SECONDS, then start/peak/end and the error count. Exits 1 on any error or a live heap that keeps growing.
 * SOAK_CLIENTS changes the client count; DATABASE_URL picks the database server (else local PostgreSQL, else embedded).
 */
import { fork } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'node:http';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 50);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? (SECONDS >= 300 ? 30 : 5));
/** Users and teams one client keeps at most; past it, it deletes its oldest. */
const KEEP = 10;
/** The live heap may end this much above where it was once warm, and no more. */
const HEAP_GROWTH_LIMIT = 1.25;

interface Ready {
  type: 'ready';
  port: number;
  apiKey: string;
  adminEmail: string;
  adminSfUserId: string;
  topTeamId: string;
  database: string;
}
interface Sample {
  rss: number;
  heapUsed: number;
  external: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const child = fork(join(here, 'service.ts'), [], {
  execArgv: ['--import', 'tsx', '--expose-gc'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const messages: ((m: any) => void)[] = [];
child.on('message', (m) => messages.shift()?.(m));
const next = <T>() => new Promise<T>((resolve) => messages.push(resolve));
child.on('exit', (code) => {
  if (code !== 0 && !stopping) {
    console.error(`soak: the service exited with ${code}`);
    process.exit(1);
  }
});
let stopping = false;

const ready = await next<Ready & Sample>();
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
const headers = {
  authorization: `Bearer ${ready.apiKey}`,
  'x-roster-actor': ready.adminEmail,
  'x-roster-actor-id': ready.adminSfUserId,
};

interface Answer {
  status: number;
  text: string;
}

function call(method: string, path: string, body?: unknown, type = 'application/json'): Promise<Answer> {
  return new Promise((resolve) => {
    const payload =
      body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = request(
      {
        host: '127.0.0.1',
        port: ready.port,
        method,
        path,
        agent,
        headers: { ...headers, ...(payload ? { 'content-type': type, 'content-length': payload.length } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => resolve({ status: 0, text: String(err) }));
      },
    );
    req.on('error', (err) => resolve({ status: 0, text: String(err) }));
    req.end(payload);
  });
}

const counts = { requests: 0, errors: 0, reads: 0, writes: 0 };
const errorSamples: string[] = [];
const latencies: number[] = [];

/** One request that must succeed (2xx); anything else is an error of the run. */
async function expectOk(kind: 'reads' | 'writes', method: string, path: string, body?: unknown, type?: string) {
  const started = performance.now();
  const answer = await call(method, path, body, type);
  latencies.push(performance.now() - started);
  if (latencies.length > 100_000) latencies.splice(0, 50_000);
  counts.requests += 1;
  counts[kind] += 1;
  if (answer.status < 200 || answer.status >= 300) {
    counts.errors += 1;
    if (errorSamples.length < 20)
      errorSamples.push(`${method} ${path} -> ${answer.status} ${answer.text.slice(0, 200)}`);
    return null;
  }
  return answer.text.startsWith('{') ? JSON.parse(answer.text) : {};
}

const deadline = Date.now() + SECONDS * 1000;

/** A client: weighted reads and writes on its own users and teams, as an admin's screens would send them. */
async function client(n: number) {
  const users: { id: string; email: string }[] = [];
  const teams: string[] = [];
  let serial = 0;
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const actions: [number, () => Promise<unknown>][] = [
    [20, () => expectOk('reads', 'GET', `/api/v1/users?limit=50&search=First${Math.floor(Math.random() * 200)}`)],
    [10, () => expectOk('reads', 'GET', '/api/v1/users?limit=50&sort=-createdAt')],
    [8, () => expectOk('reads', 'GET', '/api/v1/users/counts')],
    [8, () => expectOk('reads', 'GET', '/api/v1/teams')],
    [5, () => expectOk('reads', 'GET', '/api/v1/audit-log?limit=20')],
    [5, () => expectOk('reads', 'GET', '/api/v1/profiles')],
    [3, () => expectOk('reads', 'GET', '/api/v1/rules')],
    [1, () => expectOk('reads', 'GET', '/api/v1/users/export.csv')],
    [5, async () => users.length && expectOk('reads', 'GET', `/api/v1/users/${pick(users).id}`)],
    [
      10,
      async () => {
        serial += 1;
        const email = `c${n}.u${serial}@soak.example`;
        const made = await expectOk('writes', 'POST', '/api/v1/users', {
          email,
          firstName: `Client${n}`,
          lastName: `User${serial}`,
          role: 'member',
          ...(teams.length ? { teamId: pick(teams) } : {}),
        });
        if (made?.id) users.push({ id: made.id, email });
        if (users.length > KEEP) {
          const old = users.shift()!;
          await expectOk('writes', 'DELETE', `/api/v1/users/${old.id}?confirm=${encodeURIComponent(old.email)}`);
        }
      },
    ],
    [
      8,
      async () =>
        users.length &&
        expectOk('writes', 'PATCH', `/api/v1/users/${pick(users).id}`, { jobTitle: `Title ${Math.random()}` }),
    ],
    [
      3,
      async () => {
        if (!users.length) return;
        const u = pick(users);
        await expectOk('writes', 'POST', `/api/v1/users/${u.id}/suspend`, { reason: 'Soak' });
        await expectOk('writes', 'POST', `/api/v1/users/${u.id}/reactivate`);
      },
    ],
    [
      3,
      async () => {
        serial += 1;
        const made = await expectOk('writes', 'POST', '/api/v1/teams', { name: `Soak team ${n}.${serial}` });
        if (made?.id) teams.push(made.id);
        if (teams.length > KEEP / 2) {
          const old = teams.shift()!;
          await expectOk('writes', 'DELETE', `/api/v1/teams/${old}?moveMembersTo=${ready.topTeamId}`);
        }
      },
    ],
    [
      3,
      async () =>
        teams.length &&
        expectOk('writes', 'PATCH', `/api/v1/teams/${pick(teams)}`, { name: `Soak team ${n}.${++serial}` }),
    ],
    [
      2,
      () =>
        expectOk(
          'writes',
          'POST',
          '/api/v1/users/import?dryRun=true',
          `Email,First Name,Last Name,Role,Operation\r\nc${n}.csv${++serial}@soak.example,Csv,"Row, ""quoted""",Member,Add\r\n`,
          'text/csv',
        ),
    ],
  ];
  const total = actions.reduce((s, [w]) => s + w, 0);
  while (Date.now() < deadline) {
    let r = Math.random() * total;
    const action = actions.find(([w]) => (r -= w) < 0) ?? actions[0]!;
    await action[1]();
  }
  // Leave nothing behind: the run is bounded in data as in time.
  for (const u of users)
    await expectOk('writes', 'DELETE', `/api/v1/users/${u.id}?confirm=${encodeURIComponent(u.email)}`);
  for (const t of teams) await expectOk('writes', 'DELETE', `/api/v1/teams/${t}?moveMembersTo=${ready.topTeamId}`);
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const samples: (Sample & { t: number; requests: number })[] = [];
const started = Date.now();
const takeSample = async () => {
  child.send({ type: 'sample' });
  const s = await next<Sample>();
  const t = Math.round((Date.now() - started) / 1000);
  samples.push({ ...s, t, requests: counts.requests });
  console.log(
    `t=${String(t).padStart(4)}s rss=${mb(s.rss)} MB heap=${mb(s.heapUsed)} MB requests=${counts.requests} errors=${counts.errors}`,
  );
};

console.log(
  `# soak: ${CLIENTS} clients, ${SECONDS} s, loopback 127.0.0.1:${ready.port}, ${ready.database} database; ` +
    `machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
    `Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, ${new Date().toISOString()}`,
);
await takeSample();
const sampler = setInterval(() => void takeSample(), SAMPLE_SECONDS * 1000);
await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
clearInterval(sampler);
await takeSample();

const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
// Warm once a tenth of the run is over: caches, JIT and pools have filled by then.
const warm = samples.find((s) => s.t >= SECONDS / 10) ?? samples[0]!;
const end = samples[samples.length - 1]!;
const peak = (key: 'rss' | 'heapUsed') => Math.max(...samples.map((s) => s[key]));
const growth = end.heapUsed / warm.heapUsed;
console.log(
  `requests: ${counts.requests} (${counts.reads} reads, ${counts.writes} writes), ` +
    `${(counts.requests / ((Date.now() - started) / 1000)).toFixed(0)}/s, p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms`,
);
console.log(`errors: ${counts.errors}`);
for (const e of errorSamples) console.log(`  ${e}`);
console.log(
  `rss: start ${mb(samples[0]!.rss)} MB, peak ${mb(peak('rss'))} MB, end ${mb(end.rss)} MB; ` +
    `heap: start ${mb(samples[0]!.heapUsed)} MB, warm ${mb(warm.heapUsed)} MB, peak ${mb(peak('heapUsed'))} MB, end ${mb(end.heapUsed)} MB ` +
    `(end/warm ${growth.toFixed(2)}, limit ${HEAP_GROWTH_LIMIT})`,
);
const flat = growth <= HEAP_GROWTH_LIMIT;
console.log(
  counts.errors === 0 && flat
    ? 'soak: ok'
    : `soak: FAILED (${counts.errors} errors, heap ${flat ? 'flat' : 'growing'})`,
);

stopping = true;
agent.destroy();
child.send({ type: 'stop' });
await Promise.race([next(), new Promise((r) => setTimeout(r, 10_000))]);
process.exit(counts.errors === 0 && flat ? 0 : 1);
