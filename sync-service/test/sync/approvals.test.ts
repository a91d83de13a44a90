import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { smallOrg, userId } from './org.js';
import { enableAutomatic, syncNow, usersByEmail } from './support.js';

describe('approvals that wait', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  beforeAll(async () => {
    fake = await connectFakeOrg(t, smallOrg(14));
    await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } });
    await enableAutomatic(t);
  });
  afterAll(async () => fake?.close());

  const status = async (n: number) => (await usersByEmail(t)).get(`user${n}@small.example.com`).status;
  const pendingApproval = async () =>
    (await t.api('GET', '/api/v1/sync/approvals')).data.items.find((a: any) => a.status === 'pending');

  it('an approval given later re-checks Salesforce first: only users still inactive are suspended', async () => {
    for (const n of [10, 11, 12, 13]) fake.control.deactivateUser(userId(n));
    const paused = await syncNow(t);
    expect(paused.outcome).toBe('awaiting_approval');
    const approval = await pendingApproval();
    expect(approval.suspendCount).toBe(4);

    // While the approval waits, two of them come back in Salesforce.
    fake.control.activateUser(userId(10));
    fake.control.activateUser(userId(11));
    const decided = await t.api('POST', `/api/v1/sync/approvals/${approval.id}/approve`);
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.data.run).toMatchObject({ kind: 'approved', outcome: 'success', counts: { suspended: 2 } });
    expect(await status(10)).not.toBe('suspended');
    expect(await status(11)).not.toBe('suspended');
    expect(await status(12)).toBe('suspended');
    expect(await status(13)).toBe('suspended');
  });

  it('an approval covers only the suspensions it showed: users deactivated since wait for their own decision', async () => {
    for (const n of [2, 3, 4]) fake.control.deactivateUser(userId(n));
    const paused = await syncNow(t);
    expect(paused.outcome).toBe('awaiting_approval');
    const approval = await pendingApproval();
    expect(approval.suspendCount).toBe(3);

    // Three more are deactivated before the admin decides: approving the first three must not suspend them too.
    for (const n of [5, 6, 7]) fake.control.deactivateUser(userId(n));
    const decided = await t.api('POST', `/api/v1/sync/approvals/${approval.id}/approve`);
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.data.run.counts.suspended).toBe(3);
    for (const n of [2, 3, 4]) expect(await status(n)).toBe('suspended');
    for (const n of [5, 6, 7]) expect(await status(n)).not.toBe('suspended');
    // They are a mass suspension of their own: the next run pauses for them.
    const next = await syncNow(t);
    expect(next.outcome).toBe('awaiting_approval');
    expect((await pendingApproval()).suspendCount).toBe(3);
  });
});
