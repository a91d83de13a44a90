import jsforce from 'jsforce';
import { fetchAll } from '../../sync-service/src/sync/fetch.js';
import { runGate } from '../../sync-service/src/sync/gate.js';
import { isSystemUser } from '../../sync-service/src/sync/system-users.js';
import { generateOrg, startFakeSalesforce } from '@roster/fake-salesforce';
import type { Benchmark } from './run.js';
import { benchApp, benchDatabase } from './users-list.bench.js';

const USERS = Number(process.env.SYNC_BENCH_USERS ?? 100_000);
const ROLES = Number(process.env.SYNC_BENCH_ROLES ?? 5_000);

/**
 * The fewest API calls a full read can make: one /composite of describes (the queries' SELECT lists depend on its
 * answer, so it cannot ride with them), then ceil(rows / 2000) pages per object, where the first page of every object
 * (and the frozen users, under 2,000) comes in one /composite, which Salesforce counts as one call: so the objects'
 * first pages cost one call together instead of one each, which pays for the describes.
 */
export const minimumCalls = (users: number, roles: number) => Math.ceil(users / 2000) + Math.ceil(roles / 2000);

/**
 * Automatic Mode against the fake's generated org: the full sync (enabling) of USERS users and ROLES roles, then
 * incremental polls. API calls are compared with the minimum (see `minimumCalls`); the Salesforce read is compared
 * with a raw jsforce fetch of the same rows from the same fake.
 */
const bench: Benchmark = async () => {
  const database = await benchDatabase();
  const { app, org } = await benchApp(database.url);
  const fixture = generateOrg({ users: USERS, roles: ROLES, depth: 6, seed: 3 });
  const fake = await startFakeSalesforce({ org: fixture });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}`, 'x-roster-actor': 'admin@bench.example' },
      ...(payload ? { payload } : {}),
    });
  try {
    const c = fake.credentials;
    const saved = await api('PUT', '/api/v1/salesforce/connection', {
      authKind: 'jwt',
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      username: c.username,
      privateKey: c.privateKeyPem,
    });
    if (!saved.json().test.ok) throw new Error(`connection failed: ${saved.body}`);
    await api('POST', '/api/v1/profiles', { name: 'Sales' });

    // The Salesforce read alone: our client (every page, counted, retrying) against raw jsforce, same rows, same fake.
    const raw = new jsforce.Connection({
      instanceUrl: fake.url,
      accessToken: (await app.salesforce.forOrg(org.orgId)).conn.accessToken!,
      version: '62.0',
    });
    const rawStart = performance.now();
    const rawUsers = await raw
      .query(
        'SELECT Id, FirstName, LastName, Email, Title, UserRoleId, ManagerId, IsActive, UserType, Profile.UserLicense.Name, SystemModstamp FROM User ORDER BY SystemModstamp, Id',
      )
      .run({ autoFetch: true, maxFetch: Number.MAX_SAFE_INTEGER });
    const rawRoles = await raw
      .query(
        "SELECT Id, Name, DeveloperName, ParentRoleId, PortalType, SystemModstamp FROM UserRole WHERE PortalType = 'None' ORDER BY SystemModstamp, Id",
      )
      .run({ autoFetch: true, maxFetch: Number.MAX_SAFE_INTEGER });
    const rawMs = performance.now() - rawStart;
    const session = await app.salesforce.forOrg(org.orgId);
    const gate = await runGate(session.conn);
    const oursStart = performance.now();
    const ours = await fetchAll(session, gate.filter);
    const oursMs = performance.now() - oursStart;
    // The same rows: ours leaves out Salesforce's own users and the integration user, who never become Roster users.
    const integration = session.identity()?.userId ?? null;
    const people = rawUsers.records.filter((r) => !isSystemUser(r as Parameters<typeof isSystemUser>[0], integration));
    if (ours.users.length !== people.length || ours.roles.length !== rawRoles.records.length)
      throw new Error(
        `fetched row counts differ: ${ours.users.length} vs ${people.length} users, ${ours.roles.length} vs ${rawRoles.records.length} roles`,
      );

    const enableStart = performance.now();
    const enabled = await api('PUT', '/api/v1/mode', { mode: 'automatic', confirm: true });
    const enableMs = performance.now() - enableStart;
    if (enabled.statusCode !== 200) throw new Error(`enable failed: ${enabled.body}`);
    const runs = (await api('GET', '/api/v1/sync/runs?limit=1')).json().items;
    const fullCalls = runs[0].apiCalls as number;
    const minimum = minimumCalls(USERS, ROLES);

    const poll = async () => {
      const started = performance.now();
      const run = (await api('POST', '/api/v1/sync/run')).json();
      if (run.outcome !== 'success') throw new Error(`poll failed: ${JSON.stringify(run)}`);
      return { run, ms: performance.now() - started };
    };
    // Steady state: the org's rows were all written at once by the generator; a real org's last change is one row.
    fake.control.advanceClock(10 * 60_000);
    fake.control.updateUser(fixture.users[1]!.Id, { Title: 'Settling change' });
    await poll();
    const idle = await poll();
    fake.control.advanceClock(1000);
    for (let i = 0; i < 100; i++)
      fake.control.updateUser(fixture.users[(i * 997) % fixture.users.length]!.Id, { Title: `Bench title ${i}` });
    const busy = await poll();
    clearInterval(sampler);
    const peakMb = Math.max(peak, process.memoryUsage().rss) / 1024 / 1024;

    return [
      {
        name: `full sync API calls (${USERS} users, ${ROLES} roles) vs minimum ${minimum}`,
        value: fullCalls / minimum,
        unit: 'x',
        target: '1.0x',
        ok: fullCalls <= minimum,
      },
      {
        name: 'Salesforce read: ours vs raw jsforce fetch of the same rows',
        value: oursMs / rawMs,
        unit: 'x',
        target: '<= 1.2x',
        ok: oursMs <= rawMs * 1.2,
      },
      { name: 'Salesforce read time (ours)', value: oursMs / 1000, unit: 's', target: 'informational' },
      {
        name: `enabling Automatic Mode (${USERS} users, ${ROLES} roles): total vs raw jsforce fetch of the same rows`,
        value: enableMs / rawMs,
        unit: `x (${(enableMs / 1000).toFixed(1)} s vs ${(rawMs / 1000).toFixed(1)} s)`,
        target: '<= 2.5x',
        ok: enableMs <= rawMs * 2.5,
      },
      {
        name: 'full sync (enable) wall time, fetch + apply',
        value: enableMs / 1000,
        unit: 's',
        target: 'informational',
      },
      {
        name: 'peak memory (service, fake and embedded database in one process)',
        value: peakMb,
        unit: 'MB',
        target: 'informational',
      },
      {
        name: 'idle poll API calls',
        value: idle.run.apiCalls,
        unit: 'calls',
        target: '<= 2',
        ok: idle.run.apiCalls <= 2,
      },
      { name: 'idle poll time', value: idle.ms, unit: 'ms', target: 'informational' },
      {
        name: '100-change poll API calls',
        value: busy.run.apiCalls,
        unit: 'calls',
        target: '<= 2',
        ok: busy.run.apiCalls <= 2,
      },
      { name: '100-change poll time', value: busy.ms, unit: 'ms', target: 'informational' },
    ];
  } finally {
    clearInterval(sampler);
    await fake.close();
    await app.close();
    await database.drop();
  }
};

export default bench;
