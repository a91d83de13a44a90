import UsersAndTeams from 'c/usersAndTeams';
import listUsers from '@salesforce/apex/UsersController.listUsers';
import getUserCounts from '@salesforce/apex/UsersController.getUserCounts';
import createUser from '@salesforce/apex/UsersController.createUser';
import updateUser from '@salesforce/apex/UsersController.updateUser';
import suspendUser from '@salesforce/apex/UsersController.suspendUser';
import reactivateUser from '@salesforce/apex/UsersController.reactivateUser';
import deleteUser from '@salesforce/apex/UsersController.deleteUser';
import exportUsers from '@salesforce/apex/UsersController.exportUsers';
import getTeamTree from '@salesforce/apex/TeamsController.getTeamTree';
import listProfiles from '@salesforce/apex/ProfilesController.listProfiles';
import getProfileSummary from '@salesforce/apex/ProfilesController.getProfileSummary';
import getMode from '@salesforce/apex/ModeController.getMode';
import { mount, cleanup, settle, byId, text, click, change, apexError, clone } from 'roster-test';

const USER_PAGE = require('./data/listUsers.json');
const COUNTS = require('./data/getUserCounts.json');
const TEAMS = require('./data/getTeamTree.json');
const PROFILES = require('./data/listProfiles.json');
const SUMMARY = require('./data/getProfileSummary.json');
const MODE = require('./data/getMode.json');
const [ADA, GRACE, LINUS] = USER_PAGE.items;

async function openScreen({ page = USER_PAGE, mode = MODE } = {}) {
    listUsers.mockResolvedValue(clone(page));
    const element = mount('c-users-and-teams', UsersAndTeams);
    getUserCounts.emit(clone(COUNTS));
    getTeamTree.emit(clone(TEAMS));
    listProfiles.emit(clone(PROFILES));
    getMode.emit(clone(mode));
    await settle();
    return element;
}

const table = (element) => byId(element, 'user-table');
const rowOf = (element, user) => table(element).data.find((row) => row.id === user.id);

async function rowAction(element, name, user) {
    table(element).dispatchEvent(
        new CustomEvent('rowaction', { detail: { action: { name }, row: rowOf(element, user) } })
    );
    await settle();
}

const editor = (element) => element.shadowRoot.querySelector('c-user-editor');

