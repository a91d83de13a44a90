import TeamHierarchy from 'c/teamHierarchy';
import getTeamHierarchyScreen from '@salesforce/apex/ScreensController.getTeamHierarchyScreen';
import createTeam from '@salesforce/apex/TeamsController.createTeam';
import updateTeam from '@salesforce/apex/TeamsController.updateTeam';
import deleteTeam from '@salesforce/apex/TeamsController.deleteTeam';
import getTeamHistory from '@salesforce/apex/TeamsController.getTeamHistory';
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
    captureToasts,
    openModal,
    calloutsMade,
    deepById,
    words
} from 'roster-test';

const SCREEN = require('./data/getTeamHierarchyScreen.json');
const TREE = require('./data/getTeamTree.json');
const USERS = require('./data/listUsers.json');
const SALES = TREE.top.children[0];
const [WEST, EAST] = SALES.children;
const [ADA] = USERS.items;

/** The screen as the admin opens it: one callout answers the tree, its managers, custom teams and history. */
async function openScreen(tree = TREE, parts = {}) {
    getTeamHierarchyScreen.mockResolvedValue({
        ...clone(SCREEN),
        teams: clone(tree),
        customTeams: { items: [] },
        topTeamHistory: { items: [], nextCursor: null },
        ...clone(parts)
    });
    getTeamHistory.mockResolvedValue({ items: [], nextCursor: null }); // other teams' history
    const element = mount('c-team-hierarchy', TeamHierarchy);
    await settle();
    return element;
}

async function selectTeam(element, team) {
    byId(element, 'team-tree').dispatchEvent(
        new CustomEvent('select', { detail: { name: team.id } })
    );
    await settle();
}

