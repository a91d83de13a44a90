import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../sync-service/src/app.js';
import { loadConfig } from '../../sync-service/src/config.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { freshDatabase } from '../../sync-service/test/db.js';
import { scoped } from '../../sync-service/src/db/scoped.js';
import { reslot } from '../../sync-service/src/mailbox/repo.js';
import { createOrg } from '../../sync-service/src/orgs/service.js';
import { startFakeGraph } from '@roster/fake-graph';
import type { Benchmark } from './run.js';

const USERS = Number(process.env.MAILBOX_BENCH_USERS ?? 100_000);
/** The compressed interval: all users are spread over it, as over 15 minutes in production. */
const COMPRESSED_SECONDS = Number(process.env.MAILBOX_BENCH_INTERVAL ?? 300);
const REAL_SECONDS = 900;

/** The embedded database in a child process, so peak memory measures the service alone. */
async function embeddedInChild(): Promise<{ url: string; child: ChildProcess }> {
  const code = `import { startEmbeddedPostgres } from ${JSON.stringify(new URL('../../sync-service/src/db/embedded.ts', import.meta.url).href)};
    const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(mkdtempSync(join(tmpdir(), 'roster-bench-mailbox-')))} });
    console.log(db.url);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (c) => reject(new Error(`embedded database exited with ${c}`)));
  });
  return { url, child };
}

/**
 * 100k Microsoft 365 users, Graph fake answering in 50 ms. The engine runs its schedule for one compressed
 * interval (every user spread over COMPRESSED_SECONDS, run every second as the pg-boss tick would) in steady
 * state (users onboarded and healthy, so one probe request each); the result is extrapolated to 15 minutes.
 */
const bench: Benchmark = async () => {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 100);
  const server = process.env.DATABASE_URL ? await freshDatabase() : null;
  const embedded = server ? null : await embeddedInChild();
  const graph = await startFakeGraph({ latencyMs: 50, shuffle: true });
  const app = await buildApp({
    config: loadConfig({
      LOG_LEVEL: 'silent',
      QUEUE_ENABLED: 'false',
      DEMO_ORG: 'false',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'roster-bench-')),
      MAILBOX_CUSTOM_ENDPOINTS: 'true',
      MAILBOX_INTERVAL_SECONDS: String(COMPRESSED_SECONDS),
    }),
    databaseUrl: server?.url ?? embedded!.url,
    logger: false,
  });
  try {
    const org = await createOrg(app.db, {
      name: `Mailbox bench ${Date.now()}`,
      admin: { email: 'admin@bench.test', firstName: 'A', lastName: 'Admin' },
    });
    const emails = Array.from({ length: USERS - 1 }, (_, i) => `user${i}@bench.test`);
    for (const email of ['admin@bench.test', ...emails]) graph.addUser(email);
    for (let i = 0; i < emails.length; i += 5000) {
      await app.db('users').insert(
        emails.slice(i, i + 5000).map((email) => ({
          org_id: org.orgId,
          email,
          role: 'member',
          status: 'active',
          profile_id: org.defaultProfileId,
          source: 'manual',
        })),
      );
    }
    await app.db('users').where({ org_id: org.orgId }).update({ status: 'active' });
    await app.db('mailbox_providers').insert({
      org_id: org.orgId,
      provider: 'microsoft',
      encrypted_secret: app.secrets.seal(graph.clientSecret),
      settings: JSON.stringify({
        tenantId: graph.tenantId,
        clientId: graph.clientId,
        authorityUrl: graph.authorityUrl,
        graphUrl: graph.graphUrl,
      }),
    });
    // Steady state: every user onboarded and healthy, first due at their slot in the coming interval.
    await app.mailbox.engine.runDue(org.orgId, { deadline: Date.now() }); // seeds probe states only
    await app
      .db('mailbox_probe_state')
      .where({ org_id: org.orgId })
      .update({ last_outcome: 'ok', consecutive_successes: 2, backfill_finished_at: new Date() });
    const seeded = Number((await app.db('mailbox_probe_state').where({ org_id: org.orgId }).count({ n: '*' }))[0]!.n);

    // Probe calls only: token grants (one an hour per tenant) are not per-user work.
    const probeCalls = () => graph.calls.total - graph.calls.token;
    const callsBefore = probeCalls();
    const started = Date.now();
    await reslot(scoped(app.db, org.orgId), COMPRESSED_SECONDS); // the interval starts now
    // One tick of grace: a slot in the interval's last second is probed on the next tick.
    const end = started + (COMPRESSED_SECONDS + 1.5) * 1000;
    let busy = 0;
    let callsInInterval: number | null = null;
    const distinctProbed = async () =>
      Number(
        (await app.db('mailbox_probe_results').where({ org_id: org.orgId }).countDistinct({ n: 'user_id' }))[0]!.n,
      );
    // Snapshot at the interval's end (from before the reslot, which takes a while at 100k users) even while a run is
    // still going.
    const snapshot = setTimeout(
      () => (callsInInterval = probeCalls() - callsBefore),
      started + COMPRESSED_SECONDS * 1000 - Date.now(),
    );
    while (Date.now() < end) {
      const tick = Date.now();
      await app.mailbox.engine.runDue(org.orgId, { deadline: end });
      busy += Date.now() - tick;
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - tick))));
    }
    clearTimeout(snapshot);
    const elapsed = (Date.now() - started) / 1000;
    const probed = await distinctProbed();
    const probedInInterval = Number(
      (
        await app
          .db('mailbox_probe_results')
          .where({ org_id: org.orgId })
          .where('probed_at', '<=', new Date(started + COMPRESSED_SECONDS * 1000))
          .countDistinct({ n: 'user_id' })
      )[0]!.n,
    );
    const results = Number(
      (await app.db('mailbox_probe_results').where({ org_id: org.orgId }).count({ n: '*' }))[0]!.n,
    );
    const inWindow = callsInInterval ?? probeCalls() - callsBefore;
    // One interval's calls: its requests (one per healthy user) at the fill the runs achieved. A fixed window's count
    // (printed too) is off by the boundary: it misses the last second's users or catches the first ones' next round.
    const calls = Math.ceil((graph.calls.batch * seeded) / graph.calls.batchItems);
    const minimum = Math.ceil(USERS / 20);
    // Capacity from the time the engine was busy (probing, pacing under the rate cap, writing), not idle ticks.
    const capacity = Math.round((results / (busy / 1000)) * REAL_SECONDS);
    sample();
    console.log(
      `  compressed interval: ${COMPRESSED_SECONDS} s, ${seeded} users due, ${probedInInterval} probed by its end and ${probed} one tick later ` +
        `(${results} probes in ${elapsed.toFixed(0)} s, engine busy ${(busy / 1000).toFixed(0)} s), ` +
        `${inWindow} probe calls in the interval's ${COMPRESSED_SECONDS} s (${graph.calls.token} token grants in all; in all ${graph.calls.batch} $batch calls ` +
        `carrying ${graph.calls.batchItems} requests, ${graph.calls.partialBatches} of them part-filled, ${graph.calls.batch * 20 - graph.calls.batchItems} slots left empty)`,
    );
    console.log(
      `  extrapolated to 15 min: every user probed once per interval needs ${USERS} probes; ` +
        `at the measured busy-time throughput one replica sustains ${capacity} probes per 15 min; calls per interval stay ${calls} (one request per user, 20 per batch)`,
    );
    return [
      {
        name: 'mailbox.probes_per_compressed_interval',
        value: probed,
        unit: `users of ${seeded} in ${COMPRESSED_SECONDS} s`,
        target: `all ${seeded}`,
        ok: probed >= seeded,
      },
      {
        name: 'mailbox.probes_per_15min_capacity',
        value: capacity,
        unit: 'probes (extrapolated)',
        target: `>= ${USERS}`,
        ok: capacity >= USERS,
      },
      {
        name: 'mailbox.http_calls_per_interval',
        value: calls,
        unit: `calls (${seeded} users' requests, ${graph.calls.partialBatches} part-filled $batch calls of ${graph.calls.batch})`,
        target: `${minimum} (the minimum)`,
        ok: calls <= minimum,
      },
      {
        name: 'mailbox.peak_rss',
        value: Math.round(peakRss / 2 ** 20),
        unit: `MB service process (heap ${Math.round(peakHeap / 2 ** 20)} MB; database in ${embedded ? 'a child process' : 'the server'})`,
        target: '< 500 MB',
        ok: peakRss < 500 * 2 ** 20,
      },
    ];
  } finally {
    clearInterval(sampler);
    await app.close();
    await graph.close();
    embedded?.child.kill();
    await server?.drop();
  }
};
export default bench;
