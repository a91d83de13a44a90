import { LightningElement, api } from 'lwc';
import {
    listPermissionErrors,
    exportPermissionErrorsToFile,
    testAccess,
    getMailboxStats
} from 'c/rosterService';
import { runJob } from 'c/jobProgress';
import { MOMENT } from 'c/rosterTime';

const COLUMNS = [
    { label: 'Email', fieldName: 'email' },
    {
        label: 'Since',
        fieldName: 'since',
        type: 'date',
        typeAttributes: MOMENT
    },
    { label: 'Reason', fieldName: 'reasonText', wrapText: true },
    { label: 'Fix', fieldName: 'fix', wrapText: true },
    { label: 'Provider said', fieldName: 'providerMessage', wrapText: true },
    {
        type: 'button',
        typeAttributes: { label: 'Test access now', name: 'test', variant: 'neutral' }
    }
];

/**
 * Users whose mailbox or calendar Roster cannot read: since when, why, the fix, a re-probe and CSV export. The
 * list comes with the screen's answer (`data`: { list, stats }); after a re-probe the tab reloads it itself.
 */
export default class PermissionErrors extends LightningElement {
    columns = COLUMNS;
    rows = [];
    total = 0;
    error;
    actionError;
    result;
    loaded = false;
    statsLoaded = false;
    provider;
    exporting = false;
    exportJob; // the export job being followed, for its progress bar
    exportFile; // the last export, as a Salesforce file: { title, size, downloadUrl }

    @api
    get data() {
        return this._data;
    }
    set data(value) {
        this._data = value;
        if (value) this.show(value.list, value.stats);
    }

    async load() {
        try {
            const [result, stats] = await Promise.all([listPermissionErrors(), getMailboxStats()]);
            this.show(result, stats);
        } catch (error) {
            this.error = error;
        }
    }

    /** A part the screen's answer could not read (null) is left unsaid, never shown as empty. */
    show(result, stats) {
        this.statsLoaded = !!stats;
        this.provider = stats ? stats.provider : undefined;
        this.loaded = !!result;
        this.error = undefined;
        if (!result) {
            this.total = 0;
            this.rows = [];
            return;
        }
        this.total = result.total;
        this.rows = result.items.map((item) => ({
            ...item,
            id: item.userId,
            reasonText: `${item.reason.label}: ${item.reason.reason}`,
            fix: item.reason.fix,
            providerMessage: item.provider
                ? [item.provider.httpStatus, item.provider.message].filter(Boolean).join(' ')
                : ''
        }));
    }

    /** Until a provider is set, an empty list means nothing was checked, not that everything works. */
    get noProvider() {
        return this.statsLoaded && !this.provider;
    }
    get hasRows() {
        return this.rows.length > 0;
    }
    get allReadable() {
        return this.isEmpty && !!this.provider;
    }
    get isEmpty() {
        return !this.error && this.loaded && this.rows.length === 0;
    }

    async handleRowAction(event) {
        const { row } = event.detail;
        this.actionError = undefined;
        this.result = undefined;
        try {
            const outcome = await testAccess({ userId: row.userId });
            this.result =
                outcome.outcome === 'ok'
                    ? `${outcome.email}: access works now.`
                    : `${outcome.email}: still failing${outcome.reason ? ` (${outcome.reason.label}). ${outcome.reason.fix}` : '.'}`;
            await this.load();
        } catch (error) {
            this.actionError = error;
        }
    }

    /**
     * The export becomes a Salesforce file shared with the admin, written by a service job: an org-wide condition
     * lists every user, more than Apex's heap or a data: URI holds.
     */
    async handleExport() {
        if (this.exporting) return;
        this.actionError = undefined;
        this.exporting = true;
        try {
            this.exportFile = await runJob(exportPermissionErrorsToFile(), (job) => {
                this.exportJob = job;
            });
        } catch (error) {
            this.actionError = error;
        } finally {
            this.exporting = false;
            this.exportJob = undefined;
        }
    }
    get exportLabel() {
        return this.exporting ? 'Exporting…' : 'Export users with errors';
    }
}
