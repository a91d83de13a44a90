import CsvImport from 'c/csvImport';
import importUsersFromFile from '@salesforce/apex/UsersController.importUsersFromFile';
import downloadImportResult from '@salesforce/apex/UsersController.downloadImportResult';
import {
    cleanup,
    settle,
    byId,
    deepById,
    text,
    click,
    apexError,
    clone,
    errorText,
    jobAnswers,
    openModal
} from 'roster-test';

const DRY_RUN = require('./data/importUsersFromFile.json');
const CLEAN = { ...clone(DRY_RUN), errors: [], errorCount: 0 };
const APPLIED = { ...CLEAN, dryRun: false, applied: true };
const VERSION_ID = '068000000000001AAA';
const READING = 'Reading and checking rows';

/** The dialog as the page opens it (lightning/modal); resolves with what it closes with. */
function openDialog(props = {}) {
    const closed = CsvImport.open({ size: 'medium', label: 'Import Users', ...props });
    return { dialog: openModal(), closed };
}

/** The dry run and the apply run as service jobs: each start answers with a job the dialog polls. */
const importJob = (result, more = {}) =>
    jobAnswers(importUsersFromFile, { kind: 'users.import.file', result, ...more });
const jobsEnd = () => settle(12);

/** lightning-file-upload saved the admin's file as a ContentVersion and reports it. */
async function upload(dialog, name = 'users.csv') {
    byId(dialog, 'csv-file').dispatchEvent(
        new CustomEvent('uploadfinished', {
            detail: {
                files: [{ name, documentId: '069000000000001AAA', contentVersionId: VERSION_ID }]
            }
        })
    );
    await jobsEnd();
}

/** The progress bar as the admin reads it: phase, counts and how full it is. */
const progress = (dialog) => ({
    step: text(dialog, 'import-step'),
    phase: deepById(dialog, 'job-phase').textContent,
    counts: deepById(dialog, 'job-counts').textContent,
    value: deepById(dialog, 'job-bar').value
});

