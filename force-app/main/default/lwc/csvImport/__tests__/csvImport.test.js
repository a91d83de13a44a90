import CsvImport from 'c/csvImport';
import importUsersFromFile from '@salesforce/apex/UsersController.importUsersFromFile';
import downloadImportResult from '@salesforce/apex/UsersController.downloadImportResult';
import {
    cleanup,
    settle,
    byId,
    text,
    click,
    apexError,
    clone,
    errorText,
    openModal
} from 'roster-test';

const DRY_RUN = require('./data/importUsersFromFile.json');
const CLEAN = { ...clone(DRY_RUN), errors: [], errorCount: 0 };
const APPLIED = { ...CLEAN, dryRun: false, applied: true };
const VERSION_ID = '068000000000001AAA';

/** The dialog as the page opens it (lightning/modal); resolves with what it closes with. */
function openDialog() {
    const closed = CsvImport.open({ size: 'medium', label: 'Import Users' });
    return { dialog: openModal(), closed };
}

/** lightning-file-upload saved the admin's file as a ContentVersion and reports it. */
async function upload(dialog, name = 'users.csv') {
    byId(dialog, 'csv-file').dispatchEvent(
        new CustomEvent('uploadfinished', {
            detail: {
                files: [{ name, documentId: '069000000000001AAA', contentVersionId: VERSION_ID }]
            }
        })
    );
    await settle(6);
}

describe('c-csv-import', () => {
    afterEach(cleanup);

    it('dry-runs the chosen file and lists every problem by line and column', async () => {
        importUsersFromFile.mockResolvedValue(clone(DRY_RUN));
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

    it('applies a clean file after the dry run, with progress, and reports what changed', async () => {
        importUsersFromFile.mockResolvedValueOnce(clone(CLEAN));
        const { dialog: element, closed } = openDialog();
        await upload(element);
        expect(text(element, 'import-summary')).toBe(
            '1 to add 0 to edit 0 to suspend 0 to delete 0 unchanged'
        );
        expect(byId(element, 'apply-import').disabled).toBe(false);

        let finish;
        importUsersFromFile.mockReturnValueOnce(new Promise((resolve) => (finish = resolve)));
        byId(element, 'apply-import').click();
        await settle();
        expect(text(element, 'import-progress')).toBe('Applying the changes…');
        finish(clone(APPLIED));
        await settle();

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

    it('closes without importing when the admin cancels after the dry run', async () => {
        importUsersFromFile.mockResolvedValueOnce(clone(CLEAN));
        const { dialog: element, closed } = openDialog();
        await upload(element);
        expect(byId(element, 'import-done').label).toBe('Cancel');
        await click(element, 'import-done');
        expect((await closed).imported).toBe(false);
        expect(importUsersFromFile).toHaveBeenCalledTimes(1);
    });

    it('shows the problems instead when the file is no longer valid at apply time', async () => {
        importUsersFromFile
            .mockResolvedValueOnce(clone(CLEAN))
            .mockResolvedValueOnce({ ...clone(DRY_RUN), dryRun: false });
        const { dialog: element } = openDialog();
        await upload(element);
        await click(element, 'apply-import');
        expect(byId(element, 'import-problems').data).toHaveLength(1);
        expect(byId(element, 'apply-import').disabled).toBe(true);
    });

    it('downloads the result of each row', async () => {
        importUsersFromFile.mockResolvedValue(clone(DRY_RUN));
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

    it("shows the service's message when the file is refused", async () => {
        importUsersFromFile.mockRejectedValue(apexError('The file has no Email column.'));
        const { dialog: element } = openDialog();
        await upload(element);
        expect(errorText(element)).toContain('The file has no Email column.');
    });

    it('is accessible', async () => {
        importUsersFromFile.mockResolvedValue(clone(DRY_RUN));
        const { dialog: element } = openDialog();
        await upload(element);
        await expect(element).toBeAccessible();
    });
});
