import { LightningElement, api } from 'lwc';

export const INTEGRATION_HEALTH = '/lightning/n/Roster_Integration_Health';
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/**
 * The banner every screen shows while Integration Health is Blocked, in the same words: `stopped` when the service
 * says the sync is stopped on it (Automatic Mode), `missing` how many required items the integration user lacks.
 */
export function blockedHealthBanner({ missing = 0, stopped = false }) {
    return {
        key: 'health',
        variant: 'error',
        message: `${stopped ? 'The Salesforce sync is stopped: ' : ''}Integration Health is Blocked: ${plural(missing, 'required permission or field is', 'required permissions or fields are')} missing for the integration user.`,
        linkLabel: 'See what to fix',
        href: INTEGRATION_HEALTH
    };
}

/**
 * Every Roster tab's frame, as Setup pages look: the header (icon, title, what the page is for, actions),
 * banners that need the admin's attention (each with a link to where it is resolved), the one panel for a
 * load failure, then the page body. Outcomes of actions are toasts (c/rosterMessages), not notices here.
 */
export default class RosterPage extends LightningElement {
    @api heading;
    @api iconName;
    @api description;
    /** [{ key, variant: 'warning' | 'error' | 'info', message, linkLabel?, href? }] */
    @api banners = [];
    /** What failed while loading the page (any shape c/reduceErrors reads). */
    @api errors;
    @api errorHeading = 'This page could not be loaded completely.';

    get bannerItems() {
        return (this.banners || []).map((banner) => ({
            ...banner,
            className: `slds-notify slds-notify_alert slds-m-bottom_x-small slds-alert_${banner.variant === 'info' ? 'info' : banner.variant}`,
            iconName: `utility:${banner.variant === 'error' ? 'error' : banner.variant === 'info' ? 'info' : 'warning'}`,
            dataId: `banner-${banner.key}`,
            role: banner.variant === 'info' ? 'status' : 'alert'
        }));
    }
}
