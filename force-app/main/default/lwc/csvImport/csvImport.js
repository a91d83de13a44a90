import { api } from 'lwc';
import LightningModal from 'lightning/modal';
import { importUsersFromFile, downloadImportResult } from 'c/rosterService';
import { downloadText } from 'c/rosterVocabulary';
import { runJob } from 'c/jobProgress';

/** The service job an import runs as (dry run or apply): a page reload finds it by this kind. */
export const IMPORT_JOB = 'users.import.file';

const ERROR_COLUMNS = [
    { label: 'Line', fieldName: 'line', type: 'number', initialWidth: 80 },
    { label: 'Column', fieldName: 'column', initialWidth: 160 },
    { label: 'Problem', fieldName: 'message', wrapText: true }
];

const PAST = {
    add: 'added',
    edit: 'edited',
    suspend: 'suspended',
    delete: 'deleted',
    unchanged: 'unchanged'
};

/**
 * Import Users (lightning/modal): the admin uploads a CSV file to Salesforce Files (lightning-file-upload, so a
 * 100k-user file never passes through Apex's heap), sees a dry run the service makes from that file (every problem
 * by line and column, and what would change), then applies it; the service applies the whole file or nothing.
 * Both run as service jobs (a 100k-row file takes longer than a callout waits), shown by their progress bar.
 * Closes with { imported } so the page knows whether to reload.
 */
export default class CsvImport extends LightningModal {
    /** An import job still running after a page reload: the dialog opens at its progress bar. */
    @api running;
    errorColumns = ERROR_COLUMNS;
    acceptedFormats = ['.csv'];
    fileName;
    contentVersionId;
    dryRun;
    applied;
    error;
    step; // 'validating' | 'applying'
    job; // the import job being followed, for its progress bar

    connectedCallback() {
        const job = this.running;
        if (!job) return;
        this.contentVersionId = job.params && job.params.contentVersionId;
        this.follow(job.params && job.params.dryRun === false ? 'applying' : 'validating', job);
    }

    get busy() {
        return !!this.step;
    }
    get progressLabel() {
        return {
            validating: 'Checking every row…',
            applying: 'Applying the changes…'
        }[this.step];
    }
    get problems() {
        return this.dryRun
            ? this.dryRun.errors.map((e, i) => ({
                  ...e,
                  id: `${e.line}-${e.column}-${i}`,
                  column: e.column || '(whole line)'
              }))
            : [];
    }
    get hasProblems() {
        return this.problems.length > 0;
    }
    /** Apex holds only the first problems of a large file: the rest are in the result file. */
    get moreProblems() {
        const report = this.dryRun;
        const more = report ? (report.errorCount || 0) - report.errors.length : 0;
        return more > 0
            ? `The first ${report.errors.length} of ${report.errorCount} problems are listed; download the result of each row for all of them.`
            : '';
    }
    /** The last report: the apply's, else the dry run's (an apply resumed after a reload has only its own). */
    get report() {
        return this.applied || this.dryRun;
    }
    get resultFile() {
        return this.report && this.report.resultFile;
    }
    get summaryItems() {
        const summary = (this.report || {}).summary || {};
        return [
            ['add', 'to add'],
            ['edit', 'to edit'],
            ['suspend', 'to suspend'],
            ['delete', 'to delete'],
            ['unchanged', 'unchanged']
        ].map(([key, text]) => ({
            key,
            text: `${summary[key] || 0} ${this.applied ? PAST[key] : text}`
        }));
    }
    get resultHeading() {
        if (this.applied) return 'Imported';
        return this.hasProblems ? 'Dry run: problems found' : 'Dry run: ready to apply';
    }
    get doneLabel() {
        return this.applied ? 'Done' : 'Cancel';
    }
    get canApply() {
        return this.dryRun && !this.hasProblems && !this.applied && !this.busy;
    }
    get applyDisabled() {
        return !this.canApply;
    }

    /** lightning-file-upload saved the file as a ContentVersion: the service dry-runs it from there. */
    handleUploaded(event) {
        const file = event.detail.files && event.detail.files[0];
        if (!file) return undefined;
        this.reset();
        this.fileName = file.name;
        this.contentVersionId = file.contentVersionId;
        return this.follow(
            'validating',
            importUsersFromFile({ contentVersionId: this.contentVersionId, dryRun: true })
        );
    }

    handleApply() {
        if (!this.canApply) return undefined;
        this.error = undefined;
        return this.follow(
            'applying',
            importUsersFromFile({ contentVersionId: this.contentVersionId, dryRun: false })
        );
    }

    /** Follows the dry-run or apply job to its report; the dialog stays open while it runs. */
    async follow(step, started) {
        this.step = step;
        this.disableClose = true;
        try {
            const report = await runJob(started, (job) => {
                this.job = job;
            });
            // The service re-validates on apply; a file that is no longer valid comes back unapplied, with its problems.
            if (report.applied) this.applied = report;
            else this.dryRun = report;
        } catch (error) {
            this.error = error;
        } finally {
            this.step = undefined;
            this.job = undefined;
            this.disableClose = false;
        }
    }

    async downloadResult() {
        try {
            downloadText(
                await downloadImportResult({ importId: this.report.resultId }),
                'roster-import-result.csv'
            );
        } catch (error) {
            this.error = error;
        }
    }

    reset() {
        this.dryRun = undefined;
        this.applied = undefined;
        this.error = undefined;
        this.contentVersionId = undefined;
    }

    handleDone() {
        this.close({ imported: !!this.applied, report: this.applied });
    }
}
