import { LightningElement } from 'lwc';
import { getIntegrationHealth, listSyncRuns, runIntegrationHealth } from 'c/rosterService';
import { runJob, findRunningJob } from 'c/jobProgress';

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
const RUN_COLUMNS = [
    { label: 'Kind', fieldName: 'kind' },
    {
        label: 'Started',
        fieldName: 'startedAt',
        type: 'date',
        typeAttributes: { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' }
    },
    { label: 'Outcome', fieldName: 'outcome' },
    { label: 'Changes', fieldName: 'countsText', wrapText: true },
    { label: 'API calls', fieldName: 'apiCalls', type: 'number' },
    { label: 'Why', fieldName: 'explanation', wrapText: true }
];

/** Integration Health: the integration user's permission and field checks with the fix for each gap, and sync history. */
export default class IntegrationHealth extends LightningElement {
    runColumns = RUN_COLUMNS;
    report;
    reportLoaded = false;
    runs = [];
    error;
    runsError;
    actionError;
    running = false;
    job; // the check's job while it runs
    showAll = false;

    connectedCallback() {
        this.loadReport();
        this.refreshRuns();
        this.resume();
    }

    /** A check still running after a page reload shows its progress, then its report. */
    async resume() {
        const job = await findRunningJob(['health.check']);
        if (job && !this.running) await this.follow(job);
    }

    async loadReport() {
        try {
            this.report = await getIntegrationHealth();
            this.reportLoaded = true;
            this.error = undefined;
        } catch (error) {
            this.error = error;
        }
    }

    /** The sync history; an approval decision runs the sync, so its run joins the history. */
    async refreshRuns() {
        try {
            const runs = await listSyncRuns();
            this.runs = runs.items.map((run) => ({
                ...run,
                countsText: Object.entries(run.counts || {})
                    .map(([k, v]) => `${v} ${k}`)
                    .join(', '),
                explanation: run.error || (run.warnings || []).join(' ')
            }));
            this.runsError = undefined;
        } catch (error) {
            this.runsError = error;
        }
    }

    get overall() {
        return this.report ? { ...OVERALL[this.report.overall], key: this.report.overall } : null;
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
