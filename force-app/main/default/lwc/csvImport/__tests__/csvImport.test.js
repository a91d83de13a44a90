import CsvImport from 'c/csvImport';
import importUsers from '@salesforce/apex/UsersController.importUsers';
import downloadImportResult from '@salesforce/apex/UsersController.downloadImportResult';
import {
    mount,
    cleanup,
    settle,
    byId,
    text,
    click,
    apexError,
    clone,
    errorText
} from 'roster-test';

const DRY_RUN = require('./data/importUsers.json');
const CSV =
    'Operation,Email,Role\nAdd,new.rep@example.com,Member\nAdd,bad.role@example.com,Chief\n';
const CLEAN = { ...clone(DRY_RUN), errors: [], errorCount: 0 };
const APPLIED = { ...CLEAN, dryRun: false, applied: true };

async function chooseFile(element, content = CSV) {
    const file = new File([content], 'users.csv', { type: 'text/csv' });
    byId(element, 'csv-file').dispatchEvent(
        new CustomEvent('change', { detail: { files: [file] } })
    );
    await settle(6);
}

describe('c-csv-import', () => {
    afterEach(cleanup);

    it('dry-runs the chosen file and lists every problem by line and column', async () => {
        importUsers.mockResolvedValue(clone(DRY_RUN));
        const element = mount('c-csv-import', CsvImport);
        await chooseFile(element);
        expect(importUsers).toHaveBeenCalledWith({ csv: CSV, dryRun: true });
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
        importUsers.mockResolvedValueOnce(clone(CLEAN));
        const element = mount('c-csv-import', CsvImport);
        const imported = jest.fn();
        element.addEventListener('applied', imported);
        await chooseFile(element);
        expect(text(element, 'import-summary')).toBe(
            '1 to add 0 to edit 0 to suspend 0 to delete 0 unchanged'
        );
        expect(byId(element, 'apply-import').disabled).toBe(false);

        let finish;
        importUsers.mockReturnValueOnce(new Promise((resolve) => (finish = resolve)));
        byId(element, 'apply-import').click();
        await settle();
        expect(text(element, 'import-progress')).toBe('Applying the changes…');
        finish(clone(APPLIED));
        await settle();

        expect(importUsers).toHaveBeenLastCalledWith({ csv: CSV, dryRun: false });
        expect(text(element, 'import-summary')).toBe(
            '1 added 0 edited 0 suspended 0 deleted 0 unchanged'
        );
        expect(imported).toHaveBeenCalled();
        expect(byId(element, 'import-progress')).toBeNull();
    });

    it('tells the page to refresh when the admin closes after importing', async () => {
        importUsers.mockResolvedValueOnce(clone(CLEAN)).mockResolvedValueOnce(clone(APPLIED));
        const element = mount('c-csv-import', CsvImport);
        const done = jest.fn();
        element.addEventListener('imported', done);
        await chooseFile(element);
        await click(element, 'apply-import');
        await click(element, 'import-done');
        expect(done).toHaveBeenCalled();
    });

    it('shows the problems instead when the file is no longer valid at apply time', async () => {
        importUsers
            .mockResolvedValueOnce(clone(CLEAN))
            .mockResolvedValueOnce({ ...clone(DRY_RUN), dryRun: false });
        const element = mount('c-csv-import', CsvImport);
        const applied = jest.fn();
        element.addEventListener('applied', applied);
        await chooseFile(element);
        await click(element, 'apply-import');
        expect(applied).not.toHaveBeenCalled();
        expect(byId(element, 'import-problems').data).toHaveLength(1);
    });

    it('downloads the result of each row', async () => {
        importUsers.mockResolvedValue(clone(DRY_RUN));
        downloadImportResult.mockResolvedValue('Line,Email,Outcome,Messages\n');
        const clicks = jest
            .spyOn(HTMLAnchorElement.prototype, 'click')
            .mockImplementation(() => {});
        const element = mount('c-csv-import', CsvImport);
        await chooseFile(element);
        await click(element, 'download-import-result');
        expect(downloadImportResult).toHaveBeenCalledWith({ importId: DRY_RUN.resultId });
        expect(clicks).toHaveBeenCalled();
        clicks.mockRestore();
    });

    it("shows the service's message when the file is refused", async () => {
        importUsers.mockRejectedValue(apexError('The file has no Email column.'));
        const element = mount('c-csv-import', CsvImport);
        await chooseFile(element, 'Name\nAda\n');
        expect(errorText(element)).toContain('The file has no Email column.');
    });

    it('is accessible', async () => {
        importUsers.mockResolvedValue(clone(DRY_RUN));
        const element = mount('c-csv-import', CsvImport);
        await chooseFile(element);
        await expect(element).toBeAccessible();
    });
});
