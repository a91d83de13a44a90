import SyncReview from 'c/syncReview';
import listApprovals from '@salesforce/apex/SyncController.listApprovals';
import listOpenConflicts from '@salesforce/apex/SyncController.listOpenConflicts';
import approveSuspensions from '@salesforce/apex/SyncController.approveSuspensions';
import rejectSuspensions from '@salesforce/apex/SyncController.rejectSuspensions';
import resolveConflict from '@salesforce/apex/SyncController.resolveConflict';
import listUsers from '@salesforce/apex/UsersController.listUsers';
import {
    mount,
    cleanup,
    settle,
    byId,
    text,
    click,
    apexError,
    clone,
    errorText,
    openModal,
    deepById,
    jobAnswers,
    holdNextPoll,
    words
} from 'roster-test';

const APPROVALS = require('./data/listApprovals.json');
const DECISION = require('./data/approveSuspensions.json');
/** A decision runs the sync as a service job: the start answers with the job, its result is the decision. */
const decided = (start, result) => jobAnswers(start, { kind: 'sync.decision', result });
const CONFLICTS = require('./data/listOpenConflicts.json');
const RESOLVED = require('./data/resolveConflict.json');
const [PENDING, REJECTED_EARLIER] = APPROVALS.items;
const [ADA, INBOX] = CONFLICTS.items;
const ROSTER_ADA = {
    id: ADA.userId,
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.com'
};

/** The review as Integration Health mounts it, with the screen's answer; after a decision it reloads the same. */
async function openReview(approvals = APPROVALS, conflicts = CONFLICTS, running = undefined) {
    listApprovals.mockResolvedValue(clone(approvals));
    listOpenConflicts.mockResolvedValue(clone(conflicts));
    listUsers.mockResolvedValue({ items: [clone(ROSTER_ADA)], nextCursor: null });
    const element = mount('c-sync-review', SyncReview, {
        data: {
            approvals: clone(approvals),
            conflicts: clone(conflicts),
            conflictUsers: [clone(ROSTER_ADA)],
            running
        }
    });
    const toasts = [];
    element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
    await settle();
    return { element, toasts };
}

/** The confirmation dialog's heading, as the admin reads it. */
const dialogHeading = () => openModal().label;

