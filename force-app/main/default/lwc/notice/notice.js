import { LightningElement, api } from 'lwc';

const VARIANTS = { info: 'slds-alert_info', warning: 'slds-alert_warning' };

/**
 * The one notice: what just happened or changed (info), or what the admin should know before going on (warning).
 * Read out politely (role="status"); `assertive` for what stops the admin now (role="alert"). The text is the
 * element's content; the screen places it (a margin class on <c-notice>) and names it (data-id) as before.
 */
export default class Notice extends LightningElement {
    @api variant = 'info';
    @api assertive = false;

    get boxClass() {
        return `slds-notify slds-notify_alert ${VARIANTS[this.variant] || VARIANTS.info}`;
    }
    get role() {
        return this.assertive ? 'alert' : 'status';
    }
}
