import { LightningElement, api } from 'lwc';

/**
 * A dialog's Cancel and Save, inside its lightning-modal-footer: both held while the dialog is busy, so a
 * request is sent once however often Save is clicked. Sends `cancel` and `save`; a dialog's further step
 * (Count users) goes in the slot between them.
 */
export default class DialogFooter extends LightningElement {
    @api busy = false;
    /** Held for reasons of the dialog's own (nothing to save yet); always held while busy. */
    @api saveDisabled = false;
    @api saveLabel = 'Save';
    /** 'brand', or 'destructive' where Save removes something. */
    @api variant = 'brand';
    @api cancelId;
    @api saveId;

    get saveBlocked() {
        return this.busy || this.saveDisabled;
    }

    /** Moves focus to the admin's next step: `save` or `cancel`. */
    @api
    focusButton(which) {
        const button = this.refs[which === 'save' ? 'save' : 'cancel'];
        if (button) button.focus();
    }

    handleCancel() {
        if (!this.busy) this.dispatchEvent(new CustomEvent('cancel'));
    }

    handleSave() {
        if (!this.saveBlocked) this.dispatchEvent(new CustomEvent('save'));
    }
}
