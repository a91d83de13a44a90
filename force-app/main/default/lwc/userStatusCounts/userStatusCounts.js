import { LightningElement, api } from 'lwc';

const TILES = [
    ['total', 'Total Users'],
    ['pending', 'Pending'],
    ['onboarding', 'Onboarding'],
    ['permissionErrors', 'Permission Errors'],
    ['active', 'Active'],
    ['suspended', 'Suspended']
];

/** The live count of users by status across the top of Users and Teams. */
export default class UserStatusCounts extends LightningElement {
    @api counts;

    get tiles() {
        const c = this.counts || {};
        return TILES.map(([key, label]) => ({
            key,
            label,
            value: c[key] ?? '–',
            dataId: `count-${key}`
        }));
    }
}
