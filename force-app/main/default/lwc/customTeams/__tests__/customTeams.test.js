import CustomTeams from 'c/customTeams';
import listCustomTeams from '@salesforce/apex/TeamsController.listCustomTeams';
import createCustomTeam from '@salesforce/apex/TeamsController.createCustomTeam';
import updateCustomTeam from '@salesforce/apex/TeamsController.updateCustomTeam';
import deleteCustomTeam from '@salesforce/apex/TeamsController.deleteCustomTeam';
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
    openModal
} from 'roster-test';
import { flattenTeams } from 'c/teamTreeUtils';

const CUSTOM = require('../../teamHierarchy/__tests__/data/listCustomTeams.json');
const USERS = require('../../teamHierarchy/__tests__/data/listUsers.json').items;
const TEAMS = flattenTeams(require('../../teamHierarchy/__tests__/data/getTeamTree.json'));
const [STRATEGIC] = CUSTOM.items;
const [ADA, GRACE, LINUS] = USERS;
const nameOf = (u) => `${u.firstName} ${u.lastName}`;

/** What a lookup reports when the admin picks people in it (see c-roster-lookup's own tests for the typing). */
async function pick(dialog, id, value, selections) {
    byId(dialog, id).dispatchEvent(new CustomEvent('change', { detail: { value, selections } }));
    await settle();
}

/** The list as Team Hierarchy mounts it, from the screen's answer; after a change it reloads the list itself. */
async function openList(data = CUSTOM) {
    listCustomTeams.mockResolvedValue(clone(data));
    const element = mount('c-custom-teams', CustomTeams, { teams: TEAMS, list: clone(data) });
    await settle();
    return element;
}

describe('c-custom-teams', () => {
    afterEach(cleanup);

    it('lists custom teams with members, manager, viewers and size', async () => {
        const element = await openList();
        expect(text(element, 'custom-team')).toBe(
            'Strategic Accounts Members: Ada Lovelace, East (team) (3 of at most 100 people) Manager: Ada Lovelace · Viewers: Grace Hopper'
        );
    });

    it('creates a custom team with members, member teams, a manager and viewers', async () => {
        createCustomTeam.mockResolvedValue(clone(STRATEGIC));
        const element = await openList({ items: [] });
        expect(text(element, 'empty-custom-teams')).toBe('No custom teams yet.');
        await click(element, 'new-custom-team');
        const dialog = openModal();
        await change(dialog, 'custom-team-name', 'Renewals');
        await pick(
            dialog,
            'custom-team-users',
            [GRACE.id, LINUS.id],
            [
                { id: GRACE.id, label: nameOf(GRACE) },
                { id: LINUS.id, label: nameOf(LINUS) }
            ]
        );
        await pick(
            dialog,
            'custom-team-teams',
            [TEAMS[2].id],
            [{ id: TEAMS[2].id, label: 'West' }]
        );
        byId(dialog, 'custom-team-manager').dispatchEvent(
            new CustomEvent('change', { detail: { value: GRACE.id, label: nameOf(GRACE) } })
        );
        await settle();
        expect(byId(dialog, 'custom-team-manager').selectedLabel).toBe('Grace Hopper');
        expect(byId(dialog, 'custom-team-users').selections.map((s) => s.label)).toEqual([
            'Grace Hopper',
            'Linus Pauling'
        ]);
        await pick(dialog, 'custom-team-viewers', [ADA.id], [{ id: ADA.id, label: nameOf(ADA) }]);
        await click(dialog, 'save-custom-team');
        expect(createCustomTeam).toHaveBeenCalledWith({
            customTeam: {
                name: 'Renewals',
                userIds: [GRACE.id, LINUS.id],
                teamIds: [TEAMS[2].id],
                managerUserId: GRACE.id,
                viewerIds: [ADA.id]
            }
        });
        expect(openModal()).toBeNull();
        expect(listCustomTeams).toHaveBeenCalledTimes(1);
    });

    it('edits and deletes a custom team', async () => {
        updateCustomTeam.mockResolvedValue(clone(STRATEGIC));
        deleteCustomTeam.mockResolvedValue(null);
        const element = await openList();
        await click(element, `edit-${STRATEGIC.id}`);
        // The members and viewers show by name, from the names the service sent with the team.
        expect(byId(openModal(), 'custom-team-users').selections).toEqual([
            { id: ADA.id, label: 'Ada Lovelace' }
        ]);
        expect(byId(openModal(), 'custom-team-manager').selectedLabel).toBe('Ada Lovelace');
        byId(openModal(), 'custom-team-manager').dispatchEvent(
            new CustomEvent('change', { detail: { value: null, label: '' } })
        );
        await settle();
        await click(openModal(), 'save-custom-team');
        expect(updateCustomTeam).toHaveBeenCalledWith({
            customTeamId: STRATEGIC.id,
            changes: {
                name: 'Strategic Accounts',
                userIds: STRATEGIC.userIds,
                teamIds: STRATEGIC.teamIds,
                managerUserId: null,
                viewerIds: STRATEGIC.viewerIds
            }
        });
        await click(element, `delete-${STRATEGIC.id}`);
        expect(text(openModal(), 'confirm-message')).toContain(
            'its 3 people stop belonging to it and its 1 viewer loses access to its data'
        );
        expect(deleteCustomTeam).not.toHaveBeenCalled();
        await click(openModal(), 'confirm-ok');
        expect(deleteCustomTeam).toHaveBeenCalledWith({ customTeamId: STRATEGIC.id });
    });

    it('shows why a custom team was refused', async () => {
        createCustomTeam.mockRejectedValue(
            apexError(
                'A custom team holds at most 100 people once its teams are expanded; this one would hold 140.'
            )
        );
        const element = await openList();
        await click(element, 'new-custom-team');
        await change(openModal(), 'custom-team-name', 'Everyone');
        await click(openModal(), 'save-custom-team');
        expect(errorText(openModal())).toContain('at most 100 people');
        expect(openModal()).not.toBeNull();
    });

    it('is accessible', async () => {
        const element = await openList();
        await expect(element).toBeAccessible();
    });
});
