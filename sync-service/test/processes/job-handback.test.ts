import { afterAll, describe, expect, it } from 'vitest';
import { generateOrg, startFakeSalesforce } from '@roster/fake-salesforce';
import { createKnex } from '../../src/db/knex.js';
import { createOrg } from '../../src/orgs/service.js';
import { databaseOnServer } from '../db.js';
import { startServiceProcess, waitFor } from './service-process.js';

describe.skipIf(!process.env.DATABASE_URL || !process.env.ROSTER_PROCESS_TESTS)('a replica killed mid-job', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it('has its long operation finished by another replica within a minute or so, once', async () => {
    const database = await databaseOnServer(process.env.DATABASE_URL!, 'roster_handback');
    cleanups.push(database.drop);
    const salesforce = await startFakeSalesforce({ org: generateOrg({ users: 300, roles: 12, depth: 3, seed: 9 }) });
    cleanups.push(salesforce.close);
    const doomed = await startServiceProcess(database.url);
    cleanups.push(async () => doomed.child.kill('SIGKILL'));
    const db = createKnex(database.url);
    cleanups.push(() => db.destroy());

    const admin = 'admin@handback.test';
    const org = await createOrg(db, { name: 'Handback', admin: { email: admin, firstName: 'Ada', lastName: 'Admin' } });
    const auth = { apiKey: org.apiKey, admin };
    const c = salesforce.credentials;
    const saved = await doomed.api('PUT', '/api/v1/salesforce/connection', auth, {
      authKind: 'jwt',
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      username: c.username,
      privateKey: c.privateKeyPem,
    });
    expect(saved.status, JSON.stringify(saved.data)).toBe(200);
    expect((await doomed.api('POST', '/api/v1/profiles', auth, { name: 'Sales' })).status).toBe(201);

    // Salesforce answers slowly, so the switch to Automatic Mode is still reading when its replica dies.
    salesforce.control.injectFault({ rate: 1, latencyMs: 400 });
    const started = await doomed.api('POST', '/api/v1/jobs', auth, {
      kind: 'mode.change',
      params: { mode: 'automatic', confirm: true },
    });
    expect(started.status, JSON.stringify(started.data)).toBe(202);
    const jobId: string = started.data.id;
    await waitFor('the job running', async () => {
      const row = await db('jobs').where({ id: jobId }).first('state', 'done');
      return row?.state === 'running' && row.done > 0;
    });
    // Killed outright, as an OOM kill would: no checkpoint, no hand-back of its own.
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const killedAt = Date.now();
    salesforce.control.clearFaults();
    const survivor = await startServiceProcess(database.url);
    cleanups.push(async () => survivor.child.kill('SIGKILL'));

    const done = await waitFor(
      'the job finished by the surviving replica',
      async () => {
        const res = await survivor.api('GET', `/api/v1/jobs/${jobId}`, auth);
        return res.data.state === 'succeeded' || res.data.state === 'failed' ? res.data : null;
      },
      150_000,
    );
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    // Handed back through the heartbeat, long before pg-boss's 15-minute expiry.
    expect((Date.now() - killedAt) / 1000).toBeLessThan(120);
    expect((await survivor.api('GET', '/api/v1/mode', auth)).data.mode).toBe('automatic');
    const enables = (await survivor.api('GET', '/api/v1/sync/runs', auth)).data.items.filter(
      (r: { kind: string }) => r.kind === 'enable',
    );
    expect(enables.filter((r: { outcome: string }) => r.outcome === 'success')).toHaveLength(1);
    // A run the killed replica had started was ended by the survivor's, which held the org's run lock.
    expect(enables.filter((r: { outcome: string }) => r.outcome === 'running')).toEqual([]);
  }, 300_000);
});
