import TeamHierarchy from 'c/teamHierarchy';
import getTeamTree from '@salesforce/apex/TeamsController.getTeamTree';
import listUsers from '@salesforce/apex/UsersController.listUsers';
import createTeam from '@salesforce/apex/TeamsController.createTeam';
import updateTeam from '@salesforce/apex/TeamsController.updateTeam';
import deleteTeam from '@salesforce/apex/TeamsController.deleteTeam';
import listCustomTeams from '@salesforce/apex/TeamsController.listCustomTeams';
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
    errorText
} from 'roster-test';

const TREE = require('./data/getTeamTree.json');
const USERS = require('./data/listUsers.json');
const SALES = TREE.top.children[0];
const [WEST, EAST] = SALES.children;
const [ADA] = USERS.items;

async function openScreen(tree = TREE) {
    listUsers.mockResolvedValue(clone(USERS));
    const element = mount('c-team-hierarchy', TeamHierarchy);
    getTeamTree.emit(clone(tree));
    listCustomTeams.emit({ items: [] });
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
        expect(listUsers).toHaveBeenCalledWith({ query: { sort: 'name', limit: 500 } });
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
        await selectTeam(element, SALES);
        await click(element, 'add-team');
        expect(byId(element, 'save-team').disabled).toBe(true);
        await change(element, 'new-team-name', 'North');
        await click(element, 'save-team');
        expect(createTeam).toHaveBeenCalledWith({ name: 'North', parentId: SALES.id });
        expect(text(element, 'notice')).toBe('North was added.');
    });

    it('renames, moves and sets the manager of a team', async () => {
        updateTeam.mockResolvedValue({ ...clone(WEST), warnings: [] });
        const element = await openScreen();
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
        expect(updateTeam).toHaveBeenLastCalledWith({
            teamId: WEST.id,
            changes: { parentId: EAST.id }
        });
        expect(text(element, 'notice')).toBe('West now sits under East.');

        await change(element, 'set-manager', ADA.id);
        expect(updateTeam).toHaveBeenLastCalledWith({
            teamId: WEST.id,
            changes: { managerUserId: ADA.id }
        });
        await change(element, 'set-manager', '');
        expect(updateTeam).toHaveBeenLastCalledWith({
            teamId: WEST.id,
            changes: { managerUserId: null }
        });
    });

    it('deletes a team after the admin chooses where its members go', async () => {
        deleteTeam.mockResolvedValue(null);
        const element = await openScreen();
        await selectTeam(element, WEST);
        await click(element, 'delete-team');
        expect(text(element, 'delete-team-warning')).toContain(
            'Its 2 members and its sub-teams move to the team you choose'
        );
        await change(element, 'move-members-to', EAST.id);
        await click(element, 'confirm-delete-team');
        expect(deleteTeam).toHaveBeenCalledWith({ teamId: WEST.id, moveMembersTo: EAST.id });
        expect(text(element, 'notice')).toBe('West was deleted.');
    });

    it('does not offer rename, move or delete for the built-in teams', async () => {
        const element = await openScreen();
        await selectTeam(element, TREE.unassigned);
        expect(byId(element, 'delete-team')).toBeNull();
        expect(text(element, 'builtin-team')).toContain('cannot be renamed, moved or deleted');
    });

    it("shows the service's refusal", async () => {
        updateTeam.mockRejectedValue(
            apexError('A team cannot move under itself or one of its own sub-teams.')
        );
        const element = await openScreen();
        await selectTeam(element, SALES);
        await change(element, 'move-team', TREE.top.id);
        expect(errorText(element)).toContain('A team cannot move under itself');
    });

    it('is accessible', async () => {
        const element = await openScreen();
        await selectTeam(element, WEST);
        await expect(element).toBeAccessible();
    });
});
