import { LightningElement } from 'lwc';
import {
    listUsers,
    getUsersAndTeamsScreen,
    getProfileSummary,
    suspendUser,
    reactivateUser,
    deleteUser,
    exportUsersToFile
} from 'c/rosterService';
import { polling, runJob, shareRunningJobs } from 'c/jobProgress';
import { flattenTeams } from 'c/teamTreeUtils';
import { toastSuccess, toastError } from 'c/rosterMessages';
import { oneDialogAtATime } from 'c/rosterModal';
import { INTEGRATION_HEALTH, blockedHealthBanner } from 'c/rosterPage';
import UserEditor from 'c/userEditor';
import RosterConfirm from 'c/rosterConfirm';
import ProfileSummary from 'c/profileSummary';
import CsvImport, { IMPORT_JOB } from 'c/csvImport';
import BulkActionDialog, { BULK_ACTIONS, BULK_JOB, describeSelection } from 'c/bulkActionDialog';
import { NO_FILTERS } from 'c/userFilters';

const PAGE_SIZE = 50;
const EXPORT_JOB = 'users.export.file';
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
/** What the admin misses when the service could not read one part of the screen (the rest still shows). */
const PART_NOTICES = {
    users: 'The users could not be loaded.',
    counts: 'The counts of users by status could not be loaded.',
    teams: 'The teams could not be loaded: filters, bulk actions and the user editor offer no team.',
    profiles:
        'The configuration profiles could not be loaded: filters, bulk actions and the user editor offer none.',
    mode: 'The management mode could not be loaded.',
    approvals:
        'Whether a sync waits for your approval could not be loaded: see Integration Health.',
    conflicts: 'Whether sync conflicts wait for you could not be loaded: see Integration Health.',
    health: 'The latest Integration Health check could not be loaded: see Integration Health.',
    permissionErrors: 'The Permission Errors list could not be loaded.',
    mailbox: 'The mailbox provider and its figures could not be loaded.',
    runningJobs: 'Which jobs are still running could not be loaded: their progress is not shown.'
};
/** How often counts and the list are reloaded while a job (an import, a mode switch, a sync) runs. */
const WHILE_A_JOB_RUNS = () => polling.intervalMs * 5;
const wait = (ms) =>
    new Promise((resolve) => {
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        setTimeout(resolve, ms);
    });

/**
 * Users and Teams: status counts, the user table with search, filters, row and bulk actions, Permission
 * Errors, import, export and the mode. Everything is reloaded after every change, so counts and lists are
 * never stale; dialogs are lightning/modal, outcomes are toasts.
 */
export default class UsersAndTeams extends LightningElement {
    users = [];
    nextCursor = null;
    loading = false;
    loadError;
    query = { search: '', ...NO_FILTERS };
    sortedBy = 'name';
    sortDirection = 'asc';
    selectedIds = [];
    exporting = false;
    exportFile; // the last export, as a Salesforce file: { title, size, downloadUrl }
    exportJob; // the export's service job while it runs, for its progress bar

    counts;
    teams = [];
    profiles = [];
    modeState; // { mode, hierarchySource, ... } for the mode switch
    attention = {}; // what needs the admin elsewhere: { approvals, conflicts, health }
    permissionErrors; // the Permission Errors tab's list and the mailbox provider's stats
    runningJobs = [];
    failedParts = []; // the parts of the screen's answer the service could not read this time

    connectedCallback() {
        this.connected = true;
        const opened = this.refreshAll();
        // The parts that resume a job after a reload (the mode switch) read the running jobs from this answer.
        shareRunningJobs(opened.then(() => ({ items: this.runningJobs })));
        opened.then(() => {
            this.resumeFileJobs(this.runningJobs);
            this.watchJobs();
        });
    }

    disconnectedCallback() {
        this.connected = false;
    }

    /** Banners for what needs the admin on another screen, each linking to where it is resolved. */
    get banners() {
        const { approvals = [], conflicts = [], health } = this.attention;
        const banners = approvals.map((a) => ({
            key: `approval-${a.id}`,
            variant: 'warning',
            message: `The sync is paused: it would suspend ${a.suspendCount} of ${a.totalUsers} users, and applies nothing until you approve or reject.`,
            linkLabel: 'Review the suspensions',
            href: INTEGRATION_HEALTH
        }));
        if (conflicts.length)
            banners.push({
                key: 'conflicts',
                variant: 'warning',
                message: `${plural(conflicts.length, 'sync conflict waits', 'sync conflicts wait')} for you: the sync skips ${conflicts.length === 1 ? 'that Salesforce user' : 'those Salesforce users'} until you link or dismiss.`,
                linkLabel: 'Review the conflicts',
                href: INTEGRATION_HEALTH
            });
        if (health && health.overall === 'blocked') {
            banners.push(
                blockedHealthBanner({
                    missing: (health.summary && health.summary.requiredMissing) || 0,
                    // The service says when the sync is stopped (Automatic Mode while the latest check is Blocked).
                    stopped: !!(this.modeState && this.modeState.stopped)
                })
            );
        }
        return banners;
    }

