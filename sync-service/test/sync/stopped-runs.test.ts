import { describe, expect, it } from 'vitest';
import { automaticOrg, syncNow } from './support.js';

interface RunItem {
  id: string;
  kind: string;
  outcome: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

describe('a sync run whose service stopped under it', () => {
  const { t, salesforce } = automaticOrg(4);
  const runs = async (): Promise<RunItem[]> => (await t.api('GET', '/api/v1/sync/runs?limit=50')).data.items;

  it('is shown interrupted, saying why, once the org’s next run starts, not 15 minutes later', async () => {
    // What a replica killed mid-run leaves: its run recorded as running, never ended.
    const [dead] = await t.app.db('sync_runs').insert({ org_id: t.org.orgId, kind: 'incremental' }).returning('id');
    const deadId: string = dead.id;
    expect((await t.api('GET', '/api/v1/mode')).data.lastRun).toMatchObject({ id: deadId, outcome: 'running' });

    const next = await syncNow(t);
    expect(next.outcome).toBe('success');
    const ended = (await runs()).find((r) => r.id === deadId)!;
    expect(ended.outcome).toBe('interrupted');
    expect(ended.error).toContain('The service running this sync stopped');
    expect(new Date(ended.finishedAt!).getTime()).toBeLessThanOrEqual(new Date(next.startedAt).getTime());
    expect((await t.api('GET', '/api/v1/mode')).data.lastRun).toMatchObject({ id: next.id, outcome: 'success' });
  });

  it('started while another run of the org is going waits for it to end, and neither is cut short', async () => {
    // Each Salesforce call takes a while, so the first run is still reading when the second is asked for.
    salesforce().injectFault({ rate: 1, latencyMs: 300 });
    try {
      const [a, b] = await Promise.all([syncNow(t), syncNow(t)]);
      expect([a.outcome, b.outcome]).toEqual(['success', 'success']);
      const [first, second] = [a, b].sort((x, y) => x.startedAt.localeCompare(y.startedAt));
      expect(new Date(second.startedAt).getTime()).toBeGreaterThanOrEqual(new Date(first.finishedAt).getTime());
      expect((await runs()).filter((r) => r.outcome === 'running')).toEqual([]);
    } finally {
      salesforce().clearFaults();
    }
  });
});
