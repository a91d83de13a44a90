import ProfileItem from 'c/profileItem';
import { mount, cleanup, settle, byId, click } from 'roster-test';

const open = (props) => {
    const element = mount('c-profile-item', ProfileItem, props);
    const events = [];
    ['edit', 'remove', 'move'].forEach((name) =>
        element.addEventListener(name, (e) => events.push([name, e.detail]))
    );
    return settle().then(() => ({ element, events }));
};

describe('c-profile-item', () => {
    afterEach(cleanup);

    it('offers edit, remove and moving, named after the item, and says which was chosen', async () => {
        const { element, events } = await open({
            editLabel: 'Edit Partners',
            removeLabel: 'Remove Partners',
            upLabel: 'Move Partners up',
            downLabel: 'Move Partners down',
            movable: true,
            upDisabled: true
        });
        expect(byId(element, 'item-edit').alternativeText).toBe('Edit Partners');
        expect(byId(element, 'item-up').disabled).toBe(true);
        await click(element, 'item-edit');
        await click(element, 'item-down');
        await click(element, 'item-remove');
        expect(events).toEqual([
            ['edit', null],
            ['move', { step: 1 }],
            ['remove', null]
        ]);
    });

    it('has only Remove when the item cannot be edited or moved', async () => {
        const { element } = await open({ removeLabel: 'Remove question 1' });
        expect(byId(element, 'item-edit')).toBeNull();
        expect(byId(element, 'item-up')).toBeNull();
        expect(byId(element, 'item-remove').title).toBe('Remove question 1');
    });

    it('is accessible', async () => {
        const { element } = await open({ editLabel: 'Edit X', removeLabel: 'Remove X' });
        await expect(element).toBeAccessible();
    });
});
