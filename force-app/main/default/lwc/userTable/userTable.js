import { LightningElement, api } from 'lwc';
import { ROLE_LABELS, STATUS_LABELS, LICENSE_LABELS, label } from 'c/rosterVocabulary';

// Long names, emails, teams and license lists wrap instead of being cut off: the datatable gives a cut-off text cell
// no title, so the admin could not read the rest by hovering or focusing it.
const COLUMNS = [
    { label: 'Name', fieldName: 'name', sortable: true, wrapText: true },
    { label: 'Email', fieldName: 'email', sortable: true, wrapText: true },
    { label: 'Role', fieldName: 'roleLabel' },
    { label: 'Team', fieldName: 'teamName', wrapText: true },
    {
        label: 'Configuration Profile',
        type: 'button',
        typeAttributes: {
            label: { fieldName: 'profileName' },
            title: { fieldName: 'profileTitle' },
            name: 'profile',
            variant: 'base'
        }
    },
    { label: 'Licenses', fieldName: 'licenseLabels', wrapText: true },
    { label: 'Status', fieldName: 'statusLabel', sortable: true },
    { type: 'action', typeAttributes: { rowActions: (row, done) => done(rowActions(row)) } }
];

function rowActions(row) {
    return [
        { label: 'Edit', name: 'edit' },
        row.status === 'suspended'
            ? { label: 'Reactivate', name: 'reactivate' }
            : { label: 'Suspend', name: 'suspend' },
        { label: 'Delete', name: 'delete' }
    ];
}

export const toRow = (user) => ({
    ...user,
    name: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email,
    roleLabel: label(ROLE_LABELS, user.role),
    statusLabel: label(STATUS_LABELS, user.status),
    licenseLabels: user.licenses.map((l) => label(LICENSE_LABELS, l)).join(', '),
    profileTitle: `${user.profileName}: see what it turns on`
});

/**
 * The user table: sortable, paged by scrolling, a row menu per user, and checkboxes for bulk actions.
 * Sends rowaction, sort ({ sortedBy, sortDirection } in the service's keys), loadmore and selectionchange.
 */
export default class UserTable extends LightningElement {
    @api users = [];
    @api hasMore = false;
    @api loading = false;
    @api sortedBy = 'name';
    @api sortDirection = 'asc';
    @api selectedIds = [];
    columns = COLUMNS;

    get rows() {
        return this.users.map(toRow);
    }
    get sortedByColumn() {
        return this.sortedBy === 'status' ? 'statusLabel' : this.sortedBy;
    }

    handleSort(event) {
        const fieldName =
            event.detail.fieldName === 'statusLabel' ? 'status' : event.detail.fieldName;
        this.dispatchEvent(
            new CustomEvent('sort', {
                detail: { sortedBy: fieldName, sortDirection: event.detail.sortDirection }
            })
        );
    }

    handleRowAction(event) {
        const { action, row } = event.detail;
        const user = this.users.find((u) => u.id === row.id) || row;
        this.dispatchEvent(new CustomEvent('rowaction', { detail: { action: action.name, user } }));
    }

    handleLoadMore() {
        this.dispatchEvent(new CustomEvent('loadmore'));
    }

    handleSelection(event) {
        const ids = event.detail.selectedRows.map((r) => r.id);
        this.dispatchEvent(new CustomEvent('selectionchange', { detail: { ids } }));
    }
}
