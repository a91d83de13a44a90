import { LightningElement, api } from 'lwc';

/** lightning-modal-header for jest: renders what it is given (the sfdx-lwc-jest stub renders nothing). */
export default class ModalHeader extends LightningElement {
    @api label;
}