    /**
     * While any job runs (as the last reload found), counts, banners and the first page follow it; the reload
     * that finds none running is the last.
     */
    async watchJobs() {
        if (this.watching) return;
        this.watching = true;
        try {
            while (this.runningJobs.length > 0 && this.connected) {
                // Each reload waits for the one before.
                // eslint-disable-next-line no-await-in-loop
                await wait(WHILE_A_JOB_RUNS());
                // eslint-disable-next-line no-await-in-loop
                if (this.connected) await this.refreshAll();
            }
        } finally {
            this.watching = false;
        }
    }

    /** After a page reload, an import, export or bulk action still running is followed again, at its progress bar. */
    resumeFileJobs(running) {
        const importJob = running.find((job) => job.kind === IMPORT_JOB);
        const exportJob = running.find((job) => job.kind === EXPORT_JOB);
        const bulkJob = running.find((job) => job.kind === BULK_JOB);
        if (importJob) this.openImport(importJob);
        if (exportJob) this.handleExport(exportJob);
        if (bulkJob && !importJob) this.resumeBulk(bulkJob);
    }

    /** A bulk action applied before the reload: its dialog reopens at the progress bar, then closes like an apply. */
    async resumeBulk(job) {
        const { selection = {}, change = {} } = job.params || {};
        const result = await this.openOnce(BulkActionDialog, {
            size: 'small',
            label: (BULK_ACTIONS.find((a) => a.value === change.action) || {}).label,
            action: change.action,
            selection,
            selectionText: describeSelection(selection),
            profiles: this.profiles,
            teams: this.teams,
            running: job
        });
        if (!result) return;
        toastSuccess(this, result.message);
        this.handleBulkDone();
    }

    /** One notice per part that could not be read; the others show as usual. */
    get partNotices() {
        return this.failedParts.map((part) => ({
            key: part,
            dataId: `part-failed-${part}`,
            text: `${PART_NOTICES[part] || `Part of this page (${part}) could not be loaded.`} Reload the page to try again.`
        }));
    }

    get hasMore() {
        return !!this.nextCursor;
    }
    get isEmpty() {
        return (
            !this.loading &&
            !this.loadError &&
            !this.failedParts.includes('users') &&
            this.users.length === 0
        );
    }
    get isAutomatic() {
        return !!this.modeState && this.modeState.mode === 'automatic';
    }
    get importDisabledReason() {
        return this.isAutomatic
            ? 'In Automatic Mode users come from Salesforce: switch to Manual Mode to import a CSV file.'
            : '';
    }

    /** The search, filters, sort and page size; the first page is the screen's, later pages have a cursor. */
    firstPageQuery() {
        const sort = (this.sortDirection === 'desc' ? '-' : '') + this.sortedBy;
        return { ...this.query, sort, limit: PAGE_SIZE };
    }
    listQuery(cursor) {
        return { ...this.firstPageQuery(), cursor };
    }

    async loadPage(cursor) {
        this.loading = true;
        const request = (this.request || 0) + 1;
        this.request = request;
        try {
            const page = await listUsers({ query: this.listQuery(cursor) });
            // A slower answer to an older query must not replace a newer one.
            if (request !== this.request) return;
            this.users = [...(cursor ? this.users : []), ...page.items];
            this.nextCursor = page.nextCursor;
            this.failedParts = this.failedParts.filter((part) => part !== 'users');
            this.loadError = undefined;
        } catch (error) {
            this.loadError = error;
        } finally {
            if (request === this.request) this.loading = false;
        }
    }

    /**
     * The whole screen in one callout: the first page, counts, teams, profiles, mode, what needs the admin, the
     * Permission Errors tab and the running jobs. After any change, all of it may differ. A part the service could
     * not read comes back null and named in failedParts: it shows empty with its notice, the rest as usual.
     */
    async refreshAll() {
        this.loading = true;
        const request = (this.request || 0) + 1;
        this.request = request;
        try {
            const screen = await getUsersAndTeamsScreen({ query: this.firstPageQuery() });
            const { users, approvals, conflicts, runningJobs } = screen;
            if (request === this.request) {
                this.users = users ? users.items : [];
                this.nextCursor = users ? users.nextCursor : null;
            }
            this.counts = screen.counts || undefined;
            this.teams = screen.teams ? flattenTeams(screen.teams) : [];
            this.profiles = screen.profiles ? screen.profiles.profiles : [];
            this.modeState = screen.mode || undefined;
            // The service lists every approval; only pending ones still need the admin.
            this.attention = {
                approvals: approvals ? approvals.items.filter((a) => a.status === 'pending') : [],
                conflicts: conflicts ? conflicts.items : [],
                health: screen.health
            };
            this.permissionErrors = { list: screen.permissionErrors, stats: screen.mailbox };
            this.runningJobs = runningJobs ? runningJobs.items : [];
            this.failedParts = screen.failedParts || [];
            this.loadError = undefined;
        } catch (error) {
            this.loadError = error;
            this.runningJobs = [];
            this.failedParts = [];
        } finally {
            if (request === this.request) this.loading = false;
        }
    }

