import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { build, type TestApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { smallOrg } from '../sync/org.js';
import { startJob, waitForJob } from './support.js';

describe('a job and a restart of the service', () => {
  let first: TestApp;
  let fake: FakeSalesforce;
  beforeAll(async () => {
    first = await build({ queue: true });
    fake = await connectFakeOrg(first, smallOrg(4500));
    await first.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } });
  });
  afterAll(async () => {
    await fake?.close();
    await first?.database.drop();
  });

  it('enabling Automatic Mode goes on after the service restarts mid-job, and the job ends once', async () => {
    fake.control.injectFault({ route: 'queryMore', latencyMs: 1500 });
    const job = await startJob(first, 'mode.change', { mode: 'automatic', confirm: true });
    const until = Date.now() + 60_000;
    let seen;
    do {
      seen = (await first.api('GET', `/api/v1/jobs/${job.id}`)).data;
      await new Promise((r) => setTimeout(r, 100));
    } while (!(seen.phase === 'Reading Salesforce users' && seen.done > 0) && Date.now() < until);
    expect(seen.phase).toBe('Reading Salesforce users');

    // The service stops while the job reads Salesforce, and a new one starts on the same database.
    const stopping = first.app.close();
    await stopping;
    const after = (await import('pg')).default;
    const client = new after.Client(first.database.url);
    await client.connect();
    const row = (await client.query('SELECT state, phase FROM jobs WHERE id = $1', [job.id])).rows[0];
    await client.end();
    expect(row.state).toBe('queued');
    fake.control.clearFaults();

    const second = await build({ queue: true, database: first.database });
    try {
      const done = await waitForJob(second, job.id, { org: first.org });
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      expect(done.attempts).toBe(2);
      expect(done.result.mode).toBe('automatic');
      expect((await second.api('GET', '/api/v1/mode', { org: first.org })).data.mode).toBe('automatic');
      const runs = (await second.api('GET', '/api/v1/sync/runs', { org: first.org })).data.items;
      expect(runs.filter((r: any) => r.kind === 'enable').map((r: any) => r.outcome)).toEqual([
        'success',
        'interrupted',
      ]);
    } finally {
      await second.app.close();
    }
  });
});
