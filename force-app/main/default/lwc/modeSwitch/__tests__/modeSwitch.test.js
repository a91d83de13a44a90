import ModeSwitch from 'c/modeSwitch';
import previewMode from '@salesforce/apex/ModeController.previewMode';
import setMode from '@salesforce/apex/ModeController.setMode';
import {
    mount,
    cleanup,
    settle,
    byId,
    text,
    click,
    change,
    apexError,
    clone,
    errorText,
    jobAnswers,
    runningJobs,
    openModal,
    deepById,
    words
} from 'roster-test';

const dialog = () => openModal();
/** The rows of the preview's paged table on the page shown, as the admin reads them. */
const previewRows = () =>
    [...deepById(dialog(), 'table').querySelectorAll('tbody tr')].map((tr) => words(tr));

const MODE = require('./data/getMode.json');
const PREVIEW = require('./data/previewMode.json');

/** The indicator as Users and Teams mounts it, with the mode from the screen's answer. */
async function openIndicator(mode = MODE) {
    const element = mount('c-mode-switch', ModeSwitch, { state: clone(mode) });
    await settle();
    return element;
}

/** The preview and the switch run as service jobs: each start answers with a job the screen polls. */
const previewJob = (result = clone(PREVIEW), more = {}) =>
    jobAnswers(previewMode, { kind: 'mode.preview', result, ...more });
const switchJob = (result, more = {}) =>
    jobAnswers(setMode, { kind: 'mode.change', result, ...more });
const jobsEnd = () => settle(12);

