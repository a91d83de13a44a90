import { LightningElement, api } from 'lwc';

/** When something happened, the one way the screens show it: day, month, year and time, in the admin's locale. */
export default class RosterTime extends LightningElement {
    /** An ISO date-time from the service. */
    @api value;
    /** For a table of recent runs, where the year only takes room. */
    @api withoutYear = false;

    get year() {
        return this.withoutYear ? undefined : 'numeric';
    }
}
