import PermissionErrors from 'c/permissionErrors';
import listPermissionErrors from '@salesforce/apex/PermissionErrorsController.listPermissionErrors';
import exportPermissionErrorsToFile from '@salesforce/apex/PermissionErrorsController.exportPermissionErrorsToFile';
import getMailboxStats from '@salesforce/apex/PermissionErrorsController.getMailboxStats';
import testAccess from '@salesforce/apex/PermissionErrorsController.testAccess';
import {
    mount,
    cleanup,
    settle,
    byId,
    text,
    click,
    apexError,
    clone,
    errorText,
    jobAnswers,
    deepById,
    words
} from 'roster-test';

const ERRORS = require('./data/listPermissionErrors.json');
const TEST_ACCESS = require('./data/testAccess.json');
const [GRACE] = ERRORS.items;

/** The tab as Users and Teams mounts it, with the list from the screen's answer; a re-probe reloads the same. */
async function openTab(data = ERRORS, provider = 'google') {
    listPermissionErrors.mockResolvedValue(clone(data));
    getMailboxStats.mockResolvedValue({ provider });
    const element = mount('c-permission-errors', PermissionErrors, {
        data: { list: clone(data), stats: { provider } }
    });
    await settle();
    return element;
}

describe('c-permission-errors', () => {
    afterEach(cleanup);

    it('lists errored users by email with since, reason, fix and what the provider said', async () => {
        const element = await openTab();
        const [row] = byId(element, 'permission-error-table').data;
        expect(row).toMatchObject({
            email: 'grace@example.com',
            since: GRACE.since,
            reasonText: `${GRACE.reason.label}: ${GRACE.reason.reason}`,
            fix: GRACE.reason.fix,
            providerMessage: '403 Not Authorized to access this resource/api'
        });
    });

    it('tests access now for one user and reports the outcome', async () => {
        testAccess.mockResolvedValue(clone(TEST_ACCESS));
        const element = await openTab();
        byId(element, 'permission-error-table').dispatchEvent(
            new CustomEvent('rowaction', {
                detail: {
                    action: { name: 'test' },
                    row: byId(element, 'permission-error-table').data[0]
                }
            })
        );
        await settle();
        expect(testAccess).toHaveBeenCalledWith({ userId: GRACE.userId });
        expect(text(element, 'test-access-result')).toBe('grace@example.com: access works now.');
    });

    it('says what still fails when the re-probe fails', async () => {
        testAccess.mockResolvedValue({
            ...clone(TEST_ACCESS),
            outcome: 'hard',
            reason: GRACE.reason
        });
        const element = await openTab();
        const table = byId(element, 'permission-error-table');
        table.dispatchEvent(
            new CustomEvent('rowaction', {
                detail: { action: { name: 'test' }, row: table.data[0] }
            })
        );
        await settle();
        expect(text(element, 'test-access-result')).toBe(
            `grace@example.com: still failing (${GRACE.reason.label}). ${GRACE.reason.fix}`
        );
    });

    it('exports users with errors as a Salesforce file, with a progress bar, and offers its download link, never a data: URI', async () => {
        const file = {
            contentVersionId: '068000000000004AAA',
            contentDocumentId: '069000000000004AAA',
            title: 'Roster permission errors 2026-12-01',
            size: 12288,
            downloadUrl: '/sfc/servlet.shepherd/version/download/068000000000004AAA'
        };
        const job = jobAnswers(exportPermissionErrorsToFile, {
            kind: 'permission-errors.export.file',
            result: file,
            hold: true,
            steps: [{ phase: 'Writing every user with a permission error to the file', done: 0 }]
        });
        const clicks = jest.spyOn(HTMLAnchorElement.prototype, 'click');
        const element = await openTab();
        await click(element, 'export-permission-errors');
        await settle(6);
        expect(byId(element, 'export-permission-errors').disabled).toBe(true);
        expect(byId(element, 'export-permission-errors').label).toBe('Exporting…');
        expect(words(deepById(deepById(element, 'export-progress'), 'job-progress'))).toContain(
            'Writing every user with a permission error to the file'
        );
        await click(element, 'export-permission-errors');
        expect(exportPermissionErrorsToFile).toHaveBeenCalledTimes(1);
        job.release();
        await settle(6);
        expect(byId(element, 'export-download').getAttribute('href')).toBe(file.downloadUrl);
        expect(text(element, 'export-ready')).toBe(
            'Export ready: Download Roster permission errors 2026-12-01 (12 KB) It is saved in your Salesforce Files.'
        );
        expect(clicks).not.toHaveBeenCalled();
        expect(byId(element, 'export-progress')).toBeNull();
        expect(byId(element, 'export-permission-errors').disabled).toBe(false);
        clicks.mockRestore();
    });

    it('shows the error when the export fails', async () => {
        exportPermissionErrorsToFile.mockRejectedValue(
            apexError('No mailbox provider is configured.')
        );
        const element = await openTab();
        await click(element, 'export-permission-errors');
        await settle();
        expect(errorText(element)).toContain('No mailbox provider is configured.');
        expect(byId(element, 'export-ready')).toBeNull();
    });

    it('shows why the export job failed', async () => {
        jobAnswers(exportPermissionErrorsToFile, {
            kind: 'permission-errors.export.file',
            error: {
                code: 'actor_id_required',
                message: 'Sharing the file needs the Salesforce user id of the acting admin.'
            }
        });
        const element = await openTab();
        await click(element, 'export-permission-errors');
        await settle(6);
        expect(errorText(element)).toContain('Sharing the file needs the Salesforce user id');
        expect(byId(element, 'export-permission-errors').disabled).toBe(false);
    });

    it('says when nobody has a permission error', async () => {
        const element = await openTab({ total: 0, items: [] });
        expect(text(element, 'empty-permission-errors')).toContain('No permission errors');
        expect(byId(element, 'no-mailbox-provider')).toBeNull();
    });

    it('says no mailbox is checked until a provider is set up, never that every mailbox works', async () => {
        const element = await openTab({ total: 0, items: [] }, null);
        expect(byId(element, 'empty-permission-errors')).toBeNull();
        expect(text(element, 'no-mailbox-provider')).toContain(
            'No mailbox provider is set up: Roster cannot read anyone'
        );
        expect(byId(element, 'permission-error-table')).toBeNull();
    });

    it('shows why the list could not be reloaded after a test', async () => {
        const element = await openTab();
        testAccess.mockResolvedValue(clone(TEST_ACCESS));
        listPermissionErrors.mockRejectedValue({
            body: { message: 'The Roster service answered 502 Error.' }
        });
        byId(element, 'permission-error-table').dispatchEvent(
            new CustomEvent('rowaction', { detail: { row: { userId: GRACE.userId } } })
        );
        await settle();
        expect(errorText(element)).toContain('The Roster service answered 502 Error.');
    });

    it('is accessible', async () => {
        const element = await openTab();
        await expect(element).toBeAccessible();
    });
});
