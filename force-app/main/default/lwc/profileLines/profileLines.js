import { LightningElement, api } from 'lwc';

/**
 * The dotted lines under an item of a profile: a group's conditions, a matched record's reasons. A line may carry
 * the refusal that names it. Light DOM: the lines read (and are found) as part of the screen that shows them.
 */
export default class ProfileLines extends LightningElement {
    static renderMode = 'light';
    /** [{ key, text, dataId?, error?, errorId? }] */
    @api lines = [];
}