describe('c-team-hierarchy', () => {
    afterEach(cleanup);

    it('shows the tree with member counts and managers', async () => {
        const element = await openScreen();
        const [top, unassigned] = byId(element, 'team-tree').items;
        expect(top.label).toBe('Top-level team (0)');
        expect(top.items[0].label).toBe('Sales (1) · Manager: Ada Lovelace');
        expect(top.items[0].items.map((i) => i.label)).toEqual([
            'West (2) · Manager: Grace Hopper',
            'East (0) · Manager: Ada Lovelace'
        ]);
        expect(unassigned.label).toBe('Unassigned (1)');
    });

    it("shows a team's manager, how it was chosen, and the warning when several users could manage it", async () => {
        const element = await openScreen();
        await selectTeam(element, WEST);
        expect(text(element, 'team-manager')).toBe(
            'Manager: Grace Hopper (derived from the Manager role)'
        );
        expect(text(element, 'manager-warning')).toContain('Grace Hopper was chosen');
        await selectTeam(element, EAST);
        expect(text(element, 'team-manager')).toBe('Manager: Ada Lovelace (set by hand)');
    });

    it('adds a team under the selected team', async () => {
        createTeam.mockResolvedValue({
            ...clone(WEST),
            id: 'new-team',
            name: 'North',
            warnings: undefined
        });
        const element = await openScreen();
        const toasts = captureToasts();
        await selectTeam(element, SALES);
        await click(element, 'add-team');
        expect(byId(openModal(), 'new-team-parent').value).toBe(SALES.id);
        expect(byId(openModal(), 'save-team').disabled).toBe(true);
        await change(openModal(), 'new-team-name', 'North');
        await click(openModal(), 'save-team');
        expect(createTeam).toHaveBeenCalledWith({ name: 'North', parentId: SALES.id });
        expect(openModal()).toBeNull();
        expect(toasts[0].title).toBe('North was added.');
    });

    it('keeps Add Team open with the reason when the name is refused, and Cancel adds nothing', async () => {
        createTeam.mockRejectedValue(apexError('A team named West already exists under Sales.'));
        const element = await openScreen();
        await selectTeam(element, SALES);
        await click(element, 'add-team');
        await click(element, 'add-team');
        expect(document.body.querySelectorAll('[data-modal="open"]').length).toBe(1);
        await change(openModal(), 'new-team-name', 'West');
        await click(openModal(), 'save-team');
        expect(errorText(openModal())).toContain('A team named West already exists under Sales.');
        await click(openModal(), 'cancel-team');
        expect(openModal()).toBeNull();
        expect(createTeam).toHaveBeenCalledTimes(1);
    });

    it('renames, moves and sets the manager of a team', async () => {
        updateTeam.mockResolvedValue({ ...clone(WEST), warnings: [] });
        const element = await openScreen();
        const toasts = captureToasts();
        await selectTeam(element, WEST);
        await change(element, 'rename-input', 'West Coast');
        await click(element, 'rename-team');
        expect(updateTeam).toHaveBeenLastCalledWith({
            teamId: WEST.id,
            changes: { name: 'West Coast' }
        });

        expect(byId(element, 'move-team').options.map((o) => o.value)).toEqual([
            TREE.top.id,
            SALES.id,
            EAST.id
        ]);
        await change(element, 'move-team', EAST.id);
        // Moving asks first, naming what moves and how many.
        expect(text(openModal(), 'confirm-message')).toBe(
            'West and everything beneath it move under Top-level team › Sales › East.'
        );
        expect(text(openModal(), 'confirm-details')).toContain('2 users in West itself');
        expect(updateTeam).toHaveBeenCalledTimes(1);
        await click(openModal(), 'confirm-ok');
        expect(updateTeam).toHaveBeenLastCalledWith({
            teamId: WEST.id,
            changes: { parentId: EAST.id }
        });
        expect(toasts.map((t) => t.title)).toContain('West now sits under East.');

        const manager = byId(element, 'set-manager');
        manager.dispatchEvent(
            new CustomEvent('change', { detail: { value: ADA.id, label: 'Ada Lovelace' } })
        );
        await settle();
        expect(updateTeam).toHaveBeenLastCalledWith({
            teamId: WEST.id,
            changes: { managerUserId: ADA.id }
        });
        expect(toasts.map((t) => t.title)).toContain('Ada Lovelace now manages West.');
        manager.dispatchEvent(new CustomEvent('change', { detail: { value: null } }));
        await settle();
        expect(updateTeam).toHaveBeenLastCalledWith({
            teamId: WEST.id,
            changes: { managerUserId: null }
        });
    });

    it('moves nothing when the admin cancels the move', async () => {
        const element = await openScreen();
        await selectTeam(element, WEST);
        await change(element, 'move-team', EAST.id);
        await click(openModal(), 'confirm-cancel');
        expect(updateTeam).not.toHaveBeenCalled();
        expect(byId(element, 'move-team').value).toBe(SALES.id);
    });

    it('deletes a team after the admin chooses where its members go', async () => {
        deleteTeam.mockResolvedValue(null);
        const element = await openScreen();
        const toasts = captureToasts();
        await selectTeam(element, WEST);
        await click(element, 'delete-team');
        expect(text(openModal(), 'delete-team-warning')).toContain(
            'Its 2 members and 0 sub-teams move to the team you choose'
        );
        expect(byId(openModal(), 'move-members-to').value).toBe(SALES.id);
        await change(openModal(), 'move-members-to', EAST.id);
        await click(openModal(), 'confirm-delete-team');
        expect(openModal()).toBeNull();
        expect(deleteTeam).toHaveBeenCalledWith({ teamId: WEST.id, moveMembersTo: EAST.id });
        expect(toasts[0].title).toBe('West was deleted.');
    });

    it('does not offer rename, move or delete for the built-in teams', async () => {
        const element = await openScreen();
        await selectTeam(element, TREE.unassigned);
        expect(byId(element, 'delete-team')).toBeNull();
        expect(text(element, 'builtin-team')).toContain('cannot be renamed, moved or deleted');
    });

    it('says the Salesforce sync is stopped while the service has it stopped on a Blocked check, as Users and Teams does', async () => {
        const element = await openScreen(TREE, {
            mode: {
                ...SCREEN.mode,
                mode: 'automatic',
                stopped: {
                    message:
                        'Salesforce sync stopped: the latest Integration Health check is Blocked.',
                    missing: ['Task.WhoId', 'User.ManagerId'],
                    checkedAt: '2026-11-21T09:00:00.000Z'
                }
            }
        });
        const stopped = deepById(
            element.shadowRoot.querySelector('c-roster-page'),
            'banner-health'
        );
        expect(words(stopped)).toBe(
            'The Salesforce sync is stopped: Integration Health is Blocked: 2 required permissions or fields are missing for the integration user. See what to fix'
        );
        expect(stopped.getAttribute('role')).toBe('alert');
        expect(stopped.querySelector('a').getAttribute('href')).toBe(
            '/lightning/n/Roster_Integration_Health'
        );
        // The tree is still there to work on.
        expect(byId(element, 'team-tree').items).toHaveLength(2);
        await expect(element).toBeAccessible();
    });

    it('says nothing about the sync while it runs', async () => {
        const element = await openScreen(TREE, { mode: { ...SCREEN.mode, mode: 'automatic' } });
        expect(
            deepById(element.shadowRoot.querySelector('c-roster-page'), 'banner-health')
        ).toBeNull();
    });

    it('offers no adding, renaming, moving or deleting of hierarchy teams in Automatic Mode, and says why', async () => {
        const element = await openScreen(TREE, { mode: { ...SCREEN.mode, mode: 'automatic' } });
        const addTeam = byId(element, 'add-team');
        expect(addTeam.disabled).toBe(true);
        const reason =
            'Salesforce manages the hierarchy in Automatic Mode: teams are added, renamed, moved and deleted there, and the sync brings each change here. Managers and custom teams are still set here.';
        expect(addTeam.title).toBe(reason);
        expect(text(element, 'hierarchy-owned-by-salesforce')).toBe(reason);
        await click(element, 'add-team');
        expect(openModal()).toBeNull();

        await selectTeam(element, WEST);
        for (const control of ['rename-input', 'rename-team', 'move-team', 'delete-team'])
            expect(byId(element, control)).toBeNull();
        expect(text(element, 'team-owned-by-salesforce')).toBe(
            'Salesforce manages the hierarchy in Automatic Mode: this team is renamed, moved and deleted there.'
        );
        // The manager is Roster's own, in either mode.
        updateTeam.mockResolvedValue({ ...clone(WEST), warnings: [] });
        byId(element, 'set-manager').dispatchEvent(
            new CustomEvent('change', { detail: { value: ADA.id, label: 'Ada Lovelace' } })
        );
        await settle();
        expect(updateTeam).toHaveBeenCalledWith({
            teamId: WEST.id,
            changes: { managerUserId: ADA.id }
        });
        // Custom teams are Roster's too: still created and edited here.
        const custom = element.shadowRoot.querySelector('c-custom-teams');
        expect(byId(custom, 'new-custom-team').disabled).toBeFalsy();
        await expect(element).toBeAccessible();
    });

    it('offers adding, renaming, moving and deleting hierarchy teams in Manual Mode, with no reason shown', async () => {
        const element = await openScreen();
        expect(byId(element, 'add-team').disabled).toBe(false);
        expect(byId(element, 'hierarchy-owned-by-salesforce')).toBeNull();
        await click(element, 'add-team');
        expect(openModal()).not.toBeNull();
        await click(openModal(), 'cancel-team');
        await selectTeam(element, WEST);
        for (const control of ['rename-input', 'rename-team', 'move-team', 'delete-team'])
            expect(byId(element, control)).not.toBeNull();
        expect(byId(element, 'team-owned-by-salesforce')).toBeNull();
    });

    it("shows the service's refusal", async () => {
        updateTeam.mockRejectedValue(
            apexError('A team cannot move under itself or one of its own sub-teams.')
        );
        const element = await openScreen();
        await selectTeam(element, SALES);
        await change(element, 'move-team', TREE.top.id);
        await click(openModal(), 'confirm-ok');
        expect(errorText(openModal())).toContain('A team cannot move under itself');
    });

    it("shows the selected team's membership history with dates, and pages back", async () => {
        const element = await openScreen();
        getTeamHistory
            .mockResolvedValueOnce({
                items: [
                    {
                        userId: ADA.id,
                        email: ADA.email,
                        firstName: 'Ada',
                        lastName: 'Lovelace',
                        teamId: WEST.id,
                        startedAt: '2026-11-01T09:00:00.000Z',
                        endedAt: '2026-11-20T09:00:00.000Z'
                    }
                ],
                nextCursor: 'next'
            })
            .mockResolvedValueOnce({ items: [], nextCursor: null });
        await selectTeam(element, WEST);
        const history = element.shadowRoot.querySelector('c-team-history');
        expect(getTeamHistory).toHaveBeenLastCalledWith({ teamId: WEST.id, cursor: null });
        expect(byId(history, 'team-history').data).toEqual([
            expect.objectContaining({
                name: 'Ada Lovelace',
                started: 'Nov 1, 2026, 9:00 AM UTC',
                ended: 'Nov 20, 2026, 9:00 AM UTC'
            })
        ]);
        await click(history, 'team-history-more');
        expect(getTeamHistory).toHaveBeenLastCalledWith({ teamId: WEST.id, cursor: 'next' });
    });

    it('opens with one callout: the managers, custom teams and the top team’s history come with the tree', async () => {
        const element = await openScreen(TREE, {
            customTeams: SCREEN.customTeams,
            topTeamHistory: SCREEN.topTeamHistory
        });
        expect(calloutsMade()).toEqual(['ScreensController.getTeamHierarchyScreen']);
        const history = element.shadowRoot.querySelector('c-team-history');
        expect(byId(history, 'team-history').data).toEqual([
            expect.objectContaining({ name: 'Ada Lovelace', email: 'ada@example.com' })
        ]);
        const custom = element.shadowRoot.querySelector('c-custom-teams');
        expect(text(custom, 'custom-team')).toContain('Strategic Accounts');
    });

    it('is accessible', async () => {
        const element = await openScreen();
        await selectTeam(element, WEST);
        await expect(element).toBeAccessible();
    });
});
