import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type TestApp } from '../helper.js';

const waitFor = async (check: () => boolean, ms = 15_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('the job queue shared by two service instances', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await build({ queue: true });
    second = await build({ queue: true, database: first.database });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('runs a per-org singleton job once, however many instances ask for it', async () => {
    const ran: string[] = [];
    for (const [name, t] of [
      ['first', first],
      ['second', second],
    ] as const) {
      await t.app.queue!.work<{ orgId: string }>(
        'test-sync-poll',
        async (data) => {
          ran.push(`${name}:${data.orgId}`);
        },
        { pollingIntervalSeconds: 0.5 },
      );
    }
    const ids = await Promise.all([
      first.app.queue!.sendOncePer('test-sync-poll', 'org-1', 60, { orgId: 'org-1' }),
      second.app.queue!.sendOncePer('test-sync-poll', 'org-1', 60, { orgId: 'org-1' }),
      second.app.queue!.sendOncePer('test-sync-poll', 'org-1', 60, { orgId: 'org-1' }),
      first.app.queue!.sendOncePer('test-sync-poll', 'org-2', 60, { orgId: 'org-2' }),
    ]);
    expect(ids.filter(Boolean)).toHaveLength(2);
    await waitFor(() => ran.length >= 2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(ran.map((r) => r.split(':')[1]).sort()).toEqual(['org-1', 'org-2']);
  });
});
