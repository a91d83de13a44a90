import RoleHierarchy from 'c/roleHierarchy';
import getRoleHierarchyScreen from '@salesforce/apex/ScreensController.getRoleHierarchyScreen';
import setRoleImport from '@salesforce/apex/RolesController.setRoleImport';
import previewRoleImport from '@salesforce/apex/RolesController.previewRoleImport';
import importRoles from '@salesforce/apex/RolesController.importRoles';
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
    words,
    jobAnswers,
    calloutsMade
} from 'roster-test';

const ROLES = require('./data/listRoles.json');
const PREVIEW = require('./data/previewRoleImport.json');
const RESULT = require('./data/importRoles.json');
/** The preview and the import read every Salesforce role and user: each is a service job the screen polls. */
const previewJob = (more = {}) =>
    jobAnswers(previewRoleImport, {
        kind: 'roles.import.preview',
        result: clone(PREVIEW),
        ...more
    });
const importJob = (more = {}) =>
    jobAnswers(importRoles, { kind: 'roles.import', result: clone(RESULT), ...more });
const jobsEnd = () => settle(12);
const [, VP, AE] = ROLES.roles;

/** What the service answers for the screen: the role tree and the jobs still running. */
const screenAnswers = (roles = ROLES, running = []) =>
    getRoleHierarchyScreen.mockResolvedValue({
        roles: clone(roles),
        runningJobs: { items: clone(running) }
    });

async function openScreen(data = ROLES, running = []) {
    screenAnswers(data, running);
    const element = mount('c-role-hierarchy', RoleHierarchy);
    await settle();
    return element;
}

async function toggle(element, role, on) {
    const input = byId(element, `role-${role.sfRoleId}`).querySelector('lightning-input');
    input.checked = on;
    input.dispatchEvent(new CustomEvent('change'));
    await settle();
}

/** A preview list with its paged table, as the admin reads it. */
function sectionText(element, key) {
    const section = byId(element, `preview-${key}`);
    const table = section.querySelector('c-paged-table');
    const rows = table ? [...table.shadowRoot.querySelectorAll('tr')].map((tr) => words(tr)) : [];
    return [words(section.querySelector('p')), ...rows].join(' ');
}

