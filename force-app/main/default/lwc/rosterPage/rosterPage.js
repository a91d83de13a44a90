import { LightningElement, api } from 'lwc';

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
