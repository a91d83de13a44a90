import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error autocannon publishes no types
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApp, type App } from '../../sync-service/src/app.js';
import { loadConfig } from '../../sync-service/src/config.js';
import { startEmbeddedPostgres } from '../../sync-service/src/db/embedded.js';
import { createOrg, type CreatedOrg } from '../../sync-service/src/orgs/service.js';
import { databaseOnServer, type TestDatabase } from '../../sync-service/test/db.js';
import type { Benchmark } from './run.js';

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const USERS = Number(process.env.USERS_BENCH_USERS ?? 100_000);

export type BenchDatabase = TestDatabase;

/** DATABASE_URL's server, else a local PostgreSQL, else embedded: always a fresh database, dropped afterwards. */
export async function benchDatabase(): Promise<BenchDatabase> {
  for (const server of [process.env.DATABASE_URL, LOCAL_SERVER].filter((s): s is string => !!s)) {
    try {
      return await databaseOnServer(server, 'roster_bench', 2000);
    } catch {
      // not reachable: try the next
    }
  }
  const embedded = await startEmbeddedPostgres();
  return { url: embedded.url, kind: 'embedded', drop: embedded.stop };
}

export async function benchApp(url: string, env: Record<string, string> = {}): Promise<{ app: App; org: CreatedOrg }> {
  const app = await buildApp({
    config: loadConfig({
      LOG_LEVEL: 'silent',
      QUEUE_ENABLED: 'false',
      ...env,
      DEMO_ORG: 'false',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'roster-bench-')),
    }),
    databaseUrl: url,
    logger: false,
  });
  await app.ready();
  const org = await createOrg(app.db, {
    name: 'Bench',
    admin: { email: 'admin@bench.example', firstName: 'Ada', lastName: 'Admin' },
  });
  return { app, org };
}

/** 100k users spread over 40 teams, statuses, roles and licenses, written by the database itself. */
export async function seed(app: App, org: CreatedOrg): Promise<string> {
  const teams = await app
    .db('teams')
    .insert(
      Array.from({ length: 40 }, (_, i) => ({
        org_id: org.orgId,
        name: `Team ${i}`,
        kind: 'hierarchy',
        parent_id: org.topTeamId,
      })),
    )
    .returning('id');
  await app.db.raw(
    `INSERT INTO users (org_id, email, first_name, last_name, job_title, team_id, role, licenses, profile_id, status, source)
     SELECT ?, 'user' || g || '@bench.example', 'First' || g, 'Last' || lpad((g * 7919 % ?)::text, 6, '0'), 'Rep',
            (?::uuid[])[1 + g % 40], (ARRAY['member','member','member','manager','data'])[1 + g % 5],
            CASE WHEN g % 3 = 0 THEN ARRAY['foundation','forecasting'] ELSE ARRAY['foundation'] END, ?,
            (ARRAY['active','active','active','pending','onboarding','permission_error','suspended'])[1 + g % 7], 'csv'
       FROM generate_series(1, ?) g`,
    [org.orgId, USERS, `{${teams.map((t: { id: string }) => t.id).join(',')}}`, org.defaultProfileId, USERS],
  );
  await app.db.raw('VACUUM ANALYZE users'); // as autovacuum would have, so counts can scan the index only
  return teams[0].id;
}

interface Result {
  latency: { p50: number; p99: number };
  requests: { average: number };
  non2xx: number;
  errors: number;
}

const CLIENTS = 50;
const SECONDS = Number(process.env.USERS_BENCH_SECONDS ?? 10);

async function load(url: string, apiKey: string): Promise<Result> {
  // A worker thread fires the requests, so the load generator does not share the service's event loop.
  return autocannon({
    url,
    connections: CLIENTS,
    duration: SECONDS,
    workers: 1,
    headers: { authorization: `Bearer ${apiKey}` },
  });
}

interface Statement {
  sql: string;
  bindings: unknown[];
}

/** The SQL one request runs (after the first, which also verifies the API key), as knex sent it. */
async function statementsOf(app: App, url: string, apiKey: string): Promise<Statement[]> {
  const headers = { authorization: `Bearer ${apiKey}` };
  await fetch(url, { headers });
  const seen: Statement[] = [];
  const listener = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  app.db.on('query', listener);
  await fetch(url, { headers });
  app.db.off('query', listener);
  return seen.map((q) => ({ sql: app.db.client.positionBindings(q.sql), bindings: q.bindings }));
}

/** The same statements run directly through `pg` by 50 concurrent callers, on a pool the size of the service's. */
async function loadSql(url: string, statements: Statement[]): Promise<{ p50: number; p99: number; rps: number }> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  const caller = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      for (const s of statements) await pool.query(s.sql, s.bindings);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, caller));
  await pool.end();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99), rps: latencies.length / SECONDS };
}

/**
 * The user list at 100k users: a filtered, sorted page under 50 concurrent clients (SPEC: p99 < 50 ms on PostgreSQL),
 * beside the same SQL run directly under the same load (the service may add at most 2x on top: ratio <= 3); and the
 * status counts header (p99 < 10 ms: kept counts, not a recount).
 */
const bench: Benchmark = async () => {
  const database = await benchDatabase();
  const { app, org } = await benchApp(database.url);
  try {
    const teamId = await seed(app, org);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const pages = {
      status_sorted: `${address}/api/v1/users?status=active&sort=name&limit=50`,
      team_role_sorted_desc: `${address}/api/v1/users?teamId=${teamId}&role=member&sort=-createdAt&limit=50`,
      search: `${address}/api/v1/users?search=last0042&sort=name&limit=50`,
      counts: `${address}/api/v1/users/counts`,
    };
    const out: Awaited<ReturnType<Benchmark>> = [];
    const kind = `users_list.${database.kind}`;
    out.push({ name: `${kind}.users`, value: USERS, unit: 'users', target: '100000', ok: USERS >= 100_000 });
    for (const [name, url] of Object.entries(pages)) {
      await load(url, org.apiKey); // warm-up round fills caches and the connection pool
      const r = await load(url, org.apiKey);
      const failed = r.non2xx + r.errors;
      const target = name === 'counts' ? 10 : 50;
      out.push(
        { name: `${kind}.${name}.p50`, value: r.latency.p50, unit: 'ms', target: '-' },
        {
          name: `${kind}.${name}.p99`,
          value: r.latency.p99,
          unit: 'ms',
          target: `< ${target} ms`,
          ok: r.latency.p99 < target && failed === 0,
        },
        { name: `${kind}.${name}.rps`, value: r.requests.average, unit: 'req/s', target: '-' },
      );
      if (failed) out.push({ name: `${kind}.${name}.failed`, value: failed, unit: 'requests', target: '0', ok: false });
      if (name === 'counts') continue;
      const sql = await loadSql(database.url, await statementsOf(app, url, org.apiKey));
      out.push(
        { name: `${kind}.${name}.same_sql_direct.p99`, value: sql.p99, unit: 'ms', target: '-' },
        {
          name: `${kind}.${name}.p99_vs_same_sql`,
          value: r.latency.p99 / sql.p99,
          unit: 'x',
          target: '<= 3x',
          ok: r.latency.p99 / sql.p99 <= 3,
        },
      );
    }
    return out;
  } finally {
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let requests autocannon left in flight finish
    await app.close();
    await database.drop();
  }
};
export default bench;
