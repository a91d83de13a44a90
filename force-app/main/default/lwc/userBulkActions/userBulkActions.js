import { LightningElement, api } from 'lwc';
import BulkActionDialog, { BULK_ACTIONS, describeSelection } from 'c/bulkActionDialog';
import { toastSuccess } from 'c/rosterMessages';

/**
 * The bulk actions above the user table: act on the users ticked in the table, or on every user matching
 * the search and filters (at any org size). The dialog counts before it changes anything; `done` tells the
 * page to reload.
 */
export default class UserBulkActions extends LightningElement {
    @api selectedIds = [];
    /** The table's current search and filters ({ search, status, role, teamId, license, profileId }). */
    @api filters = {};
    @api profiles = [];
    @api teams = [];
    @api automaticMode = false;
    scope = 'selected';

    get selectedCount() {
        return (this.selectedIds || []).length;
    }
    get effectiveScope() {
        return this.selectedCount ? this.scope : 'matching';
    }
    get scopeOptions() {
        return [
            {
                label: `The ${this.selectedCount} selected ${this.selectedCount === 1 ? 'user' : 'users'}`,
                value: 'selected'
            },
            { label: 'Every user matching the search and filters', value: 'matching' }
        ];
    }
    get noneSelected() {
        return this.selectedCount === 0;
    }
    get actions() {
        return BULK_ACTIONS.filter((a) => !(this.automaticMode && a.value === 'move_team'));
    }

    handleScope(event) {
        this.scope = event.detail.value;
    }

    /** Only the filters that narrow the list: blank ones mean "any". */
    get selection() {
        if (this.effectiveScope === 'selected') return { userIds: [...this.selectedIds] };
        const filters = Object.fromEntries(
            Object.entries(this.filters || {}).filter(([, value]) => value)
        );
        return { filters };
    }

    get selectionText() {
        return describeSelection(this.selection);
    }

    async handleAction(event) {
        const result = await BulkActionDialog.open({
            size: 'small',
            label: (BULK_ACTIONS.find((a) => a.value === event.detail.value) || {}).label,
            action: event.detail.value,
            selection: this.selection,
            selectionText: this.selectionText,
            profiles: this.profiles,
            teams: this.teams
        });
        if (!result) return;
        toastSuccess(this, result.message);
        this.dispatchEvent(new CustomEvent('done'));
    }
}