describe('c-role-hierarchy', () => {
    afterEach(cleanup);

    it('shows the role tree with a toggle and user count per role', async () => {
        const element = await openScreen();
        expect(words(byId(element, 'role-list'))).toBe(
            'CEO 1 active user VP Sales 2 active users AE West 5 active users'
        );
        expect(byId(element, `role-${AE.sfRoleId}`).querySelector('div').style.paddingLeft).toBe(
            '3rem'
        );
        expect(byId(element, `role-${VP.sfRoleId}`).querySelector('lightning-input').checked).toBe(
            true
        );
    });

    it('saves each toggle as the admin flips it', async () => {
        setRoleImport.mockResolvedValue({ ...clone(AE), importEnabled: true });
        const element = await openScreen();
        await toggle(element, AE, true);
        expect(setRoleImport).toHaveBeenCalledWith({ sfRoleId: AE.sfRoleId, importEnabled: true });
        await toggle(element, VP, false);
        expect(setRoleImport).toHaveBeenLastCalledWith({
            sfRoleId: VP.sfRoleId,
            importEnabled: false
        });
    });

    it('previews the teams and users to create and the users skipped with the reason', async () => {
        previewJob();
        const element = await openScreen();
        expect(byId(element, 'import-roles').disabled).toBe(true);
        await click(element, 'preview-import');
        await jobsEnd();
        expect(previewRoleImport).toHaveBeenCalledWith();
        expect(text(element, 'preview-summary')).toBe(
            '1 team and 1 user to create; 1 Salesforce user skipped. Nothing is imported until you click Import.'
        );
        expect(sectionText(element, 'teams')).toBe(
            'Teams to create (1) Team Under VP Sales Top-level team'
        );
        expect(sectionText(element, 'users')).toBe(
            'Users to create (1) User Email Team Vera Price vp@example.com VP Sales'
        );
        expect(sectionText(element, 'skipped')).toBe(
            'Salesforce users skipped (1) Salesforce user Email Why Ian Active ian@example.com inactive in Salesforce'
        );
    });

    it('counts every user a 100k-user import would create, though the service lists only the first 500', async () => {
        const large = clone(PREVIEW);
        large.users = Array.from({ length: 500 }, (_, i) => ({
            sfUserId: `005${String(i).padStart(15, '0')}`,
            email: `rep${i}@example.com`,
            name: `Rep ${i}`,
            teamName: 'VP Sales'
        }));
        previewJob({ result: large, omitted: { users: 99_500 } });
        const element = await openScreen();
        await click(element, 'preview-import');
        await jobsEnd();
        expect(text(element, 'preview-summary')).toBe(
            '1 team and 100,000 users to create; 1 Salesforce user skipped. Nothing is imported until you click Import.'
        );
        expect(words(byId(element, 'preview-users').querySelector('p'))).toBe(
            'Users to create (100,000)'
        );
        expect(text(element, 'preview-not-listed')).toBe(
            'Each list shows its first entries; 99,500 more are counted but not listed.'
        );
    });

    it('imports after the preview, showing progress, then the result', async () => {
        previewJob();
        const job = importJob({
            hold: true,
            steps: [
                { phase: 'Reading Salesforce users', done: 2000, total: 8000 },
                { phase: 'Reading Salesforce users', done: 6000, total: 8000 }
            ]
        });
        const element = await openScreen();
        await click(element, 'preview-import');
        await jobsEnd();
        await click(element, 'import-roles');
        await jobsEnd();
        expect(text(element, 'role-import-progress')).toBe('Importing teams and users…');
        const progress = byId(element, 'role-import-job');
        expect(text(progress, 'job-phase')).toBe('Reading Salesforce users');
        expect(text(progress, 'job-counts')).toBe('6,000 of 8,000');
        expect(byId(progress, 'job-bar').value).toBe(75);
        expect(byId(element, 'import-roles').disabled).toBe(true);
        job.release();
        await jobsEnd();
        expect(importRoles).toHaveBeenCalledWith({ previewToken: PREVIEW.previewToken });
        expect(text(element, 'role-import-result')).toBe(
            'Imported 1 teams and 1 users with the Default - Intake Off profile; 1 skipped.'
        );
        expect(byId(element, 'role-import-progress')).toBeNull();
    });

    it('shows what changed and the new preview when Salesforce changed since the preview, importing nothing', async () => {
        const fresher = {
            ...clone(PREVIEW),
            previewToken: 'roles1.1-aaaaaaaaaaaa.2-bbbbbbbbbbbb.1-cccccccccccc',
            users: [
                ...PREVIEW.users,
                {
                    sfUserId: '005000000000009AAA',
                    email: 'new@example.com',
                    name: 'Nia New',
                    teamName: 'VP Sales'
                }
            ]
        };
        const message =
            'Salesforce or Roster changed since the preview (users to create: 1 -> 2), so nothing was applied. ' +
            'Review the new preview, then apply again.';
        previewJob();
        importJob({
            error: { code: 'preview_stale', message, details: { changed: [], preview: fresher } }
        });
        importJob();
        const element = await openScreen();
        await click(element, 'preview-import');
        await jobsEnd();
        await click(element, 'import-roles');
        await jobsEnd();
        expect(text(element, 'role-import-notice')).toBe(message);
        expect(errorText(element)).toBe('');
        expect(byId(element, 'role-import-result')).toBeNull();
        expect(previewRoleImport).toHaveBeenCalledTimes(1);
        expect(sectionText(element, 'users')).toBe(
            'Users to create (2) User Email Team Vera Price vp@example.com VP Sales Nia New new@example.com VP Sales'
        );
        await click(element, 'import-roles');
        await jobsEnd();
        expect(importRoles).toHaveBeenLastCalledWith({ previewToken: fresher.previewToken });
        expect(text(element, 'role-import-result')).toContain('Imported 1 teams and 1 users');
        expect(byId(element, 'role-import-notice')).toBeNull();
    });

    it('cannot preview with no role enabled, and says when there are no roles', async () => {
        const element = await openScreen({
            roles: ROLES.roles.map((r) => ({ ...r, importEnabled: false }))
        });
        expect(byId(element, 'preview-import').disabled).toBe(true);
        cleanup();
        const empty = await openScreen({ roles: [] });
        expect(text(empty, 'empty-roles')).toContain('No Salesforce roles yet');
    });

    it("shows the service's message when the preview job fails", async () => {
        previewJob({
            error: {
                code: 'automatic_mode',
                message: 'Role import is only available in Manual Mode.'
            }
        });
        const element = await openScreen();
        await click(element, 'preview-import');
        await jobsEnd();
        expect(errorText(element)).toContain('Role import is only available in Manual Mode.');
        expect(byId(element, 'role-import-progress')).toBeNull();
    });

    it("shows the service's message when the import cannot start", async () => {
        previewJob();
        importRoles.mockRejectedValue(apexError('This is already running.'));
        const element = await openScreen();
        await click(element, 'preview-import');
        await jobsEnd();
        await click(element, 'import-roles');
        expect(errorText(element)).toContain('This is already running.');
    });

    it('picks up an import still running after a page reload, then shows its result', async () => {
        const job = importJob({
            hold: true,
            steps: [{ phase: 'Reading Salesforce users', done: 4000, total: 8000 }]
        });
        const element = await openScreen(ROLES, [job.job]);
        await jobsEnd();
        expect(importRoles).not.toHaveBeenCalled();
        expect(text(byId(element, 'role-import-job'), 'job-counts')).toBe('4,000 of 8,000');
        job.release();
        await jobsEnd();
        expect(text(element, 'role-import-result')).toContain('Imported 1 teams and 1 users');
    });

    it('shows the roles the service holds, and reads Salesforce in the background when they are stale', async () => {
        const job = jobAnswers(null, {
            kind: 'roles.refresh',
            hold: true,
            steps: [{ phase: 'Reading Salesforce users', done: 2000, total: 8000 }]
        });
        const element = await openScreen({
            ...clone(ROLES),
            roles: [],
            refreshedAt: null,
            refreshJobId: job.id
        });
        await jobsEnd();
        expect(byId(element, 'empty-roles')).toBeNull();
        expect(text(element, 'role-refresh')).toBe('Reading the roles from Salesforce…');
        const progress = element.shadowRoot.querySelector(
            '[data-id="role-refresh"] c-job-progress'
        );
        expect(text(progress, 'job-counts')).toBe('2,000 of 8,000');
        expect(byId(element, 'preview-import').disabled).toBe(true);
        // Opening it took the screen's answer and the refresh job's polls: two callouts at most.
        expect(calloutsMade()).toEqual([
            'JobsController.getJob',
            'ScreensController.getRoleHierarchyScreen'
        ]);
        // Once the job has read Salesforce, the screen reads the tree again.
        screenAnswers(ROLES);
        job.release();
        await jobsEnd();
        expect(getRoleHierarchyScreen).toHaveBeenCalledTimes(2);
        expect(byId(element, 'role-refresh')).toBeNull();
        expect(text(element, 'roles-refreshed-at')).toContain('Roles as read from Salesforce at');
        expect(byId(element, `role-${VP.sfRoleId}`)).not.toBeNull();
    });

    it('opens with one callout while the roles are fresh', async () => {
        await openScreen();
        await jobsEnd();
        expect(calloutsMade()).toEqual(['ScreensController.getRoleHierarchyScreen']);
    });

    it('is accessible', async () => {
        previewJob();
        const element = await openScreen();
        await click(element, 'preview-import');
        await jobsEnd();
        await expect(element).toBeAccessible();
    });
});
