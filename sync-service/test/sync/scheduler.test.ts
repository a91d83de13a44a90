import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSalesforce, PROFILES } from '@roster/fake-salesforce';
import { build, type TestApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { enqueueDue } from '../../src/sync/scheduler.js';
import { roleId, smallOrg } from './org.js';
import { enableAutomatic, usersByEmail } from './support.js';

const waitFor = async <T>(probe: () => Promise<T | undefined>, ms: number): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 500));
  }
};

describe('scheduled Salesforce polls shared by two service instances', () => {
  let first: TestApp;
  let second: TestApp;
  let fake: FakeSalesforce;
  beforeAll(async () => {
    first = await build({ queue: true });
    second = await build({ queue: true, database: first.database });
    fake = await connectFakeOrg(first, smallOrg(6));
    await first.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } });
    await first.api('PATCH', '/api/v1/org/settings', { body: { syncPollSeconds: 10 } });
    await enableAutomatic(first);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await fake?.close();
  });

  it('polls on its own at the org interval, one run at a time across instances, and shows a new Salesforce user', async () => {
    const since = new Date();
    // Both instances' safety-net ticks fire at once (the minute cron, brought forward).
    await Promise.all([enqueueDue(first.app.queue!, first.app.db), enqueueDue(second.app.queue!, second.app.db)]);
    fake.control.addUser({
      FirstName: 'Sam',
      LastName: 'Scheduled',
      Email: 'sam@small.example.com',
      UserRoleId: roleId(2),
      ProfileId: PROFILES.standard,
    });

    const sam = await waitFor(async () => (await usersByEmail(first)).get('sam@small.example.com'), 45_000);
    expect(sam.source).toBe('automatic');

    // Let a few more polls happen, then check none of them overlapped.
    await new Promise((r) => setTimeout(r, 12_000));
    const runs = await first.app
      .db('sync_runs')
      .where('org_id', first.org.orgId)
      .where('started_at', '>=', since)
      .whereNot('kind', 'enable')
      .orderBy('started_at');
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < runs.length; i += 1) {
      expect(new Date(runs[i].started_at).getTime()).toBeGreaterThanOrEqual(
        new Date(runs[i - 1].finished_at).getTime(),
      );
    }
    // Polls follow the 10 s interval rather than running back to back.
    const gaps = runs.slice(1).map((r, i) => new Date(r.started_at).getTime() - new Date(runs[i].started_at).getTime());
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(4_000);
  });
  it('after the daily API limit stops a run, scheduled polls leave Salesforce alone until the wait is over', async () => {
    fake.control.setDailyApiLimit(fake.control.apiUsage().used);
    const stopped = await first.api('POST', '/api/v1/sync/run');
    expect(stopped.data.outcome).toBe('limit_exceeded');
    fake.control.setDailyApiLimit(100_000, 0);
    const since = new Date();
    const callsBefore = fake.control.apiCalls();
    await enqueueDue(first.app.queue!, first.app.db);
    // Polls are due every 10 s; none may reach Salesforce while the wait lasts.
    await new Promise((r) => setTimeout(r, 15_000));
    const runs = await first.app.db('sync_runs').where('org_id', first.org.orgId).where('started_at', '>', since);
    expect(runs).toEqual([]);
    expect(fake.control.apiCalls()).toBe(callsBefore);
    expect((await first.api('GET', '/api/v1/mode')).data.limitWaitUntil).not.toBeNull();
  });
});
