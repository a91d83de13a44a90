import { LightningElement } from 'lwc';
import { getIntegrationHealthScreen, listSyncRuns, runIntegrationHealth } from 'c/rosterService';
import { runJob } from 'c/jobProgress';
import { DECISION_JOB } from 'c/syncReview';

const OVERALL = {
    healthy: {
        label: 'Healthy',
        text: 'Every required permission and field is in place.',
        theme: 'slds-theme_success'
    },
    degraded: {
        label: 'Degraded',
        text: 'The sync runs, but recommended permissions or fields are missing.',
        theme: 'slds-theme_warning'
    },
    blocked: {
        label: 'Blocked',
        text: 'The Salesforce sync is stopped until the required items below are fixed.',
        // In Manual Mode nothing syncs, so nothing is stopped.
        textInManualMode:
            'Required items below are missing: fix them before turning on Automatic Mode, whose sync does not run while they are missing.',
        theme: 'slds-theme_error'
    },
    unavailable: {
        label: 'Unavailable',
        text: 'Roster could not check the integration user.',
        theme: 'slds-theme_shade'
    }
};
// Categories in the order of the Salesforce Permissions article.
const CATEGORIES = [
    ['integrationUser', 'Integration user'],
    ['systemPermission', 'System permissions'],
    ['leastPrivilege', 'Least-privilege alternative to View All Data'],
    ['objectPermission', 'Object permissions'],
    ['inheritedObject', 'Inherited object permissions'],
    ['field', 'Field access'],
    ['inheritedField', 'Inherited field access']
];
const STATUS = { ok: 'OK', missing: 'Missing', not_applicable: 'Not applicable' };
const GRANT_KIND = {
    profile: 'Profile',
    permissionSet: 'Permission set',
    permissionSetGroup: 'Permission set group',
    inherited: 'Inherited',
    alternative: 'Alternative'
};
const DRIFT_COLUMNS = [
    { key: 'user', label: 'User' },
    { key: 'reason', label: 'Salesforce says' },
    { key: 'since', label: 'Kept active since' }
];
const NO_DRIFT = { count: 0, items: [] };
/** A sync run's counts in words, in this order; a count of zero is not shown. */
const COUNT_LABELS = [
    ['created', 'user added', 'users added'],
    ['updated', 'user updated', 'users updated'],
    ['moved', 'user moved to another team', 'users moved to another team'],
    ['suspended', 'user suspended', 'users suspended'],
    ['reactivated', 'user reactivated', 'users reactivated'],
    ['teamsCreated', 'team added', 'teams added'],
    ['teamsRenamed', 'team renamed', 'teams renamed'],
    ['teamsMoved', 'team moved', 'teams moved'],
    ['teamsDeleted', 'team replaced', 'teams replaced'],
    ['skipped', 'Salesforce user skipped', 'Salesforce users skipped'],
    ['conflicts', 'conflict to review', 'conflicts to review'],
    ['unchanged', 'user unchanged', 'users unchanged']
];
const RUN_KINDS = {
    incremental: 'Changes since the last sync',
    full: 'Full sync',
    enable: 'Automatic Mode turned on',
    approved: 'After approving suspensions',
    rejected: 'After rejecting suspensions'
};
const RUN_OUTCOMES = {
    success: 'Succeeded',
    blocked: 'Blocked: nothing was applied',
    awaiting_approval: 'Paused for your approval',
    interrupted: 'Interrupted: it runs again at the next poll',
    preview_stale: 'Not applied: Salesforce or Roster changed since the preview',
    failed: 'Failed'
};
/** A code the tables above do not name, in words: "concurrent_limit" -> "concurrent limit", "recordsLinked" -> "records linked". */
const inWords = (code) =>
    String(code || '')
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .replace(/_/g, ' ')
        .toLowerCase();
const readable = (code) => {
    const words = inWords(code);
    return words ? words[0].toUpperCase() + words.slice(1) : '';
};

function runCounts(counts = {}) {
    const known = new Set(COUNT_LABELS.map(([key]) => key));
    return [
        ...COUNT_LABELS.map(([key, one, many]) => [key, counts[key], one, many]),
        // A count the service adds later still shows, by its own name.
        ...Object.keys(counts)
            .filter((key) => !known.has(key))
            .map((key) => [key, counts[key], inWords(key), inWords(key)])
    ]
        .filter(([, n]) => Number(n) > 0)
        .map(([key, n, one, many]) => ({
            key,
            text: `${Number(n).toLocaleString()} ${Number(n) === 1 ? one : many}`
        }));
}

/** Integration Health: the integration user's permission and field checks with the fix for each gap, and sync history. */
export default class IntegrationHealth extends LightningElement {
    report;
    reportLoaded = false;
    runs = [];
    error;
    runsError;
    actionError;
    running = false;
    job; // the check's job while it runs
    showAll = false;
    review; // the sync review's approvals, conflicts and the users they name
    drift = NO_DRIFT; // users an admin kept active whom Salesforce still has inactive
    driftColumns = DRIFT_COLUMNS;
    managementMode; // 'automatic' or 'manual', from the screen's mode state

    connectedCallback() {
        this.open();
    }

