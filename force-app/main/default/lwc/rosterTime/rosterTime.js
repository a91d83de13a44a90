import { LightningElement, api } from 'lwc';

/** How a moment reads on every screen (lightning-formatted-date-time's and a datatable date column's options). */
export const MOMENT = {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit'
};

/** When something happened, the one way the screens show it: day, month, year and time, in the admin's locale. */
export default class RosterTime extends LightningElement {
    /** An ISO date-time from the service. */
    @api value;
    /** For a table of recent runs, where the year only takes room. */
    @api withoutYear = false;

    get format() {
        return this.withoutYear ? { ...MOMENT, year: undefined } : MOMENT;
    }
}
