import ModeSwitch from 'c/modeSwitch';
import getMode from '@salesforce/apex/ModeController.getMode';
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
    errorText
} from 'roster-test';

const MODE = require('./data/getMode.json');
const PREVIEW = require('./data/previewMode.json');

async function openIndicator(mode = MODE) {
    getMode.mockResolvedValue(clone(mode));
    const element = mount('c-mode-switch', ModeSwitch);
    await settle();
    return element;
}

describe('c-mode-switch', () => {
    afterEach(cleanup);

    it('shows the current Manage Mode', async () => {
        const element = await openIndicator();
        expect(text(element, 'mode-label')).toBe('Manual');
    });

    it('previews what enabling Automatic Mode would change before asking to confirm', async () => {
        previewMode.mockResolvedValue(clone(PREVIEW));
        const element = await openIndicator();
        await click(element, 'change-mode');
        expect(previewMode).toHaveBeenCalledWith({ mode: 'automatic', hierarchySource: 'role' });
        expect(byId(element, 'hierarchy-source').value).toBe('role');
        expect(text(element, 'mode-warning')).toContain(
            'replaces your teams with the Salesforce role hierarchy'
        );
        expect(text(element, 'preview-teams-create')).toBe(
            'Teams to create (2) VP Sales (under Top-level team) AE West (under VP Sales)'
        );
        expect(text(element, 'preview-teams-delete')).toBe(
            'Teams to replace (1) West (its id will lead to AE West)'
        );
        expect(text(element, 'preview-users-create')).toBe(
            'Users to create (1) New Rep (new.rep@example.com) in AE West'
        );
        expect(text(element, 'preview-users-move')).toBe(
            'Users to move (1) grace@example.com: West → AE West'
        );
        expect(text(element, 'preview-users-unmatched')).toContain(
            'moved to the top-level team) (1) ada@example.com'
        );
        expect(text(element, 'preview-skipped')).toBe(
            'Salesforce users skipped (1) Old Rep (old.rep@example.com): inactive in Salesforce'
        );
        expect(byId(element, 'preview-users-suspend')).toBeNull();
        expect(setMode).not.toHaveBeenCalled();
    });

    it('switches only when the admin confirms, then tells the page', async () => {
        previewMode.mockResolvedValue(clone(PREVIEW));
        setMode.mockResolvedValue({ ...clone(MODE), mode: 'automatic' });
        const element = await openIndicator();
        const changed = jest.fn();
        element.addEventListener('modechanged', changed);
        await click(element, 'change-mode');
        getMode.mockResolvedValue({ ...clone(MODE), mode: 'automatic', hierarchySource: 'role' });
        await click(element, 'confirm-mode');
        expect(setMode).toHaveBeenCalledWith({ mode: 'automatic', hierarchySource: 'role' });
        expect(changed.mock.calls[0][0].detail).toEqual({ mode: 'automatic' });
        expect(text(element, 'mode-label')).toBe('Automatic');
        expect(text(element, 'mode-source')).toBe('(Role hierarchy)');
    });

    it('builds teams from Salesforce managers when the admin picks the manager hierarchy', async () => {
        const byManager = {
            ...clone(PREVIEW),
            hierarchySource: 'manager',
            teams: {
                create: [{ name: 'Ada Lovelace', parentName: 'Top-level team' }],
                rename: [],
                move: [],
                delete: []
            }
        };
        previewMode.mockImplementation(({ hierarchySource }) =>
            Promise.resolve(hierarchySource === 'manager' ? clone(byManager) : clone(PREVIEW))
        );
        setMode.mockResolvedValue({
            ...clone(MODE),
            mode: 'automatic',
            hierarchySource: 'manager'
        });
        const element = await openIndicator();
        await click(element, 'change-mode');
        await change(element, 'hierarchy-source', 'manager');
        expect(previewMode).toHaveBeenLastCalledWith({
            mode: 'automatic',
            hierarchySource: 'manager'
        });
        expect(text(element, 'mode-warning')).toContain(
            'replaces your teams with teams built from Salesforce managers (a team per manager)'
        );
        expect(text(element, 'preview-teams-create')).toBe(
            'Teams to create (1) Ada Lovelace (under Top-level team)'
        );
        getMode.mockResolvedValue({
            ...clone(MODE),
            mode: 'automatic',
            hierarchySource: 'manager'
        });
        await click(element, 'confirm-mode');
        expect(setMode).toHaveBeenCalledWith({ mode: 'automatic', hierarchySource: 'manager' });
        expect(text(element, 'mode-source')).toBe('(Manager hierarchy: a team per manager)');
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
        previewMode.mockResolvedValue({
            ...clone(PREVIEW),
            mode: 'manual',
            teams: { create: [], rename: [], move: [], delete: [] },
            users: { create: [], move: [], suspend: [], unmatched: [] },
            skipped: []
        });
        const element = await openIndicator({ ...MODE, mode: 'automatic' });
        await click(element, 'change-mode');
        expect(previewMode).toHaveBeenCalledWith({ mode: 'manual' });
        expect(byId(element, 'hierarchy-source')).toBeNull();
        expect(text(element, 'mode-warning')).toContain('stops syncing with Salesforce');
        expect(text(element, 'preview-nothing')).toBe('Nothing changes in teams or users.');
    });

    it('explains why Automatic Mode cannot be enabled yet', async () => {
        previewMode.mockRejectedValue(
            apexError('Automatic Mode needs a working Salesforce connection.')
        );
        const element = await openIndicator();
        await click(element, 'change-mode');
        expect(errorText(element)).toContain(
            'Automatic Mode needs a working Salesforce connection.'
        );
        expect(byId(element, 'confirm-mode').disabled).toBe(true);
    });

    it('is accessible with the preview open', async () => {
        previewMode.mockResolvedValue(clone(PREVIEW));
        const element = await openIndicator();
        await click(element, 'change-mode');
        await expect(element).toBeAccessible();
    });
});
