import UsersAndTeams from 'c/usersAndTeams';
import listUsers from '@salesforce/apex/UsersController.listUsers';
import createUser from '@salesforce/apex/UsersController.createUser';
import updateUser from '@salesforce/apex/UsersController.updateUser';
import suspendUser from '@salesforce/apex/UsersController.suspendUser';
import reactivateUser from '@salesforce/apex/UsersController.reactivateUser';
import deleteUser from '@salesforce/apex/UsersController.deleteUser';
import exportUsersToFile from '@salesforce/apex/UsersController.exportUsersToFile';
import getProfileSummary from '@salesforce/apex/ProfilesController.getProfileSummary';
import bulkUpdateUsers from '@salesforce/apex/UsersController.bulkUpdateUsers';
import startBulkUpdate from '@salesforce/apex/UsersController.startBulkUpdate';
import getUsersAndTeamsScreen from '@salesforce/apex/ScreensController.getUsersAndTeamsScreen';
import getJob from '@salesforce/apex/JobsController.getJob';
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
    captureToasts,
    deepById,
    openModal,
    errorText,
    pastDebounce,
    calloutsMade,
    jobAnswers,
    holdNextPoll,
    words
} from 'roster-test';

const SCREEN = require('./data/getUsersAndTeamsScreen.json');
const USER_PAGE = require('./data/listUsers.json');
const COUNTS = require('./data/getUserCounts.json');
const TEAMS = require('./data/getTeamTree.json');
const PROFILES = require('./data/listProfiles.json');
const SUMMARY = require('./data/getProfileSummary.json');
const MODE = require('./data/getMode.json');
// What needs the admin on Integration Health (the fixtures of those screens).
const APPROVALS = require('../../syncReview/__tests__/data/listApprovals.json');
const CONFLICTS = require('../../syncReview/__tests__/data/listOpenConflicts.json');
const HEALTH = require('../../integrationHealth/__tests__/data/getIntegrationHealth.json');
const [ADA, GRACE, LINUS] = USER_PAGE.items;
/** The same page with Grace linked to her Salesforce user, as the automatic sync leaves her. */
const LINKED_PAGE = {
    ...USER_PAGE,
    items: USER_PAGE.items.map((u) =>
        u.id === GRACE.id ? { ...u, sfUserId: '005000000000021AAA' } : u
    )
};

/** What the service answers for the whole screen (one callout); a test changes its parts as the org changes. */
let serviceScreen;
/** The screen as the admin opens it: `page` is its first page of users; other `parts` replace the fixture's. */
async function openScreen({ page = USER_PAGE, mode = MODE, ...parts } = {}) {
    listUsers.mockResolvedValue(clone(page)); // later pages, searches and filters
    serviceScreen = { ...clone(SCREEN), users: clone(page), mode: clone(mode), ...clone(parts) };
    getUsersAndTeamsScreen.mockImplementation(() => Promise.resolve(clone(serviceScreen)));
    const element = mount('c-users-and-teams', UsersAndTeams);
    await settle();
    return element;
}

const table = (element) => deepById(element, 'user-table');
const rowOf = (element, user) => table(element).data.find((row) => row.id === user.id);
const counts = (element) => element.shadowRoot.querySelector('c-user-status-counts');

async function rowAction(element, name, user) {
    table(element).dispatchEvent(
        new CustomEvent('rowaction', { detail: { action: { name }, row: rowOf(element, user) } })
    );
    await settle();
}

const filters = (element) => element.shadowRoot.querySelector('c-user-filters');
const editor = () => openModal();