describe('c-csv-import', () => {
    afterEach(cleanup);

    it('dry-runs the chosen file and lists every problem by line and column', async () => {
        importJob(clone(DRY_RUN));
        const { dialog: element } = openDialog();
        await upload(element);
        expect(importUsersFromFile).toHaveBeenCalledWith({
            contentVersionId: VERSION_ID,
            dryRun: true
        });
        expect(text(element, 'file-name')).toBe('users.csv');
        expect(byId(element, 'import-problems').data).toEqual([
            expect.objectContaining({
                line: 3,
                column: 'Role',
                message: 'Role must be Admin, Manager, Member or Data.'
            })
        ]);
        expect(text(element, 'import-problem-count')).toContain('nothing was imported');
        expect(byId(element, 'apply-import').disabled).toBe(true);
    });

    it('applies a clean file after the dry run, with a progress bar that moves, and reports what changed', async () => {
        importJob(clone(CLEAN));
        const { dialog: element, closed } = openDialog();
        await upload(element);
        expect(text(element, 'import-summary')).toBe(
            '1 to add 0 to edit 0 to suspend 0 to delete 0 unchanged'
        );
        expect(byId(element, 'apply-import').disabled).toBe(false);

        const apply = importJob(clone(APPLIED), {
            hold: true,
            steps: [
                { phase: READING, done: 25000, total: 100000 },
                { phase: 'Applying the changes', done: 50000, total: 100000 }
            ]
        });
        byId(element, 'apply-import').click();
        await jobsEnd();
        expect(progress(element)).toEqual({
            step: 'Applying the changes…',
            phase: 'Applying the changes',
            counts: '50,000 of 100,000',
            value: 50
        });
        expect(byId(element, 'import-done').disabled).toBe(true);
        apply.release();
        await jobsEnd();

        expect(importUsersFromFile).toHaveBeenLastCalledWith({
            contentVersionId: VERSION_ID,
            dryRun: false
        });
        expect(text(element, 'import-summary')).toBe(
            '1 added 0 edited 0 suspended 0 deleted 0 unchanged'
        );
        expect(byId(element, 'import-progress')).toBeNull();
        await click(element, 'import-done');
        expect((await closed).imported).toBe(true);
    });

    it('shows the rows read of the file while the dry run checks it', async () => {
        const dry = importJob(clone(CLEAN), {
            hold: true,
            steps: [{ phase: READING, done: 12000, total: 100000 }]
        });
        const { dialog: element } = openDialog();
        await upload(element);
        expect(progress(element)).toEqual({
            step: 'Checking every row…',
            phase: READING,
            counts: '12,000 of 100,000',
            value: 12
        });
        expect(byId(element, 'apply-import').disabled).toBe(true);
        dry.release();
        await jobsEnd();
        expect(byId(element, 'import-progress')).toBeNull();
        expect(byId(element, 'apply-import').disabled).toBe(false);
    });

    it('opens at the progress bar of an import still running after a page reload, then shows its result', async () => {
        const running = jobAnswers(null, {
            kind: 'users.import.file',
            result: clone(APPLIED),
            params: { contentVersionId: VERSION_ID, dryRun: false },
            hold: true,
            steps: [{ phase: 'Applying the changes', done: 40000, total: 100000 }]
        });
        const { dialog: element, closed } = openDialog({ running: running.job });
        await jobsEnd();
        expect(progress(element)).toMatchObject({ step: 'Applying the changes…', value: 40 });
        running.release();
        await jobsEnd();
        expect(importUsersFromFile).not.toHaveBeenCalled();
        expect(text(element, 'import-summary')).toBe(
            '1 added 0 edited 0 suspended 0 deleted 0 unchanged'
        );
        await click(element, 'import-done');
        expect((await closed).imported).toBe(true);
    });

    it('says so when another import is already running instead of starting a second', async () => {
        importUsersFromFile.mockRejectedValue(
            apexError(
                'This is already running: follow the running job instead of starting another.'
            )
        );
        const { dialog: element } = openDialog();
        await upload(element);
        expect(errorText(element)).toContain('This is already running');
        expect(byId(element, 'import-progress')).toBeNull();
    });

    it('shows why the import job failed', async () => {
        importJob(null, {
            error: {
                code: 'not_found',
                message: 'Salesforce file 068000000000001AAA was not found.'
            }
        });
        const { dialog: element } = openDialog();
        await upload(element);
        expect(errorText(element)).toContain('Salesforce file 068000000000001AAA was not found.');
        expect(byId(element, 'import-summary')).toBeNull();
        expect(byId(element, 'import-done').disabled).toBe(false);
    });

    it('says how many problems are not listed when a large file has more than the dialog shows', async () => {
        importJob({ ...clone(DRY_RUN), errorCount: 700 });
        const { dialog: element } = openDialog();
        await upload(element);
        expect(text(element, 'more-problems')).toBe(
            'The first 1 of 700 problems are listed; download the result of each row for all of them.'
        );
    });

    it('closes without importing when the admin cancels after the dry run', async () => {
        importJob(clone(CLEAN));
        const { dialog: element, closed } = openDialog();
        await upload(element);
        expect(byId(element, 'import-done').label).toBe('Cancel');
        await click(element, 'import-done');
        expect((await closed).imported).toBe(false);
        expect(importUsersFromFile).toHaveBeenCalledTimes(1);
    });

    it('shows the problems instead when the file is no longer valid at apply time', async () => {
        importJob(clone(CLEAN));
        importJob({ ...clone(DRY_RUN), dryRun: false });
        const { dialog: element } = openDialog();
        await upload(element);
        await click(element, 'apply-import');
        await jobsEnd();
        expect(byId(element, 'import-problems').data).toHaveLength(1);
        expect(byId(element, 'apply-import').disabled).toBe(true);
    });

    it('downloads the result of each row', async () => {
        importJob(clone(DRY_RUN));
        downloadImportResult.mockResolvedValue('Line,Email,Outcome,Messages\n');
        const clicks = jest
            .spyOn(HTMLAnchorElement.prototype, 'click')
            .mockImplementation(() => {});
        const { dialog: element } = openDialog();
        await upload(element);
        await click(element, 'download-import-result');
        expect(downloadImportResult).toHaveBeenCalledWith({ importId: DRY_RUN.resultId });
        expect(clicks).toHaveBeenCalled();
        clicks.mockRestore();
    });

    it('links the result of each row as a Salesforce file when the job saved one', async () => {
        const resultFile = {
            contentVersionId: '068000000000003AAA',
            contentDocumentId: '069000000000003AAA',
            title: 'Roster import result 2026-12-02',
            size: 4200000,
            downloadUrl: '/sfc/servlet.shepherd/version/download/068000000000003AAA'
        };
        importJob({ ...clone(DRY_RUN), resultFile });
        const { dialog: element } = openDialog();
        await upload(element);
        expect(byId(element, 'download-import-result').getAttribute('href')).toBe(
            resultFile.downloadUrl
        );
        expect(downloadImportResult).not.toHaveBeenCalled();
    });

    it("shows the service's message when the file is refused", async () => {
        importUsersFromFile.mockRejectedValue(apexError('The file has no Email column.'));
        const { dialog: element } = openDialog();
        await upload(element);
        expect(errorText(element)).toContain('The file has no Email column.');
    });

    it('is accessible', async () => {
        importJob(clone(DRY_RUN));
        const { dialog: element } = openDialog();
        await upload(element);
        await expect(element).toBeAccessible();
    });
});
