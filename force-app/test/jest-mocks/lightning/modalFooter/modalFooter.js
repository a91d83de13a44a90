import { LightningElement, api } from 'lwc';

/** lightning-modal-footer for jest: renders what it is given (the sfdx-lwc-jest stub renders nothing). */
export default class ModalFooter extends LightningElement {
    @api label;
}