describe('c-users-and-teams', () => {
    afterEach(cleanup);

    it('shows the live count of users by status', async () => {
        const element = await openScreen();
        expect(text(counts(element), 'count-total')).toBe('4 Total Users');
        expect(text(counts(element), 'count-pending')).toBe('1 Pending');
        expect(text(counts(element), 'count-permissionErrors')).toBe('1 Permission Errors');
        expect(text(counts(element), 'count-suspended')).toBe('1 Suspended');
    });

    it('lists users with their role, team, licenses and status in words', async () => {
        const element = await openScreen();
        expect(getUsersAndTeamsScreen).toHaveBeenCalledWith({
            query: {
                search: '',
                status: '',
                role: '',
                teamId: '',
                license: '',
                profileId: '',
                sort: 'name',
                limit: 50
            }
        });
        const ada = rowOf(element, ADA);
        expect(ada).toMatchObject({
            name: 'Ada Lovelace',
            roleLabel: 'Admin',
            teamName: 'Sales',
            licenseLabels: 'Foundation, Forecasting',
            statusLabel: 'Active'
        });
        expect(rowOf(element, GRACE).statusLabel).toBe('Permission Error');
    });

    it('loads the next page when the admin scrolls to the end of the table', async () => {
        const element = await openScreen();
        expect(table(element).enableInfiniteLoading).toBe(true);
        listUsers.mockResolvedValue({ items: [], nextCursor: null });
        table(element).dispatchEvent(new CustomEvent('loadmore'));
        await settle();
        expect(listUsers).toHaveBeenLastCalledWith({
            query: expect.objectContaining({ cursor: USER_PAGE.nextCursor })
        });
        expect(table(element).data).toHaveLength(3);
        expect(table(element).enableInfiniteLoading).toBe(false);
    });

    it('searches as the admin types, once they pause, and filters and sorts through the service', async () => {
        const element = await openScreen();
        const search = byId(filters(element), 'search');
        for (const typed of ['g', 'gr', 'grace']) {
            search.value = typed;
            search.dispatchEvent(new CustomEvent('change', { detail: { value: typed } }));
        }
        await Promise.resolve();
        expect(listUsers).not.toHaveBeenCalled(); // still typing: nothing sent yet
        await pastDebounce();
        expect(listUsers).toHaveBeenCalledTimes(1);
        expect(listUsers).toHaveBeenLastCalledWith({
            query: expect.objectContaining({ search: 'grace', cursor: undefined })
        });
        await change(filters(element), 'filter-status', 'suspended');
        expect(listUsers).toHaveBeenLastCalledWith({
            query: expect.objectContaining({ search: 'grace', status: 'suspended' })
        });
        byId(filters(element), 'filter-team').dispatchEvent(
            new CustomEvent('change', {
                detail: { value: TEAMS.top.children[0].id, label: 'Sales' }
            })
        );
        await settle();
        expect(listUsers).toHaveBeenLastCalledWith({
            query: expect.objectContaining({ teamId: TEAMS.top.children[0].id })
        });
        table(element).dispatchEvent(
            new CustomEvent('sort', { detail: { fieldName: 'email', sortDirection: 'desc' } })
        );
        await settle();
        expect(listUsers).toHaveBeenLastCalledWith({
            query: expect.objectContaining({ sort: '-email' })
        });
    });

    it('offers the team and profile filters from the service', async () => {
        const element = await openScreen();
        const teamLookup = byId(filters(element), 'filter-team');
        expect(teamLookup.teams.map((t) => t.path)).toEqual([
            'Top-level team',
            'Top-level team › Sales',
            'Top-level team › Sales › West',
            'Top-level team › Sales › East',
            'Unassigned'
        ]);
        expect(byId(filters(element), 'filter-profile').options.map((o) => o.label)).toEqual([
            'All profiles',
            'Default - Intake Off',
            'Sales - Full Sync'
        ]);
    });

    it('adds a user with every field of the Add User dialog', async () => {
        createUser.mockResolvedValue({
            ...clone(ADA),
            id: 'new',
            email: 'katherine@example.com',
            warnings: []
        });
        const element = await openScreen();
        const toasts = captureToasts();
        await click(element, 'add-user');
        const dialog = editor();
        expect(dialog.shadowRoot.querySelector('lightning-modal-header').label).toBe('Add User');
        await change(dialog, 'first-name', 'Katherine');
        await change(dialog, 'last-name', 'Johnson');
        await change(dialog, 'email', 'katherine@example.com');
        await change(dialog, 'job-title', 'Sales Engineer');
        await change(dialog, 'role', 'manager');
        await change(dialog, 'team', TEAMS.top.children[0].children[1].id);
        await change(dialog, 'visibility', 'team');
        await change(dialog, 'profile', PROFILES.profiles[1].id);
        await change(dialog, 'licenses', ['foundation', 'forecasting']);
        await click(dialog, 'save-user');

        expect(createUser).toHaveBeenCalledWith({
            user: {
                firstName: 'Katherine',
                lastName: 'Johnson',
                email: 'katherine@example.com',
                jobTitle: 'Sales Engineer',
                role: 'manager',
                teamId: TEAMS.top.children[0].children[1].id,
                objectVisibility: 'team',
                licenses: ['foundation', 'forecasting'],
                profileId: PROFILES.profiles[1].id
            }
        });
        expect(editor()).toBeNull();
        expect(toasts).toEqual([
            expect.objectContaining({
                title: 'katherine@example.com was added.',
                variant: 'success'
            })
        ]);
        expect(getUsersAndTeamsScreen).toHaveBeenCalledTimes(2);
    });

    it('leaves the profile out for a new user without one, so the service assigns the default', async () => {
        createUser.mockResolvedValue({ ...clone(ADA), warnings: [] });
        const element = await openScreen();
        await click(element, 'add-user');
        await change(editor(), 'first-name', 'New');
        await change(editor(), 'last-name', 'Person');
        await change(editor(), 'email', 'new@example.com');
        await click(editor(), 'save-user');
        expect(createUser.mock.calls[0][0].user).not.toHaveProperty('profileId');
        expect(createUser.mock.calls[0][0].user).toMatchObject({
            email: 'new@example.com',
            role: 'member',
            objectVisibility: 'full',
            licenses: ['foundation']
        });
    });

    it('edits a user and sends only what changed', async () => {
        updateUser.mockResolvedValue({
            ...clone(GRACE),
            role: 'admin',
            warnings: ['West has no manager now.']
        });
        const element = await openScreen();
        const toasts = captureToasts();
        await rowAction(element, 'edit', GRACE);
        await change(editor(), 'role', 'admin');
        await click(editor(), 'save-user');
        expect(updateUser).toHaveBeenCalledWith({ userId: GRACE.id, changes: { role: 'admin' } });
        expect(toasts).toEqual([
            expect.objectContaining({
                title: 'grace@example.com was saved.',
                message: 'West has no manager now.',
                variant: 'warning'
            })
        ]);
    });

    it('sends a Save once however often it is clicked, busy until the service answers', async () => {
        let answer;
        updateUser.mockReturnValue(
            new Promise((resolve) => {
                answer = resolve;
            })
        );
        const element = await openScreen();
        await rowAction(element, 'edit', GRACE);
        await change(editor(), 'role', 'admin');
        const save = byId(editor(), 'save-user');
        save.click();
        save.click();
        save.click();
        await settle();
        expect(updateUser).toHaveBeenCalledTimes(1);
        expect(save.disabled).toBe(true);
        expect(save.label).toBe('Saving…');
        expect(byId(editor(), 'cancel-user').disabled).toBe(true);
        answer({ ...clone(GRACE), role: 'admin', warnings: [] });
        await settle();
        expect(editor()).toBeNull();
    });

    it('shows a refusal about the email beside the email field, and nothing of it after Cancel', async () => {
        updateUser.mockRejectedValue(
            apexError('Another user already has the email ada@example.com.')
        );
        const element = await openScreen();
        await rowAction(element, 'edit', GRACE);
        await change(editor(), 'email', 'ada@example.com');
        const email = byId(editor(), 'email');
        email.setCustomValidity = jest.fn();
        await click(editor(), 'save-user');
        expect(email.setCustomValidity).toHaveBeenCalledWith(
            'Another user already has the email ada@example.com.'
        );
        expect(errorText(editor())).toContain('Another user already has the email');
        await click(editor(), 'cancel-user');
        expect(editor()).toBeNull();
        await rowAction(element, 'edit', ADA);
        expect(errorText(editor())).toBe('');
        expect(byId(editor(), 'email').value).toBe(ADA.email);
    });

    it("keeps a Salesforce user's Salesforce-owned fields read-only in Automatic Mode", async () => {
        const element = await openScreen({
            page: LINKED_PAGE,
            mode: { ...MODE, mode: 'automatic' }
        });
        await rowAction(element, 'edit', GRACE);
        expect(byId(editor(), 'first-name').disabled).toBe(true);
        expect(byId(editor(), 'email').disabled).toBe(true);
        expect(byId(editor(), 'team').disabled).toBe(true);
        expect(byId(editor(), 'role').disabled).toBeFalsy();
        expect(text(editor(), 'salesforce-owned')).toContain('come from Salesforce');
    });

    it('lets the admin edit a hand-added user in Automatic Mode, who stays in Unassigned', async () => {
        const element = await openScreen({
            page: LINKED_PAGE,
            mode: { ...MODE, mode: 'automatic' }
        });
        await rowAction(element, 'edit', ADA);
        expect(byId(editor(), 'first-name').disabled).toBeFalsy();
        expect(byId(editor(), 'team').disabled).toBe(true);
        expect(text(editor(), 'goes-to-unassigned')).toContain('stays in the Unassigned group');
    });

    it('says in Automatic Mode that a hand-added user goes to Unassigned, and why Import is off', async () => {
        const element = await openScreen({ mode: { ...MODE, mode: 'automatic' } });
        expect(byId(element, 'import-users').disabled).toBe(true);
        expect(text(element, 'import-disabled-reason')).toContain(
            'switch to Manual Mode to import a CSV file'
        );
        await click(element, 'add-user');
        expect(text(editor(), 'goes-to-unassigned')).toContain('stays in the Unassigned group');
        expect(byId(editor(), 'team').disabled).toBe(true);
    });

    it('makes Salesforce-owned fields read-only as soon as the mode changes', async () => {
        const element = await openScreen({ page: LINKED_PAGE });
        serviceScreen.mode = { ...clone(MODE), mode: 'automatic' };
        element.shadowRoot
            .querySelector('c-mode-switch')
            .dispatchEvent(new CustomEvent('modechanged', { detail: { mode: 'automatic' } }));
        await settle();
        await rowAction(element, 'edit', GRACE);
        expect(byId(editor(), 'first-name').disabled).toBe(true);
    });

    it('suspends a user after the admin gives a reason and confirms', async () => {
        suspendUser.mockResolvedValue({ ...clone(GRACE), status: 'suspended' });
        const element = await openScreen();
        const toasts = captureToasts();
        await rowAction(element, 'suspend', GRACE);
        expect(byId(openModal(), 'confirm-ok').disabled).toBe(true);
        await change(openModal(), 'confirm-reason', 'Left the company');
        await click(openModal(), 'confirm-ok');
        expect(suspendUser).toHaveBeenCalledWith({ userId: GRACE.id, reason: 'Left the company' });
        expect(toasts[0].title).toBe('grace@example.com was suspended.');
        expect(openModal()).toBeNull();
    });

    it('offers Reactivate instead of Suspend for a suspended user, and reactivates them', async () => {
        reactivateUser.mockResolvedValue({ ...clone(LINUS), status: 'active' });
        const element = await openScreen();
        const toasts = captureToasts();
        const actionsFor = (row) => {
            let actions;
            table(element)
                .columns.find((c) => c.type === 'action')
                .typeAttributes.rowActions(row, (a) => (actions = a));
            return actions.map((a) => a.label);
        };
        expect(actionsFor(rowOf(element, LINUS))).toEqual(['Edit', 'Reactivate', 'Delete']);
        expect(actionsFor(rowOf(element, ADA))).toEqual(['Edit', 'Suspend', 'Delete']);
        await rowAction(element, 'reactivate', LINUS);
        expect(reactivateUser).toHaveBeenCalledWith({ userId: LINUS.id });
        expect(toasts[0].title).toBe('linus@example.com was reactivated.');
    });

    it('deletes a user only after the admin types their email, naming what is lost', async () => {
        deleteUser.mockResolvedValue(null);
        const element = await openScreen();
        const toasts = captureToasts();
        await rowAction(element, 'delete', LINUS);
        expect(text(openModal(), 'confirm-message')).toContain(
            'permanently removes linus@example.com and all of their past activity data'
        );
        await change(openModal(), 'confirm-typed', 'someone@example.com');
        expect(byId(openModal(), 'confirm-ok').disabled).toBe(true);
        await change(openModal(), 'confirm-typed', 'Linus@Example.com');
        expect(byId(openModal(), 'confirm-ok').disabled).toBe(false);
        await click(openModal(), 'confirm-ok');
        expect(deleteUser).toHaveBeenCalledWith({
            userId: LINUS.id,
            confirmEmail: 'Linus@Example.com'
        });
        expect(toasts[0].title).toBe('linus@example.com was deleted.');
    });

    it("shows the service's message when an action fails and keeps the dialog open", async () => {
        suspendUser.mockRejectedValue(
            apexError('ada@example.com is the last admin and cannot be suspended.')
        );
        const element = await openScreen();
        await rowAction(element, 'suspend', ADA);
        await change(openModal(), 'confirm-reason', 'Testing');
        await click(openModal(), 'confirm-ok');
        expect(errorText(openModal())).toContain(
            'ada@example.com is the last admin and cannot be suspended.'
        );
        expect(byId(openModal(), 'confirm-ok').disabled).toBe(false);
    });

    it('says so when the user list cannot be loaded', async () => {
        getUsersAndTeamsScreen.mockRejectedValue(
            apexError('The Roster service could not be reached: Read timed out')
        );
        const element = mount('c-users-and-teams', UsersAndTeams);
        await settle();
        const page = element.shadowRoot.querySelector('c-roster-page');
        expect(errorText(page)).toContain('The users could not be loaded.');
        expect(errorText(page)).toContain('Read timed out');
    });

    describe('when the service could not read one part of the screen', () => {
        const permissionErrorsTab = (element) =>
            element.shadowRoot.querySelector('c-permission-errors');

        it('shows the counts, the mode and the Permission Errors, and says only the users could not be loaded', async () => {
            const element = await openScreen({ users: null, failedParts: ['users'] });
            expect(text(element, 'part-failed-users')).toBe(
                'The users could not be loaded. Reload the page to try again.'
            );
            expect(byId(element, 'empty-users')).toBeNull();
            expect(table(element).data).toEqual([]);
            expect(text(counts(element), 'count-total')).toBe('4 Total Users');
            expect(deepById(element, 'mode-label')).not.toBeNull();
            expect(deepById(permissionErrorsTab(element), 'permission-error-table')).not.toBeNull();
            expect(errorText(element)).toBe('');
            await expect(element).toBeAccessible();
        });

        it('lists the users and says the Permission Errors could not be loaded, never that there are none', async () => {
            const element = await openScreen({
                permissionErrors: null,
                mailbox: null,
                failedParts: ['permissionErrors', 'mailbox']
            });
            expect(text(element, 'part-failed-permissionErrors')).toBe(
                'The Permission Errors list could not be loaded. Reload the page to try again.'
            );
            expect(text(element, 'part-failed-mailbox')).toBe(
                'The mailbox provider and its figures could not be loaded. Reload the page to try again.'
            );
            expect(table(element).data).toHaveLength(USER_PAGE.items.length);
            const tab = permissionErrorsTab(element);
            for (const claim of [
                'empty-permission-errors',
                'no-mailbox-provider',
                'permission-error-table'
            ])
                expect(deepById(tab, claim)).toBeNull();
            expect(errorText(element)).toBe('');
        });

        it('shows the users without filters of teams and profiles when those could not be loaded', async () => {
            const element = await openScreen({
                teams: null,
                profiles: null,
                failedParts: ['teams', 'profiles']
            });
            expect(text(element, 'part-failed-teams')).toContain('offer no team');
            expect(text(element, 'part-failed-profiles')).toContain('offer none');
            expect(filters(element).teams).toEqual([]);
            expect(filters(element).profiles).toEqual([]);
            expect(table(element).data).toHaveLength(USER_PAGE.items.length);
        });

        it('shows a dash for each count, never a zero, when the counts could not be loaded', async () => {
            const element = await openScreen({ counts: null, failedParts: ['counts'] });
            expect(text(element, 'part-failed-counts')).toBe(
                'The counts of users by status could not be loaded. Reload the page to try again.'
            );
            expect(text(counts(element), 'count-total')).toBe('– Total Users');
            expect(table(element).data).toHaveLength(USER_PAGE.items.length);
        });

        it('takes the notice away once a later reload reads the part', async () => {
            const element = await openScreen({ users: null, failedParts: ['users'] });
            serviceScreen = { ...clone(SCREEN), failedParts: [] };
            element.shadowRoot
                .querySelector('c-mode-switch')
                .dispatchEvent(new CustomEvent('modechanged'));
            await settle();
            expect(byId(element, 'part-failed-users')).toBeNull();
            expect(table(element).data).toHaveLength(USER_PAGE.items.length);
        });
    });

    it('explains how to add users when there are none', async () => {
        const element = await openScreen({ page: { items: [], nextCursor: null } });
        expect(text(element, 'empty-users')).toContain('No users match');
    });

    it("previews a configuration profile's enabled and disabled settings", async () => {
        getProfileSummary.mockResolvedValue(clone(SUMMARY));
        const element = await openScreen();
        await rowAction(element, 'profile', ADA);
        expect(getProfileSummary).toHaveBeenCalledWith({ profileId: ADA.profileId });
        expect(text(openModal(), 'profile-summary')).toContain(
            'Enabled Intake Data Display Data Push Data Email Sync Meeting Sync Disabled Transcript Intake'
        );
    });

    describe('bulk actions', () => {
        const bulk = (element) => element.shadowRoot.querySelector('c-user-bulk-actions');
        async function chooseBulk(element, action) {
            deepById(element, 'bulk-menu').dispatchEvent(
                new CustomEvent('select', { detail: { value: action } })
            );
            await settle();
            return openModal();
        }

        it('assigns a profile to the ticked users after counting them, in one request', async () => {
            bulkUpdateUsers.mockResolvedValueOnce({ matched: 2, changed: 1, dryRun: true });
            const applied = jobAnswers(startBulkUpdate, {
                kind: 'users.bulk',
                result: { matched: 2, changed: 1, dryRun: false },
                hold: true,
                steps: [{ phase: 'Changing the users', done: 0, total: 2 }]
            });
            const element = await openScreen();
            const toasts = captureToasts();
            table(element).dispatchEvent(
                new CustomEvent('rowselection', {
                    detail: { selectedRows: [rowOf(element, ADA), rowOf(element, GRACE)] }
                })
            );
            await settle();
            expect(bulk(element).selectedIds).toEqual([ADA.id, GRACE.id]);
            const dialog = await chooseBulk(element, 'assign_profile');
            expect(byId(dialog, 'bulk-apply').disabled).toBe(true);
            await change(dialog, 'bulk-profile', PROFILES.profiles[1].id);
            await click(dialog, 'bulk-count-users');
            expect(bulkUpdateUsers).toHaveBeenCalledWith({
                request: {
                    selection: { userIds: [ADA.id, GRACE.id] },
                    change: { action: 'assign_profile', profileId: PROFILES.profiles[1].id },
                    dryRun: true
                }
            });
            expect(text(dialog, 'bulk-count')).toBe(
                'This assigns Sales - Full Sync to 1 user of the 2 users in the 2 selected users (1 already has it).'
            );
            expect(byId(dialog, 'bulk-apply').label).toBe('Apply to 1 user');
            await click(dialog, 'bulk-apply');
            await settle(6);
            expect(startBulkUpdate).toHaveBeenCalledWith({
                request: {
                    selection: { userIds: [ADA.id, GRACE.id] },
                    change: { action: 'assign_profile', profileId: PROFILES.profiles[1].id },
                    expectedCount: 2
                }
            });
            // The change runs as a service job: the dialog shows its progress until it ends.
            expect(words(deepById(dialog, 'job-progress'))).toBe('Changing the users 0 of 2');
            expect(byId(dialog, 'bulk-apply').disabled).toBe(true);
            applied.release();
            await settle(6);
            expect(openModal()).toBeNull();
            expect(toasts[0].title).toBe('Done: 1 user changed.');
            expect(getUsersAndTeamsScreen).toHaveBeenCalledTimes(2);
        });

        it('acts on every user matching the filters when none is ticked', async () => {
            bulkUpdateUsers.mockResolvedValue({ matched: 3, changed: 3, dryRun: true });
            const element = await openScreen();
            await change(filters(element), 'filter-status', 'pending');
            const dialog = await chooseBulk(element, 'suspend');
            await change(dialog, 'bulk-reason', 'Contract ended');
            await click(dialog, 'bulk-count-users');
            expect(bulkUpdateUsers).toHaveBeenCalledWith({
                request: {
                    selection: { filters: { status: 'pending' } },
                    change: { action: 'suspend', reason: 'Contract ended' },
                    dryRun: true
                }
            });
            expect(text(dialog, 'bulk-count')).toContain(
                '3 users of the 3 users in every user matching the search and filters'
            );
        });

        it('moves focus to Apply once counted, as Count users is gone, or to Cancel when nothing would change', async () => {
            bulkUpdateUsers
                .mockResolvedValueOnce({ matched: 3, changed: 3, dryRun: true })
                .mockResolvedValueOnce({ matched: 3, changed: 0, dryRun: true });
            const element = await openScreen();
            const dialog = await chooseBulk(element, 'suspend');
            const apply = jest.spyOn(byId(dialog, 'bulk-apply'), 'focus');
            const cancel = jest.spyOn(byId(dialog, 'bulk-cancel'), 'focus');
            await change(dialog, 'bulk-reason', 'Contract ended');
            await click(dialog, 'bulk-count-users');
            expect(byId(dialog, 'bulk-count-users')).toBeNull();
            expect(apply).toHaveBeenCalledTimes(1);

            await change(dialog, 'bulk-reason', 'Left the company');
            await click(dialog, 'bulk-count-users');
            expect(cancel).toHaveBeenCalledTimes(1);
            expect(apply).toHaveBeenCalledTimes(1);
        });

        it('shows a refusal in the dialog and asks for a new count', async () => {
            bulkUpdateUsers.mockResolvedValueOnce({ matched: 4, changed: 4, dryRun: true });
            jobAnswers(startBulkUpdate, {
                kind: 'users.bulk',
                error: {
                    code: 'selection_changed',
                    message: 'The selection now matches 5 users, not the 4 you confirmed.'
                }
            });
            const element = await openScreen();
            const dialog = await chooseBulk(element, 'reactivate');
            expect(text(dialog, 'bulk-count')).toContain('reactivates 4 users');
            await click(dialog, 'bulk-apply');
            await settle(6);
            expect(errorText(dialog)).toContain('not the 4 you confirmed');
            expect(byId(dialog, 'bulk-apply').disabled).toBe(true);
            expect(byId(dialog, 'bulk-count-users')).not.toBeNull();
        });

        /** An apply started before the reload, a third of the way through: the service lists it as running. */
        const runningApply = (end) => {
            const job = jobAnswers(null, {
                kind: 'users.bulk',
                params: {
                    selection: { filters: { status: 'active' } },
                    change: { action: 'set_visibility', objectVisibility: 'team' },
                    expectedCount: 3
                },
                hold: true,
                ...end
            });
            return { ...job, job: { ...job.job, phase: 'Changing the users', done: 1, total: 3 } };
        };
        it('after a reload while a bulk action runs, the admin sees its progress bar move and then the outcome', async () => {
            const apply = runningApply({ result: { matched: 3, changed: 3, dryRun: false } });
            const nextPoll = holdNextPoll();
            const toasts = captureToasts();
            await openScreen({ runningJobs: { items: [apply.job] } });
            serviceScreen.runningJobs = { items: [] };
            await settle(6);
            const dialog = openModal();
            expect(dialog.label).toBe('Set object visibility');
            expect(words(deepById(dialog, 'job-progress'))).toBe('Changing the users 1 of 3');
            expect(deepById(dialog, 'job-bar').value).toBe(33);
            expect(byId(dialog, 'bulk-apply').disabled).toBe(true);
            expect(byId(dialog, 'bulk-cancel').disabled).toBe(true);

            nextPoll({ ...apply.job, done: 2 });
            await settle(6);
            expect(words(deepById(dialog, 'job-progress'))).toBe('Changing the users 2 of 3');
            expect(deepById(dialog, 'job-bar').value).toBe(66);

            const loadsBefore = getUsersAndTeamsScreen.mock.calls.length;
            apply.release();
            await settle(6);
            expect(openModal()).toBeNull();
            expect(toasts[0].title).toBe('Done: 3 users changed.');
            // Nothing is started or counted again; the page reloads as after an apply.
            expect(startBulkUpdate).not.toHaveBeenCalled();
            expect(bulkUpdateUsers).not.toHaveBeenCalled();
            expect(getUsersAndTeamsScreen).toHaveBeenCalledTimes(loadsBefore + 1);
        });

        it('after a reload while a bulk action runs, shows why it failed and lets the admin count again', async () => {
            const apply = runningApply({
                hold: false,
                error: {
                    code: 'selection_changed',
                    message: 'The selection now matches 5 users, not the 3 you confirmed.'
                }
            });
            const toasts = captureToasts();
            await openScreen({ runningJobs: { items: [apply.job] } });
            serviceScreen.runningJobs = { items: [] };
            await settle(6);
            const dialog = openModal();
            expect(errorText(dialog)).toContain('not the 3 you confirmed');
            expect(deepById(dialog, 'job-progress')).toBeNull();
            expect(toasts).toEqual([]);
            bulkUpdateUsers.mockResolvedValueOnce({ matched: 5, changed: 5, dryRun: true });
            await click(dialog, 'bulk-count-users');
            expect(bulkUpdateUsers).toHaveBeenCalledWith({
                request: {
                    selection: { filters: { status: 'active' } },
                    change: { action: 'set_visibility', objectVisibility: 'team' },
                    dryRun: true
                }
            });
            expect(text(dialog, 'bulk-count')).toContain(
                '5 users of the 5 users in every user matching the search and filters'
            );
        });

        it('offers no team move in Automatic Mode', async () => {
            const element = await openScreen({ mode: { ...MODE, mode: 'automatic' } });
            expect(deepById(element, 'bulk-move_team')).toBeNull();
            expect(deepById(element, 'bulk-assign_profile')).not.toBeNull();
        });
    });

    it('exports users as a Salesforce file, with a progress bar, and offers its download link, never a data: URI', async () => {
        const file = {
            contentVersionId: '068000000000002AAA',
            contentDocumentId: '069000000000002AAA',
            title: 'Roster users 2026-12-01',
            size: 2516582,
            downloadUrl: '/sfc/servlet.shepherd/version/download/068000000000002AAA'
        };
        const job = jobAnswers(exportUsersToFile, {
            kind: 'users.export.file',
            result: file,
            hold: true,
            steps: [{ phase: 'Writing every user to the file', done: 30000, total: 100000 }]
        });
        const element = await openScreen();
        const toasts = captureToasts();
        await click(element, 'export-users');
        await settle(6);
        expect(byId(element, 'export-users').disabled).toBe(true);
        expect(byId(element, 'export-users').label).toBe('Exporting…');
        const bar = deepById(element, 'export-progress');
        expect(words(deepById(bar, 'job-progress'))).toBe(
            'Writing every user to the file 30,000 of 100,000'
        );
        expect(deepById(bar, 'job-bar').value).toBe(30);
        await click(element, 'export-users');
        expect(exportUsersToFile).toHaveBeenCalledTimes(1);
        job.release();
        await settle(6);
        const link = byId(element, 'export-download');
        expect(link.getAttribute('href')).toBe(file.downloadUrl);
        expect(text(element, 'export-ready')).toBe(
            'Export ready: Download Roster users 2026-12-01 (2.4 MB) It is saved in your Salesforce Files.'
        );
        expect(toasts[0].title).toBe('Roster users 2026-12-01 is ready to download.');
        expect(byId(element, 'export-users').disabled).toBe(false);
        expect(byId(element, 'export-progress')).toBeNull();
    });

    it('follows the export the admin already started (a second tab) to its download link, instead of saying it failed', async () => {
        const job = jobAnswers(null, {
            kind: 'users.export.file',
            result: {
                contentVersionId: '068000000000003AAA',
                contentDocumentId: '069000000000003AAA',
                title: 'Roster users 2026-12-01',
                size: 20480,
                downloadUrl: '/sfc/servlet.shepherd/version/download/068000000000003AAA'
            },
            hold: true,
            steps: [{ phase: 'Writing every user to the file', done: 40, total: 100 }]
        });
        // The service refused a second start of the same request; Apex answered with the one running.
        exportUsersToFile.mockResolvedValueOnce({ ...job.job, alreadyRunning: true });
        const element = await openScreen();
        const toasts = captureToasts();
        await click(element, 'export-users');
        await settle(6);
        expect(words(deepById(deepById(element, 'export-progress'), 'job-progress'))).toBe(
            'Writing every user to the file 40 of 100'
        );
        job.release();
        await settle(6);
        expect(byId(element, 'export-download').getAttribute('href')).toBe(
            '/sfc/servlet.shepherd/version/download/068000000000003AAA'
        );
        expect(toasts.map((t) => t.variant)).toEqual(['success']);
        expect(exportUsersToFile).toHaveBeenCalledTimes(1);
    });

    it('says why the export failed', async () => {
        jobAnswers(exportUsersToFile, {
            kind: 'users.export.file',
            error: {
                code: 'actor_id_required',
                message: 'Sharing the file needs the Salesforce user id of the acting admin.'
            }
        });
        const element = await openScreen();
        const toasts = captureToasts();
        await click(element, 'export-users');
        await settle(6);
        expect(toasts[0]).toMatchObject({
            variant: 'error',
            message: expect.stringContaining('needs the Salesforce user id')
        });
        expect(byId(element, 'export-ready')).toBeNull();
    });

    it('follows an export still running after a page reload to its download link', async () => {
        const job = jobAnswers(null, {
            kind: 'users.export.file',
            result: {
                contentVersionId: '068000000000002AAA',
                contentDocumentId: '069000000000002AAA',
                title: 'Roster users 2026-12-01',
                size: 20480,
                downloadUrl: '/sfc/servlet.shepherd/version/download/068000000000002AAA'
            },
            steps: [{ phase: 'Writing every user to the file', done: 10, total: 20 }]
        });
        const element = await openScreen({ runningJobs: { items: [job.job] } });
        serviceScreen.runningJobs = { items: [] };
        await settle(6);
        expect(exportUsersToFile).not.toHaveBeenCalled();
        expect(byId(element, 'export-download').getAttribute('href')).toBe(
            '/sfc/servlet.shepherd/version/download/068000000000002AAA'
        );
    });

    it('opens Import Users at the progress bar of an import still running after a page reload', async () => {
        const job = jobAnswers(null, {
            kind: 'users.import.file',
            params: { contentVersionId: '068000000000001AAA', dryRun: true },
            hold: true,
            steps: [{ phase: 'Reading and checking rows', done: 5000, total: 100000 }]
        });
        await openScreen({ runningJobs: { items: [job.job] } });
        await settle(6);
        expect(openModal()).not.toBeNull();
        expect(words(deepById(openModal(), 'job-progress'))).toBe(
            'Reading and checking rows 5,000 of 100,000'
        );
        serviceScreen.runningJobs = { items: [] };
        job.release();
        await settle(6);
    });

    it('opens Import Users as a dialog and reloads the list after an import', async () => {
        const element = await openScreen();
        await click(element, 'import-users');
        expect(openModal().tagName.toLowerCase()).toMatch(/^c-modal-/);
        expect(byId(openModal(), 'csv-file')).not.toBeNull();
        const loads = getUsersAndTeamsScreen.mock.calls.length;
        openModal().close({ imported: true });
        await settle();
        expect(getUsersAndTeamsScreen.mock.calls.length).toBeGreaterThan(loads);
    });

    it('shows long names, emails, teams and licenses in full: those cells wrap instead of being cut off', async () => {
        const element = await openScreen();
        const wrapped = table(element)
            .columns.filter((c) => c.wrapText)
            .map((c) => c.label);
        expect(wrapped).toEqual(['Name', 'Email', 'Team', 'Licenses']);
        const profile = table(element).columns.find((c) => c.label === 'Configuration Profile');
        expect(profile.typeAttributes.title).toEqual({ fieldName: 'profileTitle' });
    });

    it('opens one dialog at a time: Add User behind an open Edit opens nothing', async () => {
        const element = await openScreen();
        await rowAction(element, 'edit', GRACE);
        await click(element, 'add-user');
        const open = document.body.querySelectorAll('[data-modal="open"]');
        expect(open).toHaveLength(1);
        expect(open[0].user.email).toBe(GRACE.email);
        open[0].close(undefined);
        await settle();
        await click(element, 'add-user');
        expect(editor().user).toBeUndefined();
    });

    describe('banners for what needs the admin elsewhere', () => {
        const banner = (element, key) =>
            deepById(element.shadowRoot.querySelector('c-roster-page'), `banner-${key}`);

        it('names a paused mass suspension, open conflicts and a Blocked health check, each with its link', async () => {
            const element = await openScreen({
                approvals: APPROVALS,
                conflicts: CONFLICTS,
                health: HEALTH
            });
            const [pending] = APPROVALS.items;
            const paused = banner(element, `approval-${pending.id}`);
            expect(words(paused)).toBe(
                'The sync is paused: it would suspend 3 of 5 users, and applies nothing until you approve or reject. Review the suspensions'
            );
            expect(paused.getAttribute('role')).toBe('alert');
            expect(paused.querySelector('a').getAttribute('href')).toBe(
                '/lightning/n/Roster_Integration_Health'
            );
            expect(words(banner(element, 'conflicts'))).toBe(
                '2 sync conflicts wait for you: the sync skips those Salesforce users until you link or dismiss. Review the conflicts'
            );
            expect(words(banner(element, 'health'))).toBe(
                'Integration Health is Blocked: 1 required permission or field is missing for the integration user. See what to fix'
            );
        });

        it('says the Salesforce sync is stopped while the service has it stopped on a Blocked check', async () => {
            const element = await openScreen({
                mode: {
                    ...MODE,
                    mode: 'automatic',
                    stopped: {
                        message:
                            'Salesforce sync stopped: the latest Integration Health check is Blocked.',
                        missing: ['Task.WhoId'],
                        checkedAt: HEALTH.checkedAt
                    }
                },
                health: HEALTH
            });
            expect(words(banner(element, 'health'))).toBe(
                'The Salesforce sync is stopped: Integration Health is Blocked: 1 required permission or field is missing for the integration user. See what to fix'
            );
        });

        it('shows none when nothing waits', async () => {
            const element = await openScreen({
                approvals: { items: [] },
                conflicts: { items: [] },
                health: { ...HEALTH, overall: 'healthy' }
            });
            expect(element.shadowRoot.querySelector('c-roster-page').banners).toEqual([]);
            expect(errorText(element)).toBe('');
            expect(table(element).data).toHaveLength(USER_PAGE.items.length);
        });

        it('takes the banner away once the conflict is resolved and the admin changes something', async () => {
            reactivateUser.mockResolvedValue({});
            const element = await openScreen({ conflicts: CONFLICTS });
            expect(banner(element, 'conflicts')).not.toBeNull();
            serviceScreen.conflicts = { items: [] };
            await rowAction(element, 'reactivate', LINUS);
            expect(banner(element, 'conflicts')).toBeNull();
        });
    });

    it('follows a mode switch the admin starts here: counts reload while its job runs', async () => {
        const element = await openScreen();
        const loads = getUsersAndTeamsScreen.mock.calls.length;
        serviceScreen.runningJobs = {
            items: [{ id: 'job-9', kind: 'mode.change', state: 'running' }]
        };
        element.shadowRoot
            .querySelector('c-mode-switch')
            .dispatchEvent(new CustomEvent('jobstarted'));
        await settle(6);
        expect(getUsersAndTeamsScreen.mock.calls.length).toBeGreaterThan(loads + 1);
        serviceScreen.runningJobs = { items: [] };
        await settle(6);
    });

    it('reloads the counts and the list while a job runs, and once more when it ends', async () => {
        const element = await openScreen({
            runningJobs: { items: [{ id: 'job-1', kind: 'users.import', state: 'running' }] }
        });
        const loads = getUsersAndTeamsScreen.mock.calls.length;
        serviceScreen.counts = { ...clone(COUNTS), total: 5 };
        await settle(6);
        expect(getUsersAndTeamsScreen.mock.calls.length).toBeGreaterThan(loads);
        expect(text(counts(element), 'count-total')).toBe('5 Total Users');
        serviceScreen.runningJobs = { items: [] };
        await settle(6);
        const afterEnd = getUsersAndTeamsScreen.mock.calls.length;
        await settle(6);
        expect(getUsersAndTeamsScreen.mock.calls.length).toBe(afterEnd);
    });

    describe('opens within Apex’s callouts per page load', () => {
        it('makes one callout for the whole screen, its tabs and mode switch included', async () => {
            await openScreen();
            expect(calloutsMade()).toEqual(['ScreensController.getUsersAndTeamsScreen']);
        });

        it('makes at most two when it resumes a mode switch still running after a reload', async () => {
            const job = jobAnswers(null, {
                kind: 'mode.change',
                params: { mode: 'automatic', confirm: true },
                steps: [{ phase: 'Reading Salesforce users', done: 10, total: 40 }],
                hold: true
            });
            await openScreen({ runningJobs: { items: [job.job] } });
            await settle(6);
            expect(getJob).toHaveBeenCalled();
            expect(calloutsMade().length).toBeLessThanOrEqual(2);
            job.release();
            serviceScreen.runningJobs = { items: [] };
            await settle(6);
        });
        it('makes at most two when it resumes a bulk action still running after a reload', async () => {
            const job = jobAnswers(null, {
                kind: 'users.bulk',
                params: { selection: { userIds: [ADA.id] }, change: { action: 'reactivate' } },
                steps: [{ phase: 'Changing the users', done: 0, total: 1 }],
                hold: true
            });
            await openScreen({ runningJobs: { items: [job.job] } });
            await settle(6);
            expect(getJob).toHaveBeenCalled();
            expect(calloutsMade()).toEqual([
                'JobsController.getJob',
                'ScreensController.getUsersAndTeamsScreen'
            ]);
            job.release();
            serviceScreen.runningJobs = { items: [] };
            await settle(6);
        });
    });

    it('is accessible', async () => {
        const element = await openScreen();
        await expect(element).toBeAccessible();
    });
});
