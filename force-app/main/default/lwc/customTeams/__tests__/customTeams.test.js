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
    errorText
} from 'roster-test';
import { flattenTeams } from 'c/teamTreeUtils';

const CUSTOM = require('../../teamHierarchy/__tests__/data/listCustomTeams.json');
const USERS = require('../../teamHierarchy/__tests__/data/listUsers.json').items;
const TEAMS = flattenTeams(require('../../teamHierarchy/__tests__/data/getTeamTree.json'));
const [STRATEGIC] = CUSTOM.items;
const [ADA, GRACE, LINUS] = USERS;

async function openList(data = CUSTOM) {
    const element = mount('c-custom-teams', CustomTeams, { users: USERS, teams: TEAMS });
    listCustomTeams.emit(clone(data));
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
        await change(element, 'custom-team-name', 'Renewals');
        await change(element, 'custom-team-users', [GRACE.id, LINUS.id]);
        await change(element, 'custom-team-teams', [TEAMS[2].id]);
        await change(element, 'custom-team-manager', GRACE.id);
        await change(element, 'custom-team-viewers', [ADA.id]);
        await click(element, 'save-custom-team');
        expect(createCustomTeam).toHaveBeenCalledWith({
            customTeam: {
                name: 'Renewals',
                userIds: [GRACE.id, LINUS.id],
                teamIds: [TEAMS[2].id],
                managerUserId: GRACE.id,
                viewerIds: [ADA.id]
            }
        });
        expect(byId(element, 'save-custom-team')).toBeNull();
    });

    it('edits and deletes a custom team', async () => {
        updateCustomTeam.mockResolvedValue(clone(STRATEGIC));
        deleteCustomTeam.mockResolvedValue(null);
        const element = await openList();
        await click(element, `edit-${STRATEGIC.id}`);
        await change(element, 'custom-team-manager', '');
        await click(element, 'save-custom-team');
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
        await change(element, 'custom-team-name', 'Everyone');
        await click(element, 'save-custom-team');
        expect(errorText(element)).toContain('at most 100 people');
    });

    it('is accessible', async () => {
        const element = await openList();
        await expect(element).toBeAccessible();
    });
});
