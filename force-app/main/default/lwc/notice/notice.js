import { LightningElement } from 'lwc';

/**
 * The one info notice: what just happened or what changed, read out politely (role="status"). The text is the
 * element's content; the screen places it (a margin class on <c-notice>) and names it (data-id) as before.
 */
export default class Notice extends LightningElement {}
