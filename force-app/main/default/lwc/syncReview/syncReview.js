import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import {
    listApprovals,
    listOpenConflicts,
    approveSuspensions,
    rejectSuspensions,
    resolveConflict,
    listUsers
} from 'c/rosterService';
import { userName } from 'c/rosterLookup';
import RosterConfirm from 'c/rosterConfirm';
import { CONFLICT_KINDS } from 'c/rosterVocabulary';
import { runJob } from 'c/jobProgress';

const SUSPENSION_COLUMNS = [
    { key: 'email', label: 'User' },
    { key: 'reason', label: 'Why the sync would suspend them' }
];
const CONFLICT_KIND = CONFLICT_KINDS;
/** What each decision does, in the admin's words: the dialog, the call, and the toast after it. */
const DECISIONS = {
    approve: {
        call: approveSuspensions,
        heading: (a) => `Approve suspending ${a.suspendCount} of ${a.totalUsers} users?`,
        consequence: (a) =>
            `Roster runs the sync now and suspends these ${a.suspendCount} users: they lose access to Roster at once. Nothing is deleted; you can reactivate them later.`,
        button: 'Approve',
        running: 'Approving the suspensions: the sync is running.',
        title: 'Approved',
        done: (a) => `${a.suspendCount} users were suspended.`
    },
    reject: {
        call: rejectSuspensions,
        heading: (a) => `Reject suspending ${a.suspendCount} of ${a.totalUsers} users?`,
        consequence: (a) =>
            `Roster runs the sync now without these suspensions: the ${a.suspendCount} users stay active, and the sync's other changes are applied.`,
        button: 'Reject',
        running: 'Rejecting the suspensions: the sync is running.',
        title: 'Rejected',
        done: (a) => `The ${a.suspendCount} users stay active.`
    }
};
/** The job kind a decision runs as, and its decision param, by the DECISIONS key. */
export const DECISION_JOB = 'sync.decision';
const DECIDED = { approved: 'approve', rejected: 'reject' };
const RESOLUTIONS = {
    link: {
        title: 'Linked',
        done: (c) => `${c.email} is now linked to Salesforce user ${c.salesforceLabel}.`
    },
    dismiss: {
        title: 'Dismissed',
        done: (c) => `${c.email} stays apart from Salesforce user ${c.salesforceLabel}.`
    }
};

/** Roster user id -> "Name (email)", for the users the conflicts name. */
const namesOf = (users) => new Map((users || []).map((u) => [u.id, `${userName(u)} (${u.email})`]));

/**
 * What the Automatic Mode sync waits on an admin for: suspensions the guard paused, and email conflicts. Both
 * come with the screen's answer (`data`: { approvals, conflicts, conflictUsers, running }); after a decision the
 * lists are reloaded here. `running` is a decision's job still running after a page reload: its progress shows
 * here until it ends, then its outcome.
 */
export default class SyncReview extends LightningElement {
    approvalsLoaded = false;
    conflictsLoaded = false;
    approvals = [];
    conflicts = [];
    approvalsError;
    conflictsError;
    actionError;
    busy = false;
    decisionJob; // a decision resumed after a reload, while it runs
    decisionRunning; // what it does, in words
    decisionError;
    rosterNames = new Map(); // Roster user id -> name, for the users the conflicts name
    suspensionColumns = SUSPENSION_COLUMNS;

    @api
    get data() {
        return this._data;
    }
    set data(value) {
        this._data = value;
        if (!value) return;
        this.showApprovals(value.approvals);
        this.rosterNames = namesOf(value.conflictUsers);
        this.showConflicts(value.conflicts);
        if (value.running && !this.decisionJob) this.resumeDecision(value.running);
    }

    load() {
        return Promise.all([this.loadApprovals(), this.loadConflicts()]);
    }

    async loadApprovals() {
        try {
            this.showApprovals(await listApprovals());
        } catch (error) {
            this.approvalsError = error;
        }
    }

    showApprovals(result) {
        // The service lists every approval; only pending ones still need the admin.
        this.approvals = result.items
            .filter((a) => a.status === 'pending')
            .map((a) => this.approvalView(a));
        this.approvalsLoaded = true;
        this.approvalsError = undefined;
    }

    async loadConflicts() {
        try {
            const result = await listOpenConflicts();
            await this.loadRosterNames(result.items);
            this.showConflicts(result);
        } catch (error) {
            this.conflictsError = error;
        }
    }

    showConflicts(result) {
        this.conflicts = result.items.map((c) => {
            const salesforceName =
                (c.details && c.details.salesforceUser && c.details.salesforceUser.name) || '';
            return {
                ...c,
                kindLabel: CONFLICT_KIND[c.kind] || c.kind,
                salesforceLabel: salesforceName || c.sfUserId,
                rosterUser: c.userId
                    ? this.rosterNames.get(c.userId) || 'A Roster user no longer listed'
                    : 'None',
                canLink: !!c.userId,
                dataId: `conflict-${c.id}`,
                linkId: `link-${c.id}`,
                dismissId: `dismiss-${c.id}`
            };
        });
        this.conflictsLoaded = true;
        this.conflictsError = undefined;
    }

