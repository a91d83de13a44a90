import { generateOrg, startFakeSalesforce } from '@roster/fake-salesforce';
import type { Benchmark } from './run.js';
import { benchApp, benchDatabase } from './users-list.bench.js';

const USERS = Number(process.env.LATENCY_BENCH_USERS ?? 10_000);
const CHANGES = Number(process.env.LATENCY_BENCH_CHANGES ?? 20);
const WINDOW_SECONDS = Number(process.env.LATENCY_BENCH_SECONDS ?? 240);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * A change in Salesforce to visible in Roster's API, measured, not computed: Automatic Mode at the default poll
 * interval (60 s) driven by the real scheduler (pg-boss), CHANGES title edits made in the fake at random moments over
 * WINDOW_SECONDS, each timed until `GET /users` shows it.
 */
const bench: Benchmark = async () => {
  const database = await benchDatabase();
  const { app, org } = await benchApp(database.url, { QUEUE_ENABLED: 'true' });
  const fixture = generateOrg({ users: USERS, roles: 200, depth: 5, seed: 11 });
  const fake = await startFakeSalesforce({ org: fixture });
  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}`, 'x-roster-actor': 'admin@bench.example' },
      ...(payload ? { payload } : {}),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  try {
    const c = fake.credentials;
    await api('PUT', '/api/v1/salesforce/connection', {
      authKind: 'jwt',
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      username: c.username,
      privateKey: c.privateKeyPem,
    });
    await api('POST', '/api/v1/profiles', { name: 'Sales' });
    await api('PUT', '/api/v1/mode', { mode: 'automatic', confirm: true });
    const { interval } = await app.db('orgs').where({ id: org.orgId }).first({ interval: 'sync_poll_seconds' });

    // The users whose titles change, by their Roster ids (active users with a role, so the sync keeps them on a team).
    const targets = fixture.users
      .filter((u) => u.IsActive !== false && u.UserRoleId && u.Email)
      .filter((_, i) => i % 97 === 0)
      .slice(0, CHANGES);
    const ids = new Map<string, string>();
    for (const u of targets) {
      const found = await api('GET', `/api/v1/users?search=${encodeURIComponent(u.Email as string)}&limit=1`);
      if (found.items[0]) ids.set(u.Id as string, found.items[0].id);
    }

    const changedAt = new Map<string, { at: number; title: string }>();
    const latencies: number[] = [];
    const started = performance.now();
    const schedule = [...ids.keys()].map((sfId) => ({ sfId, at: Math.random() * WINDOW_SECONDS * 1000 }));
    const deadline = started + (WINDOW_SECONDS + 3 * interval) * 1000;
    while ((latencies.length < ids.size || schedule.length) && performance.now() < deadline) {
      const now = performance.now();
      for (const s of schedule.filter((s) => started + s.at <= now)) {
        const title = `Latency ${s.sfId} ${Math.round(now)}`;
        fake.control.updateUser(s.sfId, { Title: title });
        changedAt.set(ids.get(s.sfId)!, { at: now, title });
        schedule.splice(schedule.indexOf(s), 1);
      }
      if (changedAt.size) {
        const page = await api('GET', `/api/v1/users?ids=${[...changedAt.keys()].join(',')}&limit=500`);
        for (const user of page.items as { id: string; jobTitle: string }[]) {
          const change = changedAt.get(user.id);
          if (change && user.jobTitle === change.title) {
            latencies.push((performance.now() - change.at) / 1000);
            changedAt.delete(user.id);
          }
        }
      }
      await sleep(250);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    return [
      {
        name: `change-to-visible, measured through the scheduler at the default ${interval} s interval`,
        value: latencies.length,
        unit: `of ${ids.size} changes seen`,
        target: `all ${ids.size}`,
        ok: latencies.length === ids.size,
      },
      { name: 'change-to-visible latency p50', value: percentile(sorted, 50), unit: 's', target: 'informational' },
      { name: 'change-to-visible latency p95', value: p95, unit: 's', target: '< 60 s', ok: p95 < 60 },
      { name: 'change-to-visible latency max', value: sorted[sorted.length - 1]!, unit: 's', target: 'informational' },
    ];
  } finally {
    await fake.close();
    await app.close();
    await database.drop();
  }
};

export default bench;
