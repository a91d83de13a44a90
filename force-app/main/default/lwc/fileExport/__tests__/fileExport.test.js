import FileExport from 'c/fileExport';
import { mount, cleanup, settle } from 'roster-test';

const file = (size) => ({
    title: 'Roster users 2026-12-01',
    size,
    downloadUrl: '/sfc/servlet.shepherd/version/download/068000000000001AAA'
});

describe('c-file-export', () => {
    afterEach(cleanup);

    it('links to the Salesforce file with its title and size, for the browser to download', async () => {
        const element = mount('c-file-export', FileExport, { file: file(2516582) });
        await settle();
        const link = element.querySelector('[data-id="export-download"]');
        expect(link.getAttribute('href')).toBe(
            '/sfc/servlet.shepherd/version/download/068000000000001AAA'
        );
        expect(link.hasAttribute('download')).toBe(true);
        expect(element.textContent.replace(/\s+/g, ' ').trim()).toBe(
            'Export ready: Download Roster users 2026-12-01 (2.4 MB) It is saved in your Salesforce Files.'
        );
    });

    it('names a small file in KB, never 0 KB', async () => {
        const element = mount('c-file-export', FileExport, { file: file(90) });
        await settle();
        expect(element.textContent).toContain('(1 KB)');
    });

    it('shows the job’s progress while it runs, and no link yet', async () => {
        const job = {
            id: 'j1',
            kind: 'users.export.file',
            state: 'running',
            phase: 'Writing every user to the file',
            done: 5,
            total: 10
        };
        const element = mount('c-file-export', FileExport, { job });
        await settle();
        expect(element.querySelector('[data-id="export-progress"] c-job-progress').job).toEqual(
            job
        );
        expect(element.querySelector('[data-id="export-ready"]')).toBeNull();
    });

    it('is accessible', async () => {
        const element = mount('c-file-export', FileExport, { file: file(4096) });
        await settle();
        await expect(element).toBeAccessible();
    });
});
