import { LightningElement, api } from 'lwc';

/**
 * One item of a profile's list (an eligibility group, a ranking group, a follow-up question): its heading and
 * body come from the screen (slots), the actions are the same everywhere. Sends `edit`, `remove`, and `move`
 * with { step: -1 | 1 } when movable.
 */
export default class ProfileItem extends LightningElement {
    /** Labels name the item ("Edit Partners"); without an edit label there is no Edit. */
    @api editLabel;
    @api removeLabel;
    @api upLabel;
    @api downLabel;
    @api movable = false;
    @api upDisabled = false;
    @api downDisabled = false;
    @api editDisabled = false;
    @api removeDisabled = false;

    get canEdit() {
        return !!this.editLabel;
    }
    edit() {
        this.dispatchEvent(new CustomEvent('edit'));
    }
    remove() {
        this.dispatchEvent(new CustomEvent('remove'));
    }
    up() {
        this.dispatchEvent(new CustomEvent('move', { detail: { step: -1 } }));
    }
    down() {
        this.dispatchEvent(new CustomEvent('move', { detail: { step: 1 } }));
    }
}
