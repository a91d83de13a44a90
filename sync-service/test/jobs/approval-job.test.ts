import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { smallOrg, userId } from '../sync/org.js';
import { enableAutomatic, syncNow, usersByEmail } from '../sync/support.js';
import { startJob, waitForJob } from './support.js';

describe('deciding a paused sync, as a job the screen polls (the decision runs the whole sync)', () => {
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

  it('approving runs the sync in a job whose result is the decision and its run; deciding again fails the job', async () => {
    for (const n of [10, 11, 12, 13]) fake.control.deactivateUser(userId(n));
    expect((await syncNow(t)).outcome).toBe('awaiting_approval');
    const approval = await pendingApproval();

    const job = await startJob(t, 'sync.decision', { approvalId: approval.id, decision: 'approved' });
    const done = await waitForJob(t, job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result.approval).toMatchObject({ id: approval.id, status: 'approved' });
    expect(done.result.run).toMatchObject({ kind: 'approved', outcome: 'success', counts: { suspended: 4 } });
    for (const n of [10, 11, 12, 13]) expect(await status(n)).toBe('suspended');

    const again = await waitForJob(
      t,
      (await startJob(t, 'sync.decision', { approvalId: approval.id, decision: 'rejected' })).id,
    );
    expect(again.state).toBe('failed');
    expect(again.error).toMatchObject({ code: 'approval_decided' });
  });

  it('rejecting runs the sync without the suspensions', async () => {
    for (const n of [2, 3, 4]) fake.control.deactivateUser(userId(n));
    expect((await syncNow(t)).outcome).toBe('awaiting_approval');
    const approval = await pendingApproval();
    const done = await waitForJob(
      t,
      (await startJob(t, 'sync.decision', { approvalId: approval.id, decision: 'rejected' })).id,
    );
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result.approval.status).toBe('rejected');
    for (const n of [2, 3, 4]) expect(await status(n)).not.toBe('suspended');
  });
});
