import { afterAll, describe, expect, it } from 'vitest';
import { createKnex } from '../../src/db/knex.js';
import { createOrg } from '../../src/orgs/service.js';
import { databaseOnServer } from '../db.js';
import { generateOrg, startFakeSalesforce } from '@roster/fake-salesforce';
import { startFakeGraph } from '@roster/fake-graph';
import { sleep, startServiceProcess, waitFor } from './service-process.js';

// Enough rows that the apply is still running once a sync and a probe batch are in flight too.
const CSV_ROWS = 50_000;

describe.skipIf(!process.env.DATABASE_URL || !process.env.ROSTER_PROCESS_TESTS)('SIGTERM under load', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it('finishes the sync, the CSV apply and the probe batch in flight (or hands them back), then exits 0', async () => {
    const database = await databaseOnServer(process.env.DATABASE_URL!, 'roster_shutdown');
    cleanups.push(database.drop);
    const fixture = generateOrg({ users: 400, roles: 20, depth: 4, seed: 5 });
    const graph = await startFakeGraph({ latencyMs: 400 });
    cleanups.push(graph.close);
    for (const user of fixture.users) graph.addUser(String(user.Email), 'ok');
    const salesforce = await startFakeSalesforce({ org: fixture });
    cleanups.push(salesforce.close);

    const service = await startServiceProcess(database.url, {
      MAILBOX_CUSTOM_ENDPOINTS: 'true',
      MAILBOX_INTERVAL_SECONDS: '3',
      MAILBOX_TICK_SECONDS: '1',
      SHUTDOWN_TIMEOUT_MS: '60000',
      METRICS_PORT: '0',
      // Each request's start and end in the output, so a shutdown that times out shows what it waited for.
      LOG_LEVEL: 'info',
    });
    cleanups.push(async () => service.child.kill('SIGKILL'));
    const db = createKnex(database.url);
    cleanups.push(() => db.destroy());
    const admin = 'admin@shutdown.test';
    const org = await createOrg(db, { name: 'Shutdown', admin: { email: admin, firstName: 'Ada', lastName: 'Admin' } });
    const auth = { apiKey: org.apiKey, admin };
    // CSV import is refused in Automatic Mode, so the CSV apply runs in a second org, in Manual Mode.
    const csvAdmin = 'admin@csv.shutdown.test';
    const csvOrg = await createOrg(db, {
      name: 'Shutdown CSV',
      admin: { email: csvAdmin, firstName: 'Cy', lastName: 'Admin' },
    });
    const c = salesforce.credentials;
    const saved = await service.api('PUT', '/api/v1/salesforce/connection', auth, {
      authKind: 'jwt',
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      username: c.username,
      privateKey: c.privateKeyPem,
    });
    expect(saved.status, JSON.stringify(saved.data)).toBe(200);
    expect((await service.api('POST', '/api/v1/profiles', auth, { name: 'Sales' })).status).toBe(201);
    const enabled = await service.api('PUT', '/api/v1/mode', auth, { mode: 'automatic', confirm: true });
    expect(enabled.status, JSON.stringify(enabled.data)).toBeLessThan(300);
    await waitFor('the first sync', async () =>
      db('sync_runs').where({ org_id: org.orgId }).whereNot('outcome', 'running').first('id'),
    );
    // As production runs it: ready once its queue runs, and its metrics on their own port.
    expect(await (await fetch(`${service.url}/ready`)).json()).toMatchObject({ ready: true });
    const metricsUrl = /Metrics: (http:\/\/\S+)/.exec(service.output())?.[1];
    expect(metricsUrl, service.output()).toBeDefined();
    const metrics = await (await fetch(metricsUrl!)).text();
    expect(metrics).toMatch(new RegExp(`roster_users\\{org="${org.orgId}",status="\\w+"\\} [1-9]`));
    expect(metrics).toMatch(new RegExp(`roster_sync_last_outcome\\{org="${org.orgId}",outcome="\\w+"\\} 1`));
    const provider = await service.api('PUT', '/api/v1/mailbox/provider', auth, {
      provider: 'microsoft',
      tenantId: graph.tenantId,
      clientId: graph.clientId,
      clientSecret: graph.clientSecret,
      authorityUrl: graph.authorityUrl,
      graphUrl: graph.graphUrl,
    });
    expect(provider.status).toBe(200);

    // Three kinds of work in flight at once: a sync slowed by Salesforce, a CSV apply, a probe batch slowed by Graph.
    // An incremental sync is one Salesforce call, so it can end between two probe batches: then the next one starts,
    // until a sync and a batch are in flight together. (Slower calls would not help: the scheduler's own syncs make
    // many, and would outlast the shutdown timeout.)
    salesforce.control.injectFault({ rate: 1, latencyMs: 300 });
    const startSync = () => {
      const run = { done: false, result: service.api('POST', '/api/v1/sync/run', auth) };
      void run.result.finally(() => (run.done = true));
      return run;
    };
    let sync = startSync();
    const lines = ['Email,First Name,Last Name,Role,Licenses,Operation'];
    for (let i = 0; i < CSV_ROWS; i++) lines.push(`bulk${i}@example.com,First${i},Last${i},Member,Foundation,Add`);
    const csv = fetch(`${service.url}/api/v1/users/import?dryRun=false`, {
      method: 'POST',
      headers: { authorization: `Bearer ${csvOrg.apiKey}`, 'x-roster-actor': csvAdmin, 'content-type': 'text/csv' },
      body: lines.join('\n'),
    });
    let csvAnswered = false;
    const answered = () => void (csvAnswered = true);
    void csv.then(answered, answered);
    await waitFor('a sync run and a probe batch in flight', async () => {
      if (csvAnswered) throw new Error('the CSV apply ended before a sync and a probe batch were in flight with it');
      if (sync.done) sync = startSync();
      const running = await db('sync_runs').where({ org_id: org.orgId, outcome: 'running' }).first('id');
      const probing = await db
        .withSchema('pgboss')
        .from('job')
        .where({ name: 'mailbox.org', state: 'active' })
        .first('id');
      return running && probing;
    });
    await sleep(200);
    expect(csvAnswered, 'the CSV apply is still running at SIGTERM').toBe(false);
    service.child.kill('SIGTERM');

    const code = await service.exited;
    expect(code, service.output().slice(-12_000)).toBe(0);
    expect((await sync.result).status).toBe(200);
    const imported = await csv;
    expect(imported.status, await imported.clone().text()).toBe(200);

    // The CSV apply is all there, the sync run finished, and no job is left active by the process that stopped.
    const bulk = await db('users').where({ org_id: csvOrg.orgId, source: 'csv' }).count({ n: '*' }).first();
    expect(Number(bulk!.n)).toBe(CSV_ROWS);
    expect(await db('sync_runs').where({ org_id: org.orgId, outcome: 'running' }).first('id')).toBeUndefined();
    const active = await db.withSchema('pgboss').from('job').where({ state: 'active' }).select('name');
    expect(active).toEqual([]);
    // Every probe the batch made was recorded with its state, so no user was claimed and then dropped.
    const orphaned = await db('mailbox_probe_state as s')
      .where('s.org_id', org.orgId)
      .whereNotNull('s.last_checked_at')
      .whereNotExists(db('mailbox_probe_results as r').whereRaw('r.user_id = s.user_id'))
      .count({ n: '*' })
      .first();
    expect(Number(orphaned!.n)).toBe(0);
  }, 300_000);
});
