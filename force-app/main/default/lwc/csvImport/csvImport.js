import { LightningElement } from 'lwc';
import { importUsers, downloadImportResult } from 'c/rosterService';
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

function readText(file) {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result);
        reader.onerror = () => reject(reader.error);
        reader.readAsText(file);
    });
}

/**
 * Import Users: the admin picks a CSV file, sees a dry run (every problem by line and column, and what
 * would change), then applies it; the service applies the whole file or nothing.
 */
export default class CsvImport extends LightningElement {
    errorColumns = ERROR_COLUMNS;
    fileName;
    csv;
    dryRun;
    applied;
    error;
    step; // 'reading' | 'validating' | 'applying'

    get busy() {
        return !!this.step;
    }
    get progress() {
        return { reading: 20, validating: 50, applying: 80 }[this.step] || 0;
    }
    get progressLabel() {
        return {
            reading: 'Reading the file…',
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

    async handleFile(event) {
        const file = event.detail.files && event.detail.files[0];
        if (!file) return;
        this.reset();
        this.fileName = file.name;
        try {
            this.step = 'reading';
            this.csv = await readText(file);
            this.step = 'validating';
            this.dryRun = await importUsers({ csv: this.csv, dryRun: true });
        } catch (error) {
            this.error = error;
        } finally {
            this.step = undefined;
        }
    }

    async handleApply() {
        this.error = undefined;
        try {
            this.step = 'applying';
            const report = await importUsers({ csv: this.csv, dryRun: false });
            // The service re-validates on apply; a file that is no longer valid comes back unapplied, with its problems.
            if (report.applied) {
                this.applied = report;
                this.dispatchEvent(new CustomEvent('applied', { detail: report }));
            } else {
                this.dryRun = report;
            }
        } catch (error) {
            this.error = error;
        } finally {
            this.step = undefined;
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
        this.csv = undefined;
    }

    handleDone() {
        this.dispatchEvent(new CustomEvent(this.applied ? 'imported' : 'close'));
    }
}
