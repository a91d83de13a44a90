import { describe, expect, it } from 'vitest';
import { userId } from './org.js';
import { approvalOrg, syncNow } from './support.js';

describe('approvals that wait', () => {
  const { t, salesforce, status, pendingApproval, pauseFor } = approvalOrg();

  it('an approval given later re-checks Salesforce first: only users still inactive are suspended', async () => {
    const approval = await pauseFor([10, 11, 12, 13]);
    expect(approval.suspendCount).toBe(4);

    // While the approval waits, two of them come back in Salesforce.
    salesforce().activateUser(userId(10));
    salesforce().activateUser(userId(11));
    const decided = await t.api('POST', `/api/v1/sync/approvals/${approval.id}/approve`);
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.data.run).toMatchObject({ kind: 'approved', outcome: 'success', counts: { suspended: 2 } });
    expect(await status(10)).not.toBe('suspended');
    expect(await status(11)).not.toBe('suspended');
    expect(await status(12)).toBe('suspended');
    expect(await status(13)).toBe('suspended');
  });

  it('an approval covers only the suspensions it showed: users deactivated since wait for their own decision', async () => {
    const approval = await pauseFor([2, 3, 4]);
    expect(approval.suspendCount).toBe(3);

    // Three more are deactivated before the admin decides: approving the first three must not suspend them too.
    for (const n of [5, 6, 7]) salesforce().deactivateUser(userId(n));
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