    /** The names of the Roster users the conflicts point at, in one call: ids mean nothing to the admin. */
    async loadRosterNames(conflicts) {
        const ids = [...new Set(conflicts.map((c) => c.userId).filter(Boolean))];
        if (!ids.length) return;
        const page = await listUsers({ query: { ids: ids.join(','), limit: ids.length } });
        this.rosterNames = namesOf(page.items);
    }

    approvalView(approval) {
        const suspend = (approval.plan && approval.plan.suspend) || [];
        return {
            ...approval,
            summary: `The sync would suspend ${approval.suspendCount} of ${approval.totalUsers} users.`,
            suspensionRows: suspend.map((s) => ({
                key: s.id,
                label: s.email,
                cells: { email: s.email, reason: s.reason }
            })),
            // The plan names at most its first 1,000 users; say so rather than let a shorter list look complete.
            notListed:
                approval.suspendCount > suspend.length
                    ? `The plan lists ${suspend.length.toLocaleString()} of the ${approval.suspendCount.toLocaleString()} users it would suspend.`
                    : '',
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
    get conflictRows() {
        return this.conflicts;
    }
    get nothingToReview() {
        return this.loaded && !this.hasApprovals && !this.hasConflicts;
    }

    /** Approve or reject, after a confirmation that says what happens; the dialog runs the decision itself. */
    async askDecision(event) {
        const { approvalId, decision } = event.target.dataset;
        const approval = this.approvals.find((a) => a.id === approvalId);
        const d = DECISIONS[decision];
        const outcome = await RosterConfirm.open({
            size: 'small',
            label: d.heading(approval),
            message: d.consequence(approval),
            confirmLabel: d.button,
            variant: decision === 'approve' ? 'destructive' : 'brand',
            // The decision runs the sync as a service job: the dialog stays busy until it ends.
            action: () => runJob(d.call({ approvalId: approval.id }))
        });
        // Whatever happened in the dialog (a refusal too), the lists may have changed.
        await this.load();
        if (outcome) this.announce(d, outcome, approval);
    }

    /** A decision made before a page reload and still running: its progress, then its outcome. */
    async resumeDecision(job) {
        const params = job.params || {};
        const d = DECISIONS[DECIDED[params.decision]] || DECISIONS.approve;
        const approval = this.approvals.find((a) => a.id === params.approvalId);
        this.decisionJob = job;
        this.decisionRunning = d.running;
        this.decisionError = undefined;
        this.busy = true;
        try {
            const outcome = await runJob(job, (update) => {
                this.decisionJob = update;
            });
            await this.load();
            this.announce(d, outcome, approval);
        } catch (error) {
            this.decisionError = error;
            await this.load();
        } finally {
            this.decisionJob = undefined;
            this.busy = false;
        }
    }

    /** The decision's sync run joins the history; the toast says how it ended. */
    announce(d, { run, approval: decided }, approval) {
        this.dispatchEvent(new CustomEvent('syncran'));
        const ran = run.outcome === 'success';
        this.toast(
            ran ? d.title : `${d.title}; the sync did not finish`,
            ran ? d.done(approval || decided) : run.error || `The sync run ended: ${run.outcome}.`,
            ran ? 'success' : 'warning'
        );
    }

    /** Linking merges two people into one for good: it is confirmed first, naming what happens. */
    async confirmLink(event) {
        const conflict = this.conflicts.find((c) => c.id === event.target.dataset.conflictId);
        const linked = await RosterConfirm.open({
            size: 'small',
            label: `Link ${conflict.email} to Salesforce?`,
            message: `The Roster user ${conflict.rosterUser} becomes the Salesforce user ${conflict.salesforceLabel} (${conflict.sfUserId}). From the next sync, Salesforce owns their name, job title, email and team: changes made there overwrite changes made here.`,
            details: ['1 Roster user is linked; nobody is created, suspended or deleted.'],
            confirmLabel: 'Link',
            variant: 'brand',
            action: () => resolveConflict({ conflictId: conflict.id, action: 'link' })
        });
        await this.load();
        if (!linked) return;
        this.toast(RESOLUTIONS.link.title, RESOLUTIONS.link.done(conflict), 'success');
    }

    async dismiss(event) {
        const conflictId = event.target.dataset.conflictId;
        const conflict = this.conflicts.find((c) => c.id === conflictId);
        await this.act(async () => {
            await resolveConflict({ conflictId, action: 'dismiss' });
            this.toast(RESOLUTIONS.dismiss.title, RESOLUTIONS.dismiss.done(conflict), 'success');
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
