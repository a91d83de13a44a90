import LightningModal from 'lightning/modal';
import { importUsersFromFile, downloadImportResult } from 'c/rosterService';
import { downloadText } from 'c/rosterVocabulary';

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
 * Closes with { imported } so the page knows whether to reload.
 */
export default class CsvImport extends LightningModal {
    errorColumns = ERROR_COLUMNS;
    acceptedFormats = ['.csv'];
    fileName;
    contentVersionId;
    dryRun;
    applied;
    error;
    step; // 'validating' | 'applying'

    get busy() {
        return !!this.step;
    }
    get progress() {
        return { validating: 50, applying: 80 }[this.step] || 0;
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
    get summaryItems() {
        const summary = (this.applied || this.dryRun || {}).summary || {};
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
    async handleUploaded(event) {
        const file = event.detail.files && event.detail.files[0];
        if (!file) return;
        this.reset();
        this.fileName = file.name;
        this.contentVersionId = file.contentVersionId;
        try {
            this.step = 'validating';
            this.disableClose = true;
            this.dryRun = await importUsersFromFile({
                contentVersionId: this.contentVersionId,
                dryRun: true
            });
        } catch (error) {
            this.error = error;
        } finally {
            this.step = undefined;
            this.disableClose = false;
        }
    }

    async handleApply() {
        if (!this.canApply) return;
        this.error = undefined;
        try {
            this.step = 'applying';
            this.disableClose = true;
            const report = await importUsersFromFile({
                contentVersionId: this.contentVersionId,
                dryRun: false
            });
            // The service re-validates on apply; a file that is no longer valid comes back unapplied, with its problems.
            if (report.applied) this.applied = report;
            else this.dryRun = report;
        } catch (error) {
            this.error = error;
        } finally {
            this.step = undefined;
            this.disableClose = false;
        }
    }

    async downloadResult() {
        try {
            const report = this.applied || this.dryRun;
            downloadText(
                await downloadImportResult({ importId: report.resultId }),
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
