import { LightningElement, api } from 'lwc';

/**
 * An SLDS modal dialog (role=dialog, labelled by its heading, Escape closes it). A plain component
 * rather than lightning/modal so the same screens run in the local preview and in jest.
 */
export default class RosterDialog extends LightningElement {
    @api heading;
    @api size = 'small';

    get sectionClass() {
        return `slds-modal slds-fade-in-open slds-modal_${this.size}`;
    }

    renderedCallback() {
        if (!this.focused) {
            this.focused = true;
            const close = this.template.querySelector('[data-id="dialog-close"]');
            if (close) close.focus();
        }
    }

    handleKeydown(event) {
        if (event.key === 'Escape') this.close();
    }

    close() {
        this.dispatchEvent(new CustomEvent('close'));
    }
}