describe('c-mode-switch', () => {
    afterEach(cleanup);

    it('shows the current Manage Mode', async () => {
        const element = await openIndicator();
        expect(text(element, 'mode-label')).toBe('Manual');
    });

    it('previews what enabling Automatic Mode would change before asking to confirm', async () => {
        previewJob();
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        expect(previewMode).toHaveBeenCalledWith({ mode: 'automatic', hierarchySource: 'role' });
        expect(byId(dialog(), 'hierarchy-source').value).toBe('role');
        expect(text(dialog(), 'mode-warning')).toContain(
            'replaces your teams with the Salesforce role hierarchy'
        );
        expect(text(dialog(), 'preview-summary')).toBe(
            'Teams to create (2) Teams to replace (1) Users to create (1) Users to move (1) ' +
                'Users not in the Salesforce hierarchy (kept, moved to the top-level team) (1) ' +
                'Salesforce users skipped (1)'
        );
        expect(previewRows()).toEqual([
            'Teams to create VP Sales (under Top-level team)',
            'Teams to create AE West (under VP Sales)',
            'Teams to replace West (its id will lead to AE West)',
            'Users to create New Rep (new.rep@example.com) in AE West',
            'Users to move grace@example.com: West → AE West',
            'Users not in the Salesforce hierarchy (kept, moved to the top-level team) ada@example.com',
            'Salesforce users skipped Old Rep (old.rep@example.com): inactive in Salesforce'
        ]);
        expect(byId(dialog(), 'preview-users-suspend')).toBeNull();
        expect(setMode).not.toHaveBeenCalled();
    });

    it('switches only when the admin confirms, then tells the page', async () => {
        previewJob();
        switchJob({ ...clone(MODE), mode: 'automatic' });
        const element = await openIndicator();
        const changed = jest.fn();
        element.addEventListener('modechanged', changed);
        const started = jest.fn();
        element.addEventListener('jobstarted', started);
        await click(element, 'change-mode');
        await jobsEnd();
        await click(dialog(), 'confirm-mode');
        await jobsEnd();
        expect(setMode).toHaveBeenCalledWith({
            mode: 'automatic',
            hierarchySource: 'role',
            previewToken: PREVIEW.previewToken
        });
        expect(started).toHaveBeenCalledTimes(1);
        expect(changed.mock.calls[0][0].detail).toEqual({ mode: 'automatic' });
        expect(text(element, 'mode-label')).toBe('Automatic');
        expect(text(element, 'mode-source')).toBe('(Role hierarchy)');
    });

    it('builds teams from Salesforce managers when the admin picks the manager hierarchy', async () => {
        const byManager = {
            ...clone(PREVIEW),
            hierarchySource: 'manager',
            previewToken: 'mode1.by-manager',
            teams: {
                create: [{ name: 'Ada Lovelace', parentName: 'Top-level team' }],
                rename: [],
                move: [],
                delete: []
            }
        };
        previewJob();
        previewJob(byManager);
        switchJob({ ...clone(MODE), mode: 'automatic', hierarchySource: 'manager' });
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        await change(dialog(), 'hierarchy-source', 'manager');
        await jobsEnd();
        expect(previewMode).toHaveBeenLastCalledWith({
            mode: 'automatic',
            hierarchySource: 'manager'
        });
        expect(text(dialog(), 'mode-warning')).toContain(
            'replaces your teams with teams built from Salesforce managers (a team per manager)'
        );
        expect(text(dialog(), 'preview-teams-create')).toBe('Teams to create (1)');
        expect(previewRows()[0]).toBe('Teams to create Ada Lovelace (under Top-level team)');
        await click(dialog(), 'confirm-mode');
        await jobsEnd();
        expect(setMode).toHaveBeenCalledWith({
            mode: 'automatic',
            hierarchySource: 'manager',
            previewToken: 'mode1.by-manager'
        });
        expect(text(element, 'mode-source')).toBe('(Manager hierarchy: a team per manager)');
    });

    it('opens one dialog however often Change is clicked, and Cancel closes it without switching', async () => {
        previewJob();
        const element = await openIndicator();
        await click(element, 'change-mode');
        await click(element, 'change-mode');
        await jobsEnd();
        expect(document.body.querySelectorAll('[data-modal="open"]').length).toBe(1);
        expect(previewMode).toHaveBeenCalledTimes(1);
        await click(dialog(), 'cancel-mode');
        expect(dialog()).toBeNull();
        expect(setMode).not.toHaveBeenCalled();
        expect(text(element, 'mode-label')).toBe('Manual');
    });

    it('pages through a preview that moves many users, after the summary', async () => {
        const many = clone(PREVIEW);
        many.users.move = Array.from({ length: 23 }, (_, i) => ({
            email: `rep${i + 1}@example.com`,
            fromTeam: 'West',
            toTeam: 'AE West'
        }));
        previewJob(many);
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        expect(text(dialog(), 'preview-users-move')).toBe('Users to move (23)');
        const table = dialog().shadowRoot.querySelector('c-paged-table');
        expect(text(table, 'page-range')).toBe('1–10 of 29');
        await click(table, 'page-next');
        await click(table, 'page-next');
        expect(text(table, 'page-range')).toBe('21–29 of 29');
        expect(previewRows()).toContain('Users to move rep23@example.com: West → AE West');
        expect(byId(table, 'page-next').disabled).toBe(true);
    });

    it('counts every change of a 100k-user preview, though the service lists only the first 500 of each kind', async () => {
        const large = clone(PREVIEW);
        large.users.create = Array.from({ length: 500 }, (_, i) => ({
            email: `hire${i}@example.com`,
            name: `Hire ${i}`,
            teamName: 'AE West'
        }));
        large.users.move = [];
        previewJob(large, { omitted: { 'users.create': 99_500 } });
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        expect(text(dialog(), 'preview-users-create')).toBe('Users to create (100,000)');
        expect(text(dialog(), 'preview-not-listed')).toBe(
            'The table lists the first changes of each kind; 99,500 more are counted above but not listed.'
        );
    });

    it('counts every change of the new preview a refused switch brings, listed or not', async () => {
        const fresher = clone(PREVIEW);
        fresher.previewToken = 'mode1.fresher';
        fresher.users.suspend = Array.from({ length: 500 }, (_, i) => ({
            email: `gone${i}@example.com`,
            reason: 'Deactivated in Salesforce'
        }));
        previewJob();
        switchJob(null, {
            error: {
                code: 'preview_stale',
                message: 'Salesforce or Roster changed since the preview.',
                details: { changed: [], preview: fresher }
            },
            omitted: { 'error.details.preview.users.suspend': 1500 }
        });
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        expect(byId(dialog(), 'preview-not-listed')).toBeNull();
        await click(dialog(), 'confirm-mode');
        await jobsEnd();
        expect(text(dialog(), 'preview-users-suspend')).toBe('Users to suspend (2,000)');
        expect(text(dialog(), 'preview-not-listed')).toContain('1,500 more are counted above');
    });

    it('shows the hierarchy source Automatic Mode uses, and none in Manual Mode', async () => {
        const automatic = await openIndicator({
            ...MODE,
            mode: 'automatic',
            hierarchySource: 'manager'
        });
        expect(text(automatic, 'mode-source')).toBe('(Manager hierarchy: a team per manager)');
        cleanup();
        const manual = await openIndicator();
        expect(byId(manual, 'mode-source')).toBeNull();
    });

    it('offers the way back to Manual Mode', async () => {
        previewJob({
            ...clone(PREVIEW),
            mode: 'manual',
            teams: { create: [], rename: [], move: [], delete: [] },
            users: { create: [], move: [], suspend: [], unmatched: [] },
            skipped: []
        });
        const element = await openIndicator({ ...MODE, mode: 'automatic' });
        await click(element, 'change-mode');
        await jobsEnd();
        expect(previewMode).toHaveBeenCalledWith({ mode: 'manual' });
        expect(byId(dialog(), 'hierarchy-source')).toBeNull();
        expect(text(dialog(), 'mode-warning')).toContain('stops syncing with Salesforce');
        expect(text(dialog(), 'preview-nothing')).toBe('Nothing changes in teams or users.');
        // No "What will change" heading over an empty list, and no empty table.
        expect(dialog().shadowRoot.textContent).not.toContain('What will change');
        expect(byId(dialog(), 'preview-summary')).toBeNull();
        expect(byId(dialog(), 'preview-table')).toBeNull();
    });

    it('explains why Automatic Mode cannot be enabled yet: the preview job failed', async () => {
        previewJob(null, {
            error: {
                code: 'salesforce_connection_failing',
                message: 'Automatic Mode needs a working Salesforce connection.'
            }
        });
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        expect(errorText(dialog())).toContain(
            'Automatic Mode needs a working Salesforce connection.'
        );
        expect(byId(dialog(), 'preview-progress')).toBeNull();
        expect(byId(dialog(), 'confirm-mode').disabled).toBe(true);
    });

    it('holds the switch and says why when the rules would lock the admin out', async () => {
        const why =
            'The rules bring your own Salesforce user (ada@example.com) in as Member, not Admin: after the switch ' +
            'Roster knows you as that user, so you could change nothing, switching back to Manual Mode included. ' +
            'Add a User Settings Rule that makes you an Admin first.';
        previewJob({ ...clone(PREVIEW), blockers: [why] });
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        expect(text(dialog(), 'preview-blocker')).toBe(why);
        expect(byId(dialog(), 'preview-blocker').variant).toBe('warning');
        expect(byId(dialog(), 'preview-blocker').assertive).toBe(true);
        expect(byId(dialog(), 'confirm-mode').disabled).toBe(true);
        expect(setMode).not.toHaveBeenCalled();
    });

    it('lets the admin confirm when nothing holds the switch', async () => {
        previewJob();
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        expect(byId(dialog(), 'preview-blocker')).toBeNull();
        expect(byId(dialog(), 'confirm-mode').disabled).toBe(false);
    });

    it('says so when a switch is already running instead of starting another', async () => {
        previewMode.mockRejectedValue(apexError('This is already running.'));
        const element = await openIndicator();
        await click(element, 'change-mode');
        expect(errorText(dialog())).toContain('This is already running.');
    });

    it('shows the preview’s progress while it reads the Salesforce users', async () => {
        const job = previewJob(clone(PREVIEW), {
            hold: true,
            steps: [{ phase: 'Reading Salesforce users', done: 2000, total: 4501 }]
        });
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        const progress = byId(dialog(), 'preview-progress');
        expect(text(progress, 'job-phase')).toBe('Reading Salesforce users');
        expect(text(progress, 'job-counts')).toBe('2,000 of 4,501');
        expect(byId(progress, 'job-bar').value).toBe(44);
        expect(byId(dialog(), 'confirm-mode').disabled).toBe(true);
        expect(byId(dialog(), 'hierarchy-source').disabled).toBe(true);
        job.release();
        await jobsEnd();
        expect(byId(dialog(), 'preview-progress')).toBeNull();
        expect(previewRows()).toContain('Users to create New Rep (new.rep@example.com) in AE West');
    });

    it('enables Automatic Mode with a progress bar that moves, then tells the page', async () => {
        previewJob();
        const job = switchJob(
            { ...clone(MODE), mode: 'automatic' },
            {
                hold: true,
                steps: [
                    { phase: 'Reading Salesforce users', done: 2000, total: 4501 },
                    { phase: 'Reading Salesforce users', done: 4000, total: 4501 }
                ]
            }
        );
        const element = await openIndicator();
        const changed = jest.fn();
        element.addEventListener('modechanged', changed);
        await click(element, 'change-mode');
        await jobsEnd();
        await click(dialog(), 'confirm-mode');
        await jobsEnd();
        const progress = byId(dialog(), 'switch-progress');
        expect(text(progress, 'job-counts')).toBe('4,000 of 4,501');
        expect(byId(progress, 'job-bar').value).toBe(88);
        expect(changed).not.toHaveBeenCalled();
        job.release();
        await jobsEnd();
        expect(changed.mock.calls[0][0].detail).toEqual({ mode: 'automatic' });
        expect(dialog()).toBeNull();
        expect(text(element, 'mode-label')).toBe('Automatic');
    });

    it('keeps the dialog open with the reason when the switch job fails', async () => {
        previewJob();
        switchJob(null, {
            error: { code: 'enable_failed', message: 'Automatic Mode was not enabled: blocked.' }
        });
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        await click(dialog(), 'confirm-mode');
        await jobsEnd();
        expect(errorText(dialog())).toContain('Automatic Mode was not enabled: blocked.');
        expect(text(element, 'mode-label')).toBe('Manual');
        expect(byId(dialog(), 'confirm-mode')).not.toBeNull();
    });

    it('shows what changed and the new preview when Salesforce changed since the preview, switching nothing', async () => {
        const fresher = clone(PREVIEW);
        fresher.previewToken = 'mode1.fresher';
        fresher.users.suspend = [
            { email: 'grace@example.com', reason: 'Deactivated in Salesforce' }
        ];
        const message =
            'Salesforce or Roster changed since the preview (users to suspend: 0 -> 1), so nothing was applied. ' +
            'Review the new preview, then apply again.';
        previewJob();
        switchJob(null, {
            error: { code: 'preview_stale', message, details: { changed: [], preview: fresher } }
        });
        switchJob({ ...clone(MODE), mode: 'automatic' });
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        expect(byId(dialog(), 'preview-users-suspend')).toBeNull();
        await click(dialog(), 'confirm-mode');
        await jobsEnd();
        expect(text(dialog(), 'mode-notice')).toBe(message);
        expect(errorText(dialog())).toBe('');
        expect(text(dialog(), 'preview-users-suspend')).toBe('Users to suspend (1)');
        expect(previewRows()).toContain(
            'Users to suspend grace@example.com: Deactivated in Salesforce'
        );
        expect(previewMode).toHaveBeenCalledTimes(1);
        expect(text(element, 'mode-label')).toBe('Manual');
        expect(byId(dialog(), 'confirm-mode').disabled).toBe(false);
        await click(dialog(), 'confirm-mode');
        await jobsEnd();
        expect(setMode).toHaveBeenLastCalledWith({
            mode: 'automatic',
            hierarchySource: 'role',
            previewToken: 'mode1.fresher'
        });
        expect(dialog()).toBeNull();
        expect(text(element, 'mode-label')).toBe('Automatic');
    });

    it('picks up a switch still running after a page reload, at its progress bar', async () => {
        const job = switchJob(
            { ...clone(MODE), mode: 'automatic' },
            {
                params: { mode: 'automatic', confirm: true, hierarchySource: 'role' },
                hold: true,
                steps: [{ phase: 'Reading Salesforce users', done: 3000, total: 4501 }]
            }
        );
        runningJobs(job.job);
        const element = await openIndicator();
        await jobsEnd();
        expect(setMode).not.toHaveBeenCalled();
        expect(text(byId(dialog(), 'switch-progress'), 'job-counts')).toBe('3,000 of 4,501');
        job.release();
        await jobsEnd();
        expect(text(element, 'mode-label')).toBe('Automatic');
    });

    it('picks up a preview still running after a page reload', async () => {
        const job = previewJob(clone(PREVIEW), {
            params: { mode: 'automatic', hierarchySource: 'manager' }
        });
        runningJobs(job.job);
        await openIndicator();
        await jobsEnd();
        expect(previewMode).not.toHaveBeenCalled();
        expect(byId(dialog(), 'hierarchy-source').value).toBe('manager');
        expect(text(dialog(), 'preview-users-create')).toBe('Users to create (1)');
    });

    it('is accessible with the preview open', async () => {
        previewJob();
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        await expect(element).toBeAccessible();
        await expect(dialog()).toBeAccessible();
    });

    it('is accessible while a job runs', async () => {
        previewJob(clone(PREVIEW), {
            hold: true,
            steps: [{ phase: 'Reading Salesforce users', done: 10, total: 20 }]
        });
        const element = await openIndicator();
        await click(element, 'change-mode');
        await jobsEnd();
        await expect(element).toBeAccessible();
        await expect(dialog()).toBeAccessible();
    });
});
