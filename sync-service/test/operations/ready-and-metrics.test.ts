import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createKnex } from '../../src/db/knex.js';
import {
  DatabaseNewerError,
  MigrationsPendingError,
  migrateLatest,
  migrateSafely,
  migrationStatus,
} from '../../src/db/migrate.js';
import { serveMetrics } from '../../src/plugins/metrics.js';
import { startFakeGraph, type FakeGraph } from '@roster/fake-graph';
import { freshDatabase } from '../db.js';
import { build, TEST_ENCRYPTION_KEY, type TestApp } from '../helper.js';
import { addUsers, mailboxEnv, testAccess, useGraph } from '../mailbox/support.js';
import { connectFakeOrg } from '../salesforce-helper.js';

const configFor = (extra: Record<string, string> = {}) =>
  loadConfig({
    LOG_LEVEL: 'silent',
    QUEUE_ENABLED: 'false',
    DEMO_ORG: 'false',
    ROSTER_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    ...extra,
  });

/** `npm run migrate`'s program (the sources, as the build may be older) on `databaseUrl`: its exit code and output. */
async function runMigrate(databaseUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/migrate.ts'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, DATABASE_URL: databaseUrl, ROSTER_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY },
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

describe('readiness and migrations', () => {
  it('is ready once the database answers, its schema is current and the queue runs', async () => {
    const t = await build({ queue: true });
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ ready: true, database: 'ok', migrations: 'current', queue: 'ok' });
      expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    } finally {
      await t.close();
    }
  });

  it('answers not ready (503, queue down) until the job queue runs and once it stops, while /health answers', async () => {
    const database = await freshDatabase();
    const app = await buildApp({
      config: configFor({ QUEUE_ENABLED: 'true' }),
      databaseUrl: database.url,
      logger: false,
    });
    try {
      // pg-boss's start held back, as on a busy database: the service listens meanwhile.
      const boss = app.queue!.raw;
      const startBoss = boss.start.bind(boss);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      boss.start = () => held.then(startBoss);
      await app.ready();
      const before = await app.inject({ method: 'GET', url: '/ready' });
      expect(before.statusCode).toBe(503);
      expect(before.json()).toEqual({ ready: false, database: 'ok', migrations: 'current', queue: 'down' });
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      release();
      await app.started();
      expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
      await app.queue!.stop();
      const stopped = await app.inject({ method: 'GET', url: '/ready' });
      expect(stopped.statusCode).toBe(503);
      expect(stopped.json()).toMatchObject({ ready: false, queue: 'down' });
    } finally {
      await app.close();
      await database.drop();
    }
  });

  it('answers not ready (503, database down) when the database stops answering, while /health still answers', async () => {
    const database = await freshDatabase();
    const app = await buildApp({ config: configFor(), databaseUrl: database.url, logger: false });
    try {
      expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
      // Its database gone (the embedded server stopped, or the server's database dropped with its connections).
      await database.drop();
      const down = await app.inject({ method: 'GET', url: '/ready' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ ready: false, database: 'down' });
      // Liveness never asks the database, so an outage does not get every replica restarted.
      expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    } finally {
      await app.close();
    }
  });

  it('`npm run migrate` migrates an empty database and exits 0, then finds it up to date, and exits 1 on a newer one', async () => {
    const database = await freshDatabase({ empty: true });
    const db = createKnex(database.url);
    try {
      const first = await runMigrate(database.url);
      expect(first, first.output).toMatchObject({ code: 0, output: expect.stringMatching(/^Applied \d+: /) });
      expect(await migrationStatus(db)).toEqual({ pending: [], unknown: [] });
      expect(await runMigrate(database.url)).toEqual({ code: 0, output: 'Already up to date.\n' });
      await db('knex_migrations').insert({
        name: '29991231235959_next_release',
        batch: 99,
        migration_time: new Date(),
      });
      const newer = await runMigrate(database.url);
      expect(newer.code).toBe(1);
      expect(newer.output).toContain('29991231235959_next_release');
      expect(newer.output).toContain('migrated by a newer release');
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it('refuses to start without migrating when `npm run migrate` has not run, and starts once it has', async () => {
    const database = await freshDatabase({ empty: true });
    const db = createKnex(database.url);
    const start = () =>
      buildApp({ config: configFor({ MIGRATE_ON_START: 'false' }), databaseUrl: database.url, logger: false });
    try {
      await expect(start()).rejects.toBeInstanceOf(MigrationsPendingError);
      await expect(start()).rejects.toThrow(/run `npm run migrate` first/);
      await migrateSafely(db);
      const app = await start();
      try {
        const ready = await app.inject({ method: 'GET', url: '/ready' });
        expect(ready.json()).toEqual({ ready: true, database: 'ok', migrations: 'current', queue: 'disabled' });
      } finally {
        await app.close();
      }
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it('answers not ready (503) once a newer release migrates the database under it, so the balancer drains it', async () => {
    const t = await build();
    try {
      await t.app
        .db('knex_migrations')
        .insert({ name: '29991231235959_next_release', batch: 99, migration_time: new Date() });
      const res = await t.app.inject({ method: 'GET', url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ ready: false, database: 'ok', migrations: 'newer' });
      expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('refuses to start on a database that a newer release migrated, naming the unknown migration', async () => {
    const database = await freshDatabase();
    const db = createKnex(database.url);
    try {
      await migrateLatest(db);
      await db('knex_migrations').insert({
        name: '29991231235959_from_the_future',
        batch: 99,
        migration_time: new Date(),
      });
      for (const migrate of ['true', 'false']) {
        const started = buildApp({
          config: configFor({ MIGRATE_ON_START: migrate }),
          databaseUrl: database.url,
          logger: false,
        });
        await expect(started).rejects.toBeInstanceOf(DatabaseNewerError);
        await expect(started).rejects.toThrow(/29991231235959_from_the_future/);
      }
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it('refuses a PostgreSQL server without ROSTER_ENCRYPTION_KEY, since replicas must share one key', () => {
    const attempt = () => loadConfig({ DATABASE_URL: 'postgres://db.internal:5432/roster' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/ROSTER_ENCRYPTION_KEY: is required with DATABASE_URL/);
    expect(() =>
      loadConfig({ DATABASE_URL: 'postgres://db.internal:5432/roster', ROSTER_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }),
    ).not.toThrow();
    // The embedded database keeps its generated local key: nothing to set for `npm start`.
    expect(() => loadConfig({})).not.toThrow();
  });
});

describe('request ids', () => {
  let t: TestApp;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    t = await build({ env: { LOG_LEVEL: 'info' }, logStream: sink });
  });
  afterAll(() => t.close());

  it("keeps the Apex proxy's X-Request-Id on every log line of the request, the response and the error body", async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { 'x-request-id': 'TID:8a1c2e-apex.42' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-request-id']).toBe('TID:8a1c2e-apex.42');
    expect(res.json().error).toMatchObject({ requestId: 'TID:8a1c2e-apex.42' });
    const mine = lines.filter((l) => l.reqId === 'TID:8a1c2e-apex.42');
    expect(mine.map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
  });

  it('puts the request id on the lines its services log too, such as the Salesforce query that failed it', async () => {
    const fake = await connectFakeOrg(t);
    try {
      expect((await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } })).statusCode).toBe(201);
      fake.control.injectFault({ route: 'query', status: 400, errorCode: 'INVALID_FIELD' });
      const res = await t.api('POST', '/api/v1/mode/preview', {
        body: { mode: 'automatic' },
        headers: { 'x-request-id': 'TID:preview-7' },
      });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.data.error.requestId).toBe('TID:preview-7');
      const failed = lines.filter((l) => l.msg === 'salesforce query failed');
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.map((l) => l.reqId)).toEqual(failed.map(() => 'TID:preview-7'));
    } finally {
      await fake.close();
    }
  });

  it('replaces a request id that is not a plausible id (spaces, line breaks, overlong) with a fresh one', async () => {
    for (const given of ['a b', 'x\u2028y', 'k'.repeat(200)]) {
      const res = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': given } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('Prometheus metrics', () => {
  let t: TestApp;
  let graph: FakeGraph;
  let scrape: () => Promise<string>;
  let closeMetrics: () => void;
  beforeAll(async () => {
    graph = await startFakeGraph();
    t = await build({ queue: true, env: mailboxEnv({ MAILBOX_PROBES_ENABLED: 'false' }) });
    const server = await serveMetrics(t.app, 0, '127.0.0.1');
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`;
    scrape = async () => {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return res.text();
    };
    closeMetrics = () => server.close();
  });
  afterAll(async () => {
    closeMetrics();
    await t.close();
    await graph.close();
  });

  it('is served on METRICS_PORT only: the API port, behind the load balancer, answers /metrics with 404', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    expect(await scrape()).toContain('roster_users');
  });

  it('serves request latency by route pattern, never by raw URL', async () => {
    const user = await t.api('GET', '/api/v1/users?limit=1');
    const id = user.data.items[0].id;
    await t.api('GET', `/api/v1/users/${id}`);
    const text = await scrape();
    expect(text).toMatch(/roster_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/users\/:id"[^}]*\} 1/);
    expect(text).not.toContain(id);
  });

  it('counts users by status, and mailbox probes by outcome and reason', async () => {
    const email = 'out.of.scope@contoso.test';
    graph.addUser(email, 'out_of_scope');
    await useGraph(t, graph);
    const [id] = await addUsers(t, [email], { status: 'active' });
    expect((await testAccess(t, id!)).statusCode).toBe(200);
    const text = await scrape();
    expect(text).toContain(`roster_users{org="${t.org.orgId}",status="active"} 1`);
    expect(text).toContain('roster_mailbox_probes_total{outcome="hard",reason="user_out_of_scope"} 1');
  });

  it("reports each org's sync lag and last outcome, Salesforce API calls used and left, and the job queue", async () => {
    const fake = await connectFakeOrg(t);
    try {
      // Any Salesforce call through the org's client records the Sforce-Limit-Info header it answered with.
      const session = await t.app.salesforce.forOrg(t.org.orgId);
      await session.queryAll('SELECT Id FROM Organization');
      await t.app.db('orgs').where({ id: t.org.orgId }).update({ management_mode: 'automatic' });
      const finishedAgo = (s: number) => t.app.db.raw(`now() - interval '${s} seconds'`);
      await t.app.db('sync_runs').insert([
        {
          org_id: t.org.orgId,
          kind: 'full',
          outcome: 'success',
          started_at: finishedAgo(120),
          finished_at: finishedAgo(110),
        },
        {
          org_id: t.org.orgId,
          kind: 'incremental',
          outcome: 'failed',
          started_at: finishedAgo(60),
          finished_at: finishedAgo(59),
        },
      ]);
      // One job in each state the gauge reports: failed for good, taken by a worker, and waiting.
      const queue = t.app.queue!;
      await queue.ensureQueue('metrics-test', 'standard');
      const doomed = await queue.send('metrics-test', { n: 1 }, { retryLimit: 0 });
      expect((await queue.raw.fetch('metrics-test')).map((j) => j.id)).toEqual([doomed]);
      await queue.raw.fail('metrics-test', doomed!);
      await queue.send('metrics-test', { n: 2 });
      await queue.send('metrics-test', { n: 3 });
      expect(await queue.raw.fetch('metrics-test')).toHaveLength(1);
      const text = await scrape();
      const lag = Number(new RegExp(`roster_sync_lag_seconds\\{org="${t.org.orgId}"\\} ([\\d.]+)`).exec(text)?.[1]);
      expect(lag).toBeGreaterThanOrEqual(120);
      expect(lag).toBeLessThan(180);
      expect(text).toContain(`roster_sync_last_outcome{org="${t.org.orgId}",outcome="failed"} 1`);
      expect(text).toMatch(new RegExp(`roster_salesforce_api_calls_used\\{org="${t.org.orgId}"\\} [1-9]`));
      expect(text).toMatch(new RegExp(`roster_salesforce_api_calls_remaining\\{org="${t.org.orgId}"\\} [1-9]`));
      expect(text).toContain('roster_jobs{queue="metrics-test",state="failed"} 1');
      expect(text).toContain('roster_jobs{queue="metrics-test",state="running"} 1');
      expect(text).toContain('roster_jobs{queue="metrics-test",state="queued"} 1');
    } finally {
      await fake.close();
    }
  });
});
