import { LightningElement } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import {
    listApprovals,
    listOpenConflicts,
    approveSuspensions,
    rejectSuspensions,
    resolveConflict
} from 'c/rosterService';

// Suspensions named in the card before "and N more": the plan can hold up to 1,000.
const SHOWN_SUSPENSIONS = 5;
const CONFLICT_KIND = {
    email_matches_unlinked_user: 'Email matches a Roster user not linked to Salesforce',
    email_in_use: 'Email already used by another Roster user'
};
/** What each decision does, in the admin's words: the dialog, the call, and the toast after it. */
const DECISIONS = {
    approve: {
        call: approveSuspensions,
        heading: (a) => `Approve suspending ${a.suspendCount} of ${a.totalUsers} users?`,
        consequence: (a) =>
            `Roster runs the sync now and suspends these ${a.suspendCount} users: they lose access to Roster at once. Nothing is deleted; you can reactivate them later.`,
        button: 'Approve',
        title: 'Approved',
        done: (a) => `${a.suspendCount} users were suspended.`
    },
    reject: {
        call: rejectSuspensions,
        heading: (a) => `Reject suspending ${a.suspendCount} of ${a.totalUsers} users?`,
        consequence: (a) =>
            `Roster runs the sync now without these suspensions: the ${a.suspendCount} users stay active, and the sync's other changes are applied.`,
        button: 'Reject',
        title: 'Rejected',
        done: (a) => `The ${a.suspendCount} users stay active.`
    }
};
const RESOLUTIONS = {
    link: {
        title: 'Linked',
        done: (c) => `${c.email} is now linked to Salesforce user ${c.sfUserId}.`
    },
    dismiss: {
        title: 'Dismissed',
        done: (c) => `${c.email} stays apart from Salesforce user ${c.sfUserId}.`
    }
};

/** What the Automatic Mode sync waits on an admin for: suspensions the guard paused, and email conflicts. */
export default class SyncReview extends LightningElement {
    approvalsLoaded = false;
    conflictsLoaded = false;
    approvals = [];
    conflicts = [];
    approvalsError;
    conflictsError;
    actionError;
    deciding;
    busy = false;

    connectedCallback() {
        this.load();
    }

    load() {
        return Promise.all([this.loadApprovals(), this.loadConflicts()]);
    }

    async loadApprovals() {
        try {
            const result = await listApprovals();
            // The service lists every approval; only pending ones still need the admin.
            this.approvals = result.items
                .filter((a) => a.status === 'pending')
                .map((a) => this.approvalView(a));
            this.approvalsLoaded = true;
            this.approvalsError = undefined;
        } catch (error) {
            this.approvalsError = error;
        }
    }

    async loadConflicts() {
        try {
            const result = await listOpenConflicts();
            this.conflicts = result.items.map((c) => ({
                ...c,
                kindLabel: CONFLICT_KIND[c.kind] || c.kind,
                salesforceName:
                    (c.details && c.details.salesforceUser && c.details.salesforceUser.name) || '',
                rosterUser: c.userId || 'None',
                cannotLink: !c.userId,
                dataId: `conflict-${c.id}`,
                linkId: `link-${c.id}`,
                dismissId: `dismiss-${c.id}`
            }));
            this.conflictsLoaded = true;
            this.conflictsError = undefined;
        } catch (error) {
            this.conflictsError = error;
        }
    }

    approvalView(approval) {
        const suspend = (approval.plan && approval.plan.suspend) || [];
        const more = approval.suspendCount - Math.min(suspend.length, SHOWN_SUSPENSIONS);
        return {
            ...approval,
            summary: `The sync would suspend ${approval.suspendCount} of ${approval.totalUsers} users.`,
            suspensions: suspend.slice(0, SHOWN_SUSPENSIONS).map((s) => ({
                key: s.id,
                text: `${s.email}: ${s.reason}`
            })),
            moreText: more > 0 ? `and ${more} more` : '',
            dataId: `approval-${approval.id}`,
            approveId: `approve-${approval.id}`,
            rejectId: `reject-${approval.id}`
        };
    }

    get loaded() {
        return this.approvalsLoaded && this.conflictsLoaded;
    }
    get hasApprovals() {
        return this.approvals.length > 0;
    }
    get hasConflicts() {
        return this.conflicts.length > 0;
    }
    /** Link needs an existing Roster user: without one the service has nothing to link. */
    get conflictRows() {
        return this.conflicts.map((c) => ({ ...c, linkDisabled: this.busy || c.cannotLink }));
    }
    /** An approval's error shows in its dialog; a conflict's above the lists. */
    get listActionError() {
        return this.deciding ? undefined : this.actionError;
    }
    get nothingToReview() {
        return this.loaded && !this.hasApprovals && !this.hasConflicts;
    }
    get dialog() {
        if (!this.deciding) return null;
        const { approval, decision } = this.deciding;
        const d = DECISIONS[decision];
        return {
            heading: d.heading(approval),
            consequence: d.consequence(approval),
            button: d.button,
            variant: decision === 'approve' ? 'destructive' : 'brand'
        };
    }

    askDecision(event) {
        const { approvalId, decision } = event.target.dataset;
        this.actionError = undefined;
        this.deciding = { approval: this.approvals.find((a) => a.id === approvalId), decision };
    }

    cancelDecision() {
        this.deciding = undefined;
        this.actionError = undefined;
    }

    async confirmDecision() {
        const { approval, decision } = this.deciding;
        const d = DECISIONS[decision];
        const done = await this.act(async () => {
            const { run } = await d.call({ approvalId: approval.id });
            this.dispatchEvent(new CustomEvent('syncran'));
            const ran = run.outcome === 'success';
            this.toast(
                ran ? d.title : `${d.title}; the sync did not finish`,
                ran ? d.done(approval) : run.error || `The sync run ended: ${run.outcome}.`,
                ran ? 'success' : 'warning'
            );
        });
        if (done) this.deciding = undefined;
    }

    async resolve(event) {
        const { conflictId, action } = event.target.dataset;
        const conflict = this.conflicts.find((c) => c.id === conflictId);
        await this.act(async () => {
            await resolveConflict({ conflictId, action });
            this.toast(RESOLUTIONS[action].title, RESOLUTIONS[action].done(conflict), 'success');
        });
    }

    /** One action at a time; the lists are reloaded after it, whatever the outcome. */
    async act(work) {
        this.busy = true;
        this.actionError = undefined;
        try {
            await work();
            return true;
        } catch (error) {
            this.actionError = error;
            return false;
        } finally {
            await this.load();
            this.busy = false;
        }
    }

    toast(title, message, variant) {
        this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
    }
}
