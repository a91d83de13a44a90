import RosterLookup from 'c/rosterLookup';
import listUsers from '@salesforce/apex/UsersController.listUsers';
import { mount, cleanup, settle, byId, allById, text, clone, pastDebounce } from 'roster-test';
import { flattenTeams } from 'c/teamTreeUtils';

const USERS = require('../../teamHierarchy/__tests__/data/listUsers.json');
const TEAMS = flattenTeams(require('../../teamHierarchy/__tests__/data/getTeamTree.json'));
const [ADA, GRACE] = USERS.items;

function keystroke(element, textTyped) {
    const input = byId(element, 'lookup-input');
    input.value = textTyped;
    input.dispatchEvent(new CustomEvent('input'));
}

async function type(element, textTyped) {
    keystroke(element, textTyped);
    await settle();
}

async function key(element, name) {
    byId(element, 'lookup-input').dispatchEvent(
        new KeyboardEvent('keydown', { key: name, bubbles: true })
    );
    await settle();
}

describe('c-roster-lookup', () => {
    afterEach(cleanup);

    it('asks the service once the admin pauses typing, and shows each match with email and team', async () => {
        listUsers.mockResolvedValue(clone(USERS));
        const element = mount('c-roster-lookup', RosterLookup, { label: 'Manager' });
        keystroke(element, 'a');
        keystroke(element, 'ad');
        keystroke(element, 'ada');
        await Promise.resolve();
        expect(listUsers).not.toHaveBeenCalled();
        expect(byId(element, 'lookup-searching')).not.toBeNull();
        await pastDebounce();
        expect(listUsers).toHaveBeenCalledTimes(1);
        expect(listUsers).toHaveBeenCalledWith({
            query: { search: 'ada', sort: 'name', limit: 10 }
        });
        const options = allById(element, 'lookup-option');
        expect(options).toHaveLength(USERS.items.length);
        expect(text(element, 'lookup-option')).toBe(`Ada Lovelace ${ADA.email} · ${ADA.teamName}`);
    });

    it('is operated by keyboard: arrows move, Enter picks, Escape closes the list', async () => {
        listUsers.mockResolvedValue(clone(USERS));
        const element = mount('c-roster-lookup', RosterLookup, { label: 'Manager' });
        const picked = jest.fn();
        element.addEventListener('change', picked);
        await type(element, 'a');
        await pastDebounce();
        const input = byId(element, 'lookup-input');
        expect(input.getAttribute('aria-expanded')).toBe('true');
        expect(input.getAttribute('role')).toBe('combobox');
        await key(element, 'ArrowDown');
        const active = element.shadowRoot.querySelector('[aria-selected="true"]');
        expect(active.textContent).toContain('Grace Hopper');
        expect(input.getAttribute('aria-activedescendant')).toBe(active.id);
        await key(element, 'Enter');
        expect(picked).toHaveBeenCalledTimes(1);
        expect(picked.mock.calls[0][0].detail).toMatchObject({
            value: GRACE.id,
            label: 'Grace Hopper'
        });
        expect(byId(element, 'lookup-selection').value).toBe('Grace Hopper');
        byId(element, 'lookup-clear').click();
        await settle();
        expect(picked.mock.calls[1][0].detail).toMatchObject({ value: null });
        await type(element, 'a');
        await pastDebounce();
        await key(element, 'Escape');
        expect(byId(element, 'lookup-input').getAttribute('aria-expanded')).toBe('false');
    });

    it('says when nothing matches', async () => {
        listUsers.mockResolvedValue({ items: [], nextCursor: null });
        const element = mount('c-roster-lookup', RosterLookup, { label: 'Manager' });
        await type(element, 'zzz');
        await pastDebounce();
        expect(text(element, 'lookup-no-results')).toBe('No match for “zzz”.');
    });

    it('searches teams by their path without asking the service', async () => {
        const element = mount('c-roster-lookup', RosterLookup, {
            label: 'Team',
            kind: 'team',
            teams: TEAMS
        });
        await type(element, 'west');
        await pastDebounce();
        expect(listUsers).not.toHaveBeenCalled();
        expect(text(element, 'lookup-option')).toBe('West Top-level team › Sales › West');
    });

    it('collects several picks as pills and removes one', async () => {
        listUsers.mockResolvedValue(clone(USERS));
        const element = mount('c-roster-lookup', RosterLookup, {
            label: 'Members',
            multiple: true,
            value: [ADA.id],
            selections: [{ id: ADA.id, label: 'Ada Lovelace' }]
        });
        const changes = jest.fn();
        element.addEventListener('change', changes);
        await type(element, 'grace');
        await pastDebounce();
        await key(element, 'ArrowDown');
        await key(element, 'Enter');
        expect(changes.mock.calls[0][0].detail.value).toEqual([ADA.id, GRACE.id]);
        const pills = byId(element, 'lookup-pills');
        expect(pills.items.map((p) => p.label)).toEqual(['Ada Lovelace', 'Grace Hopper']);
        pills.dispatchEvent(new CustomEvent('itemremove', { detail: { item: { name: ADA.id } } }));
        await settle();
        expect(changes.mock.calls[1][0].detail.value).toEqual([GRACE.id]);
    });

    it('is accessible with its list open', async () => {
        listUsers.mockResolvedValue(clone(USERS));
        const element = mount('c-roster-lookup', RosterLookup, { label: 'Manager' });
        await type(element, 'a');
        await pastDebounce();
        await expect(element).toBeAccessible();
    });
});
