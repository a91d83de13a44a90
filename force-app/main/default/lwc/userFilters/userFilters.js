import { LightningElement, api } from 'lwc';
import { roleOptions, statusOptions, licenseOptions } from 'c/rosterVocabulary';

const ALL = '';
const SEARCH_DEBOUNCE_MS = 300;
export const NO_FILTERS = { status: ALL, role: ALL, teamId: ALL, license: ALL, profileId: ALL };

/**
 * Search (as the admin types, debounced) and the filters of the user table. Sends `filterchange` with the
 * whole query ({ search, status, role, teamId, license, profileId }) whenever it changes.
 */
export default class UserFilters extends LightningElement {
    @api teams = [];
    @api profiles = [];
    search = '';
    filters = { ...NO_FILTERS };
    teamLabel = '';

    /** The filters in the order the admin sees them: a choice each, the team a type-ahead lookup. */
    get filterInputs() {
        const choice = (filter, label, all, options) => ({
            filter,
            label,
            id: `filter-${filter === 'profileId' ? 'profile' : filter}`,
            isChoice: true,
            value: this.filters[filter],
            options: [{ label: all, value: ALL }, ...options]
        });
        return [
            choice('status', 'Status', 'All statuses', statusOptions),
            choice('role', 'Role', 'All roles', roleOptions),
            { filter: 'teamId', isChoice: false },
            choice('license', 'License', 'All licenses', licenseOptions),
            choice(
                'profileId',
                'Configuration Profile',
                'All profiles',
                this.profiles.map((p) => ({ label: p.name, value: p.id }))
            )
        ];
    }

    handleSearch(event) {
        this.search = event.target.value || '';
        clearTimeout(this.timer);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.timer = setTimeout(() => this.notify(), SEARCH_DEBOUNCE_MS);
    }

    handleSearchCommit(event) {
        // Enter (or the clear button) searches at once.
        this.search = event.target.value || '';
        clearTimeout(this.timer);
        this.notify();
    }

    handleFilter(event) {
        this.filters = { ...this.filters, [event.target.dataset.filter]: event.detail.value };
        this.notify();
    }

    handleTeam(event) {
        this.teamLabel = event.detail.label || '';
        this.filters = { ...this.filters, teamId: event.detail.value || ALL };
        this.notify();
    }

    notify() {
        const detail = { search: this.search.trim(), ...this.filters };
        const key = JSON.stringify(detail);
        if (key === this.lastSent) return;
        this.lastSent = key;
        this.dispatchEvent(new CustomEvent('filterchange', { detail }));
    }

    disconnectedCallback() {
        clearTimeout(this.timer);
    }
}