    /** The report, the sync history and what waits for review in one callout; a check still running resumes. */
    async open() {
        try {
            const screen = await getIntegrationHealthScreen();
            this.report = screen.health;
            this.reportLoaded = true;
            this.managementMode = screen.mode.mode;
            this.showRuns(screen.runs);
            this.drift = screen.drift || NO_DRIFT;
            this.review = {
                approvals: screen.approvals,
                conflicts: screen.conflicts,
                conflictUsers: screen.conflictUsers,
                // A decision still running after a page reload: the review shows its progress, then its outcome.
                running: screen.runningJobs.items.find((j) => j.kind === DECISION_JOB)
            };
            this.error = undefined;
            // A check still running after a page reload shows its progress, then its report.
            const job = screen.runningJobs.items.find((j) => j.kind === 'health.check');
            if (job && !this.running) await this.follow(job);
        } catch (error) {
            this.error = error;
        }
    }

    /** The sync history; an approval decision runs the sync, so its run joins the history. */
    async refreshRuns() {
        try {
            this.showRuns(await listSyncRuns());
        } catch (error) {
            this.runsError = error;
        }
    }

    /** After a decision ran the sync: its run joins the history, and who is drift may have changed, in one callout. */
    async refreshAfterSync() {
        try {
            const screen = await getIntegrationHealthScreen();
            this.showRuns(screen.runs);
            this.drift = screen.drift || NO_DRIFT;
        } catch (error) {
            this.runsError = error;
        }
    }

    get hasDrift() {
        return this.drift.count > 0;
    }
    get driftHeading() {
        const n = this.drift.count;
        return `${n.toLocaleString()} ${n === 1 ? 'user is' : 'users are'} still inactive in Salesforce`;
    }
    get driftRows() {
        return this.drift.items.map((d) => ({
            key: d.userId,
            label: d.email,
            cells: {
                user: d.name ? `${d.name} (${d.email})` : d.email,
                reason: d.reason,
                since: new Date(d.since).toLocaleDateString()
            }
        }));
    }

    showRuns(runs) {
        this.runs = runs.items.map((run) => {
            const counts = runCounts(run.counts);
            return {
                ...run,
                dataId: `run-${run.id}`,
                kindLabel: RUN_KINDS[run.kind] || readable(run.kind),
                outcomeLabel: RUN_OUTCOMES[run.outcome] || readable(run.outcome),
                counts,
                noChanges: counts.length === 0,
                explanation: run.error || (run.warnings || []).join(' ')
            };
        });
        this.runsError = undefined;
    }

    get overall() {
        if (!this.report) return null;
        const overall = { ...OVERALL[this.report.overall], key: this.report.overall };
        // The service's one truth: in Automatic Mode the sync is stopped exactly while the latest check is Blocked,
        // whatever the last run did, so a check run here that comes back Blocked has stopped it too.
        if (overall.textInManualMode && this.managementMode !== 'automatic')
            overall.text = overall.textInManualMode;
        return overall;
    }
    get overallClass() {
        return `slds-box slds-m-bottom_medium ${this.overall ? this.overall.theme : ''}`;
    }
    get summaryText() {
        const s = this.report && this.report.summary;
        return s
            ? `${s.ok} OK · ${s.requiredMissing} required missing · ${s.recommendedMissing} recommended missing · ${s.notApplicable} not applicable`
            : '';
    }
    get userText() {
        const u = this.report && this.report.user;
        return u
            ? `${u.name} (${u.username}) · Profile: ${u.profile} · License: ${u.license} · Role: ${u.role || 'none'}`
            : '';
    }
    get groups() {
        if (!this.report) return [];
        return CATEGORIES.map(([category, title]) => {
            const items = this.report.items
                .filter(
                    (item) =>
                        item.category === category && (this.showAll || item.status === 'missing')
                )
                .sort((a, b) =>
                    a.severity === b.severity ? 0 : a.severity === 'required' ? -1 : 1
                )
                .map((item) => ({
                    ...item,
                    statusLabel: STATUS[item.status],
                    severityLabel: item.severity === 'required' ? 'Required' : 'Recommended',
                    grantedText: item.grantedBy.length
                        ? `Granted by ${item.grantedBy.map((g) => `${GRANT_KIND[g.kind] || g.kind}: ${g.name}`).join(', ')}`
                        : '',
                    itemClass: `slds-p-vertical_x-small ${item.status === 'missing' && item.severity === 'required' ? 'slds-text-color_error' : ''}`,
                    dataId: `item-${item.id}`
                }));
            return { category, title, items, dataId: `group-${category}` };
        }).filter((group) => group.items.length > 0);
    }
    get nothingMissing() {
        return this.report && !this.showAll && this.groups.length === 0;
    }
    /** The service answers null until the first check has run: an empty state, not an error. */
    get notCheckedYet() {
        return !this.report && !this.running && this.reportLoaded;
    }
    get hasRuns() {
        return this.runs.length > 0;
    }

    toggleShowAll(event) {
        this.showAll = event.target.checked;
    }

    rerun() {
        return this.follow(runIntegrationHealth());
    }

    /** The check runs in the service as a job (a handful of Salesforce calls); its result is the stored report. */
    async follow(started) {
        this.running = true;
        this.actionError = undefined;
        try {
            this.report = await runJob(started, (job) => {
                this.job = job;
            });
            this.reportLoaded = true;
            await this.refreshRuns();
        } catch (error) {
            this.actionError = error;
        } finally {
            this.running = false;
            this.job = undefined;
        }
    }
}
