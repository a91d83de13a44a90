import { describe, expect, it } from 'vitest';
import { approvalOrg } from '../sync/support.js';
import { startJob, waitForJob } from './support.js';

describe('deciding a paused sync, as a job the screen polls (the decision runs the whole sync)', () => {
  const { t, status, pauseFor } = approvalOrg();

  it('approving runs the sync in a job whose result is the decision and its run; deciding again fails the job', async () => {
    const approval = await pauseFor([10, 11, 12, 13]);

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
    const approval = await pauseFor([2, 3, 4]);
    const done = await waitForJob(
      t,
      (await startJob(t, 'sync.decision', { approvalId: approval.id, decision: 'rejected' })).id,
    );
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result.approval.status).toBe('rejected');
    for (const n of [2, 3, 4]) expect(await status(n)).not.toBe('suspended');
  });
});
