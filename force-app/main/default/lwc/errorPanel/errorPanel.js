import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/reduceErrors';

/** The one way errors are shown: a friendly line, then every message the service or Salesforce gave. */
export default class ErrorPanel extends LightningElement {
    @api friendlyMessage = 'Something went wrong.';
    @api errors;

    get messages() {
        return reduceErrors(this.errors);
    }

    get hasErrors() {
        return this.messages.length > 0;
    }
}
