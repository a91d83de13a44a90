import { LightningElement, api } from 'lwc';

/** lightning-modal-body for jest: renders what it is given (the sfdx-lwc-jest stub renders nothing). */
export default class ModalBody extends LightningElement {
    @api label;
}