    handleLoadMore() {
        if (this.nextCursor && !this.loading) this.loadPage(this.nextCursor);
    }

    handleFilterChange(event) {
        this.query = event.detail;
        this.selectedIds = [];
        this.loadPage();
    }

    handleSort(event) {
        this.sortedBy = event.detail.sortedBy;
        this.sortDirection = event.detail.sortDirection;
        this.loadPage();
    }

    handleSelection(event) {
        this.selectedIds = event.detail.ids;
    }

    handleRowAction(event) {
        const { action, user } = event.detail;
        if (action === 'edit') this.openEditor(user);
        if (action === 'suspend') this.confirmSuspend(user);
        if (action === 'reactivate') this.reactivate(user);
        if (action === 'delete') this.confirmDelete(user);
        if (action === 'profile') this.showProfileSummary(user.profileId);
    }

    /** One dialog at a time: resolves like the dialog, or undefined while another is open. */
    openOnce(Dialog, props) {
        return oneDialogAtATime(this, () => Dialog.open(props));
    }

    async openEditor(user) {
        const saved = await this.openOnce(UserEditor, {
            size: 'medium',
            label: user ? `Edit ${user.email}` : 'Add User',
            user,
            teams: this.teams,
            profiles: this.profiles,
            automaticMode: this.isAutomatic
        });
        if (!saved) return;
        toastSuccess(
            this,
            user ? `${saved.email} was saved.` : `${saved.email} was added.`,
            saved.warnings
        );
        await this.refreshAll();
    }

    openAddUser() {
        return this.openEditor(null);
    }

    async confirmSuspend(user) {
        const done = await this.openOnce(RosterConfirm, {
            size: 'small',
            label: `Suspend ${user.email}?`,
            message:
                'Suspending revokes their access to Roster at once, hides their data and stops checking their mailbox. You can reactivate them later; nothing is deleted.',
            confirmLabel: 'Suspend',
            reasonLabel: 'Reason',
            action: ({ reason }) => suspendUser({ userId: user.id, reason })
        });
        if (!done) return;
        toastSuccess(this, `${user.email} was suspended.`);
        await this.refreshAll();
    }

    async reactivate(user) {
        try {
            await reactivateUser({ userId: user.id });
            toastSuccess(this, `${user.email} was reactivated.`);
            await this.refreshAll();
        } catch (error) {
            toastError(this, error, `${user.email} was not reactivated.`);
        }
    }

    async confirmDelete(user) {
        const done = await this.openOnce(RosterConfirm, {
            size: 'small',
            label: `Delete ${user.email}?`,
            message: `Deleting permanently removes ${user.email} and all of their past activity data from Roster: emails, meetings, and their history in reports. This cannot be undone. Suspending keeps the history; we recommend it instead.`,
            confirmLabel: 'Delete permanently',
            typeToConfirm: user.email,
            typeToConfirmLabel: "Type the user's email address to confirm",
            action: ({ typed }) => deleteUser({ userId: user.id, confirmEmail: typed })
        });
        if (!done) return;
        toastSuccess(this, `${user.email} was deleted.`);
        await this.refreshAll();
    }

    async showProfileSummary(profileId) {
        try {
            const summary = await getProfileSummary({ profileId });
            await this.openOnce(ProfileSummary, { size: 'small', label: summary.name, summary });
        } catch (error) {
            toastError(this, error, 'The profile could not be shown.');
        }
    }

    /** `running`: an import job still running after a reload, which the dialog opens at. */
    async openImport(running) {
        const outcome = await this.openOnce(CsvImport, {
            size: 'medium',
            label: 'Import Users',
            running: running && running.kind === IMPORT_JOB ? running : undefined
        });
        if (outcome && outcome.imported) {
            await this.refreshAll();
            this.watchJobs();
        }
    }

    /**
     * The export becomes a Salesforce file shared with the admin, downloaded from the org (no data: URI, no size
     * cap), written by a service job; `running` is one still running after a reload.
     */
    async handleExport(running) {
        if (this.exporting) return;
        this.exporting = true;
        try {
            const started = running && running.kind === EXPORT_JOB ? running : exportUsersToFile();
            this.exportFile = await runJob(started, (job) => {
                this.exportJob = job;
            });
            toastSuccess(this, `${this.exportFile.title} is ready to download.`);
        } catch (error) {
            toastError(this, error, 'The users could not be exported.');
        } finally {
            this.exporting = false;
            this.exportJob = undefined;
        }
    }
    get exportLabel() {
        return this.exporting ? 'Exporting…' : 'Export Users';
    }

    handleBulkDone() {
        this.selectedIds = [];
        this.refreshAll();
    }

    /** A job started from this page (the mode switch): counts and the list follow it while it runs. */
    handleJobStarted() {
        this.refreshAll().then(() => this.watchJobs());
    }

    handleModeChanged() {
        this.refreshAll().then(() => this.watchJobs());
    }
}