describe('c-sync-review', () => {
    afterEach(cleanup);

    it('shows the paused sync: how many users it would suspend out of how many, since when, and who', async () => {
        const { element } = await openReview();
        const card = text(element, `approval-${PENDING.id}`);
        expect(card).toContain('The sync would suspend 3 of 5 users.');
        expect(card).toContain('Paused');
        expect(byId(element, `approval-${PENDING.id}`).querySelector('c-roster-time').value).toBe(
            PENDING.createdAt
        );
        const table = deepById(byId(element, `approval-${PENDING.id}`), 'table');
        expect(words(table)).toContain('grace@example.com Deactivated in Salesforce');
        expect(words(table)).toContain('margaret@example.com Salesforce license revoked');
        expect(byId(element, `approval-${REJECTED_EARLIER.id}`)).toBeNull();
    });

    it('lists every user of a large paused suspension a page at a time, and says when the plan names fewer', async () => {
        const suspend = Array.from({ length: 25 }, (_, i) => ({
            id: `00000000-0000-4000-8000-${String(500 + i).padStart(12, '0')}`,
            email: `rep${i + 1}@example.com`,
            reason: 'Deactivated in Salesforce'
        }));
        const big = { ...clone(PENDING), suspendCount: 1200, totalUsers: 1500, plan: { suspend } };
        const { element } = await openReview({ items: [big] });
        const card = byId(element, `approval-${PENDING.id}`);
        const table = card.querySelector('c-paged-table');
        expect(text(table, 'page-range')).toBe('1–10 of 25');
        await click(table, 'page-next');
        await click(table, 'page-next');
        expect(words(deepById(card, 'table'))).toContain('rep25@example.com');
        expect(text(element, 'approval-not-listed')).toBe(
            'The plan lists 25 of the 1,200 users it would suspend.'
        );
    });

    it('approves the suspensions after the admin reads what happens and confirms', async () => {
        decided(approveSuspensions, clone(DECISION));
        const { element, toasts } = await openReview();
        const synced = jest.fn();
        element.addEventListener('syncran', synced);
        await click(element, `approve-${PENDING.id}`);
        expect(dialogHeading()).toBe('Approve suspending 3 of 5 users?');
        expect(text(openModal(), 'confirm-message')).toBe(
            'Roster runs the sync now and suspends these 3 users: they lose access to Roster at once. Nothing is deleted; you can reactivate them later.'
        );
        expect(approveSuspensions).not.toHaveBeenCalled();
        await click(openModal(), 'confirm-ok');
        expect(approveSuspensions).toHaveBeenCalledWith({ approvalId: PENDING.id });
        expect(toasts).toEqual([
            { title: 'Approved', message: '3 users were suspended.', variant: 'success' }
        ]);
        expect(synced).toHaveBeenCalled();
        expect(listApprovals).toHaveBeenCalledTimes(1);
        expect(listOpenConflicts).toHaveBeenCalledTimes(1);
        expect(openModal()).toBeNull();
    });

    it('rejects the suspensions: the users stay active and the other changes apply', async () => {
        decided(rejectSuspensions, {
            ...clone(DECISION),
            approval: { ...clone(DECISION.approval), status: 'rejected' }
        });
        const { element, toasts } = await openReview();
        await click(element, `reject-${PENDING.id}`);
        expect(dialogHeading()).toBe('Reject suspending 3 of 5 users?');
        expect(text(openModal(), 'confirm-message')).toBe(
            "Roster runs the sync now without these suspensions: the 3 users stay active, and the sync's other changes are applied."
        );
        await click(openModal(), 'confirm-ok');
        expect(rejectSuspensions).toHaveBeenCalledWith({ approvalId: PENDING.id });
        expect(approveSuspensions).not.toHaveBeenCalled();
        expect(toasts).toEqual([
            { title: 'Rejected', message: 'The 3 users stay active.', variant: 'success' }
        ]);
    });

    it('decides nothing when the admin cancels', async () => {
        const { element } = await openReview();
        await click(element, `approve-${PENDING.id}`);
        await click(openModal(), 'confirm-cancel');
        expect(openModal()).toBeNull();
        expect(approveSuspensions).not.toHaveBeenCalled();
    });

    it('warns when the approved sync run did not finish', async () => {
        decided(approveSuspensions, {
            ...clone(DECISION),
            run: {
                ...clone(DECISION.run),
                outcome: 'failed',
                error: 'Salesforce is not reachable.'
            }
        });
        const { element, toasts } = await openReview();
        await click(element, `approve-${PENDING.id}`);
        await click(openModal(), 'confirm-ok');
        expect(toasts).toEqual([
            {
                title: 'Approved; the sync did not finish',
                message: 'Salesforce is not reachable.',
                variant: 'warning'
            }
        ]);
    });

    it('keeps the dialog open with the reason when the decision is refused', async () => {
        jobAnswers(approveSuspensions, {
            kind: 'sync.decision',
            error: { code: 'approval_decided', message: 'This approval was already decided.' }
        });
        const { element, toasts } = await openReview();
        await click(element, `approve-${PENDING.id}`);
        await click(openModal(), 'confirm-ok');
        expect(errorText(openModal())).toBe(
            'Nothing was changed. This approval was already decided.'
        );
        expect(toasts).toEqual([]);
        await click(openModal(), 'confirm-cancel');
        expect(listApprovals).toHaveBeenCalledTimes(1);
        expect(listOpenConflicts).toHaveBeenCalledTimes(1);
    });

    describe('after a page reload while a decision runs', () => {
        /** A decision made before the reload, its sync a quarter of the way through the Salesforce users. */
        const runningDecision = (decision, end) => {
            const job = jobAnswers(null, {
                kind: 'sync.decision',
                params: { approvalId: PENDING.id, decision },
                hold: true,
                ...end
            });
            return {
                ...job,
                job: { ...job.job, phase: 'Reading Salesforce users', done: 1000, total: 4000 }
            };
        };
        it('the admin sees its progress bar move and then the outcome', async () => {
            const decision = runningDecision('approved', { result: clone(DECISION) });
            const nextPoll = holdNextPoll();
            const { element, toasts } = await openReview(APPROVALS, CONFLICTS, decision.job);
            const synced = jest.fn();
            element.addEventListener('syncran', synced);
            expect(text(element, 'decision-running')).toBe(
                'Approving the suspensions: the sync is running.'
            );
            const progress = byId(element, 'decision-progress');
            expect(words(deepById(progress, 'job-progress'))).toBe(
                'Reading Salesforce users 1,000 of 4,000'
            );
            expect(deepById(progress, 'job-bar').value).toBe(25);
            expect(byId(element, `approve-${PENDING.id}`).disabled).toBe(true);

            nextPoll({ ...decision.job, done: 3000 });
            await settle(6);
            expect(deepById(byId(element, 'decision-progress'), 'job-bar').value).toBe(75);
            expect(toasts).toEqual([]);

            listApprovals.mockResolvedValue({ items: [clone(REJECTED_EARLIER)] });
            decision.release();
            await settle(6);
            expect(byId(element, 'decision-progress')).toBeNull();
            expect(toasts).toEqual([
                { title: 'Approved', message: '3 users were suspended.', variant: 'success' }
            ]);
            expect(synced).toHaveBeenCalled();
            expect(byId(element, `approval-${PENDING.id}`)).toBeNull();
            expect(approveSuspensions).not.toHaveBeenCalled();
            expect(openModal()).toBeNull();
        });

        it('names a rejection that is running as one', async () => {
            const decision = runningDecision('rejected', {
                result: {
                    ...clone(DECISION),
                    approval: { ...clone(DECISION.approval), status: 'rejected' }
                }
            });
            const { element, toasts } = await openReview(APPROVALS, CONFLICTS, decision.job);
            expect(text(element, 'decision-running')).toBe(
                'Rejecting the suspensions: the sync is running.'
            );
            decision.release();
            await settle(6);
            expect(toasts).toEqual([
                { title: 'Rejected', message: 'The 3 users stay active.', variant: 'success' }
            ]);
        });

        it('says why the decision failed, and the suspensions wait for a decision again', async () => {
            const decision = runningDecision('approved', {
                error: { code: 'salesforce_unreachable', message: 'Salesforce is not reachable.' }
            });
            const { element, toasts } = await openReview(APPROVALS, CONFLICTS, decision.job);
            decision.release();
            await settle(6);
            expect(errorText(element)).toBe(
                'The decision did not finish. Salesforce is not reachable.'
            );
            expect(toasts).toEqual([]);
            expect(byId(element, 'decision-progress')).toBeNull();
            expect(listApprovals).toHaveBeenCalledTimes(1);
            expect(byId(element, `approve-${PENDING.id}`).disabled).toBe(false);
        });
    });

    it('lists open conflicts by name: the email, Salesforce user, existing Roster user and kind', async () => {
        const { element } = await openReview();
        expect(text(element, `conflict-${ADA.id}`)).toBe(
            'ada@example.com Ada Lovelace Ada Lovelace (ada@example.com) Email matches a Roster user not linked to Salesforce'
        );
        expect(text(element, `conflict-${INBOX.id}`)).toContain(
            'shared.inbox@example.com Sales Inbox None Email already used by another Roster user'
        );
    });

    it('links a Salesforce user to the Roster user with the same email', async () => {
        resolveConflict.mockResolvedValue(clone(RESOLVED));
        const { element, toasts } = await openReview();
        await click(element, `link-${ADA.id}`);
        expect(dialogHeading()).toBe('Link ada@example.com to Salesforce?');
        expect(text(openModal(), 'confirm-message')).toBe(
            'The Roster user Ada Lovelace (ada@example.com) becomes the Salesforce user Ada Lovelace (005000000000031AAA). From the next sync, Salesforce owns their name, job title, email and team: changes made there overwrite changes made here.'
        );
        expect(resolveConflict).not.toHaveBeenCalled();
        await click(openModal(), 'confirm-ok');
        expect(resolveConflict).toHaveBeenCalledWith({ conflictId: ADA.id, action: 'link' });
        expect(toasts).toEqual([
            {
                title: 'Linked',
                message: 'ada@example.com is now linked to Salesforce user Ada Lovelace.',
                variant: 'success'
            }
        ]);
        expect(listApprovals).toHaveBeenCalledTimes(1);
        expect(listOpenConflicts).toHaveBeenCalledTimes(1);
    });

    it('offers only Dismiss when there is no Roster user to link, and dismisses', async () => {
        resolveConflict.mockResolvedValue({ ...clone(INBOX), status: 'dismissed' });
        const { element, toasts } = await openReview();
        expect(byId(element, `link-${INBOX.id}`)).toBeNull();
        expect(byId(element, `link-${ADA.id}`)).not.toBeNull();
        await click(element, `dismiss-${INBOX.id}`);
        expect(resolveConflict).toHaveBeenCalledWith({ conflictId: INBOX.id, action: 'dismiss' });
        expect(toasts[0].message).toBe(
            'shared.inbox@example.com stays apart from Salesforce user Sales Inbox.'
        );
    });

    it('shows why a conflict could not be linked', async () => {
        resolveConflict.mockRejectedValue(
            apexError('This Salesforce user is already linked to another Roster user.')
        );
        const { element, toasts } = await openReview();
        await click(element, `link-${ADA.id}`);
        await click(openModal(), 'confirm-ok');
        expect(errorText(openModal())).toBe(
            'Nothing was changed. This Salesforce user is already linked to another Roster user.'
        );
        expect(toasts).toEqual([]);
    });

    it('says when there is nothing to review', async () => {
        const { element } = await openReview({ items: [REJECTED_EARLIER] }, { items: [] });
        expect(text(element, 'nothing-to-review')).toContain('Nothing to review');
        expect(byId(element, `approval-${REJECTED_EARLIER.id}`)).toBeNull();
    });

    it('names the Roster users again when it reloads the conflicts after a decision', async () => {
        const { element } = await openReview();
        resolveConflict.mockResolvedValue({ ...clone(CONFLICTS.items[1]), status: 'dismissed' });
        await click(element, `dismiss-${CONFLICTS.items[1].id}`);
        expect(listUsers).toHaveBeenCalledWith({ query: { ids: ADA.userId, limit: 1 } });
        expect(text(element, `conflict-${ADA.id}`)).toContain('Ada Lovelace (ada@example.com)');
    });

    it('shows why the review could not be reloaded after a decision', async () => {
        const { element } = await openReview();
        resolveConflict.mockResolvedValue({ ...clone(CONFLICTS.items[1]), status: 'dismissed' });
        listApprovals.mockRejectedValue({
            body: { message: 'The Roster service answered 502 Error.' }
        });
        await click(element, `dismiss-${CONFLICTS.items[1].id}`);
        expect(errorText(element)).toContain('The Roster service answered 502 Error.');
        expect(byId(element, 'nothing-to-review')).toBeNull();
    });

    it('is accessible', async () => {
        const { element } = await openReview();
        await expect(element).toBeAccessible();
    });

    it('is accessible with the confirmation open', async () => {
        const { element } = await openReview();
        await click(element, `approve-${PENDING.id}`);
        await expect(openModal()).toBeAccessible();
    });
});
