import { LightningElement, api } from 'lwc';

/**
 * The editor of one eligibility or ranking group: its heading, the refusal, the group's own fields (slotted by
 * the parent), its conditions, Save and Cancel. Sends `conditionschange` (as c-profile-conditions does), `save`
 * and `cancel`; `idPrefix` names its parts for tests (`<prefix>-conditions`, `save-<prefix>-group`...).
 */
export default class ProfileGroupEditor extends LightningElement {
    @api heading;
    @api error;
    @api failureMessage;
    @api idPrefix;
    @api kind;
    @api fields;
    @api conditions;
    @api errors;
    @api saveLabel;
    @api saveDisabled = false;

    get conditionsId() {
        return `${this.idPrefix}-conditions`;
    }
    get saveId() {
        return `save-${this.idPrefix}-group`;
    }
    get cancelId() {
        return `cancel-${this.idPrefix}-group`;
    }

    relayConditions(event) {
        event.stopPropagation();
        this.dispatchEvent(new CustomEvent('conditionschange', { detail: event.detail }));
    }
    save() {
        this.dispatchEvent(new CustomEvent('save'));
    }
    cancel() {
        this.dispatchEvent(new CustomEvent('cancel'));
    }
}