describe('c-users-and-teams', () => {
    afterEach(cleanup);

    it('shows the live count of users by status', async () => {
        const element = await openScreen();
        expect(text(element, 'count-total')).toBe('4 Total Users');
        expect(text(element, 'count-pending')).toBe('1 Pending');
        expect(text(element, 'count-permissionErrors')).toBe('1 Permission Errors');
        expect(text(element, 'count-suspended')).toBe('1 Suspended');
    });

    it('lists users with their role, team, licenses and status in words', async () => {
        const element = await openScreen();
        expect(listUsers).toHaveBeenCalledWith({
            query: {
                search: '',
                status: '',
                role: '',
                teamId: '',
                license: '',
                profileId: '',
                sort: 'name',
                limit: 50,
                cursor: undefined
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

    it('searches, filters and sorts through the service', async () => {
        const element = await openScreen();
        await change(element, 'search', 'grace', 'commit');
        expect(listUsers).toHaveBeenLastCalledWith({
            query: expect.objectContaining({ search: 'grace', cursor: undefined })
        });
        await change(element, 'filter-status', 'suspended');
        expect(listUsers).toHaveBeenLastCalledWith({
            query: expect.objectContaining({ search: 'grace', status: 'suspended' })
        });
        await change(element, 'filter-team', TEAMS.top.children[0].id);
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
        const teamLabels = byId(element, 'filter-team').options.map((o) => o.label);
        expect(teamLabels).toEqual([
            'All teams',
            'Top-level team',
            'Top-level team › Sales',
            'Top-level team › Sales › West',
            'Top-level team › Sales › East',
            'Unassigned'
        ]);
        expect(byId(element, 'filter-profile').options.map((o) => o.label)).toEqual([
            'All profiles',
            'Default - Intake Off',
            'Sales - Full Sync'
        ]);
    });

    it('adds a user with every field of the Add User dialog', async () => {
        createUser.mockResolvedValue({ ...clone(ADA), id: 'new', warnings: [] });
        const element = await openScreen();
        await click(element, 'add-user');
        const dialog = editor(element);
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
        expect(editor(element)).toBeNull();
        expect(text(element, 'notice')).toBe('katherine@example.com was added.');
        expect(listUsers).toHaveBeenCalledTimes(2);
    });

    it('leaves the profile out for a new user without one, so the service assigns the default', async () => {
        createUser.mockResolvedValue({ ...clone(ADA), warnings: [] });
        const element = await openScreen();
        await click(element, 'add-user');
        await change(editor(element), 'email', 'new@example.com');
        await click(editor(element), 'save-user');
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
        await rowAction(element, 'edit', GRACE);
        await change(editor(element), 'role', 'admin');
        await click(editor(element), 'save-user');
        expect(updateUser).toHaveBeenCalledWith({ userId: GRACE.id, changes: { role: 'admin' } });
        expect(text(element, 'notice')).toBe('West has no manager now.');
    });

    it('keeps Salesforce-owned fields read-only in Automatic Mode', async () => {
        const element = await openScreen({ mode: { ...MODE, mode: 'automatic' } });
        await rowAction(element, 'edit', GRACE);
        expect(byId(editor(element), 'first-name').disabled).toBe(true);
        expect(byId(editor(element), 'team').disabled).toBe(true);
        expect(byId(editor(element), 'role').disabled).toBeFalsy();
        expect(text(editor(element), 'salesforce-owned')).toContain('come from Salesforce');
    });

    it('suspends a user after the admin gives a reason and confirms', async () => {
        suspendUser.mockResolvedValue({ ...clone(GRACE), status: 'suspended' });
        const element = await openScreen();
        await rowAction(element, 'suspend', GRACE);
        expect(byId(element, 'confirm-suspend').disabled).toBe(true);
        await change(element, 'suspend-reason', 'Left the company');
        await click(element, 'confirm-suspend');
        expect(suspendUser).toHaveBeenCalledWith({ userId: GRACE.id, reason: 'Left the company' });
        expect(text(element, 'notice')).toBe('grace@example.com was suspended.');
        expect(byId(element, 'confirm-suspend')).toBeNull();
    });

    it('offers Reactivate instead of Suspend for a suspended user, and reactivates them', async () => {
        reactivateUser.mockResolvedValue({ ...clone(LINUS), status: 'active' });
        const element = await openScreen();
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
    });

    it('deletes a user only after the admin types their email, naming what is lost', async () => {
        deleteUser.mockResolvedValue(null);
        const element = await openScreen();
        await rowAction(element, 'delete', LINUS);
        expect(text(element, 'delete-warning')).toContain(
            'permanently removes linus@example.com and all of their past activity data'
        );
        await change(element, 'delete-confirmation', 'someone@example.com');
        expect(byId(element, 'confirm-delete').disabled).toBe(true);
        await change(element, 'delete-confirmation', 'Linus@Example.com');
        expect(byId(element, 'confirm-delete').disabled).toBe(false);
        await click(element, 'confirm-delete');
        expect(deleteUser).toHaveBeenCalledWith({
            userId: LINUS.id,
            confirmEmail: 'Linus@Example.com'
        });
        expect(text(element, 'notice')).toBe('linus@example.com was deleted.');
    });

    it("shows the service's message when an action fails and keeps the dialog open", async () => {
        suspendUser.mockRejectedValue(
            apexError('ada@example.com is the last admin and cannot be suspended.')
        );
        const element = await openScreen();
        await rowAction(element, 'suspend', ADA);
        await change(element, 'suspend-reason', 'Testing');
        await click(element, 'confirm-suspend');
        const panels = [...element.shadowRoot.querySelectorAll('c-error-panel')].map(
            (p) => p.shadowRoot.textContent
        );
        expect(panels.join(' ')).toContain(
            'ada@example.com is the last admin and cannot be suspended.'
        );
        expect(byId(element, 'confirm-suspend')).not.toBeNull();
    });

    it('says so when the user list cannot be loaded', async () => {
        listUsers.mockRejectedValue(
            apexError('The Roster service could not be reached: Read timed out')
        );
        const element = mount('c-users-and-teams', UsersAndTeams);
        await settle();
        const panel = element.shadowRoot.querySelector('c-error-panel');
        expect(panel.shadowRoot.textContent).toContain('The users could not be loaded.');
        expect(panel.shadowRoot.textContent).toContain('Read timed out');
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
        expect(text(element, 'profile-summary')).toContain(
            'Enabled Intake Data Display Data Push Data Email Sync Meeting Sync Disabled Transcript Intake'
        );
    });

    it('exports users as a CSV file', async () => {
        exportUsers.mockResolvedValue('Email,First Name\nada@example.com,Ada\n');
        const element = await openScreen();
        const clicks = jest
            .spyOn(HTMLAnchorElement.prototype, 'click')
            .mockImplementation(() => {});
        await click(element, 'export-users');
        expect(exportUsers).toHaveBeenCalledWith();
        expect(clicks).toHaveBeenCalledTimes(1);
        clicks.mockRestore();
    });

    it('opens Import Users', async () => {
        const element = await openScreen();
        await click(element, 'import-users');
        expect(element.shadowRoot.querySelector('c-csv-import')).not.toBeNull();
    });

    it('is accessible', async () => {
        const element = await openScreen();
        await expect(element).toBeAccessible();
    });
});
