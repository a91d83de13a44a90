import { LightningElement, wire } from 'lwc';
import getUserCounts from '@salesforce/apex/UsersController.getUserCounts';
import getTeamTree from '@salesforce/apex/TeamsController.getTeamTree';
import listProfiles from '@salesforce/apex/ProfilesController.listProfiles';
import getMode from '@salesforce/apex/ModeController.getMode';
import {
    listUsers,
    getProfileSummary,
    createUser,
    updateUser,
    suspendUser,
    reactivateUser,
    deleteUser,
    exportUsers,
    refreshApex
} from 'c/rosterService';
import {
    ROLE_LABELS,
    STATUS_LABELS,
    LICENSE_LABELS,
    roleOptions,
    statusOptions,
    licenseOptions,
    label,
    downloadText
} from 'c/rosterVocabulary';
import { flattenTeams } from 'c/teamTreeUtils';

const PAGE_SIZE = 50;
const ALL = '';
const COLUMNS = [
    { label: 'Name', fieldName: 'name', sortable: true },
    { label: 'Email', fieldName: 'email', sortable: true },
    { label: 'Role', fieldName: 'roleLabel' },
    { label: 'Team', fieldName: 'teamName' },
    {
        label: 'Configuration Profile',
        type: 'button',
        typeAttributes: { label: { fieldName: 'profileName' }, name: 'profile', variant: 'base' }
    },
    { label: 'Licenses', fieldName: 'licenseLabels' },
    { label: 'Status', fieldName: 'statusLabel', sortable: true },
    { type: 'action', typeAttributes: { rowActions: (row, done) => done(rowActions(row)) } }
];

function rowActions(row) {
    const actions = [{ label: 'Edit', name: 'edit' }];
    actions.push(
        row.status === 'suspended'
            ? { label: 'Reactivate', name: 'reactivate' }
            : { label: 'Suspend', name: 'suspend' }
    );
    actions.push({ label: 'Delete', name: 'delete' });
    return actions;
}

const toRow = (user) => ({
    ...user,
    name: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email,
    roleLabel: label(ROLE_LABELS, user.role),
    statusLabel: label(STATUS_LABELS, user.status),
    licenseLabels: user.licenses.map((l) => label(LICENSE_LABELS, l)).join(', ')
});

/** Users and Teams: status counts, the user table with its actions, Permission Errors, import, export and mode. */
export default class UsersAndTeams extends LightningElement {
    columns = COLUMNS;
    users = [];
    nextCursor = null;
    loading = false;
    error;
    actionError;
    notice;

    search = '';
    filters = { status: ALL, role: ALL, teamId: ALL, license: ALL, profileId: ALL };
    sortedBy = 'name';
    sortDirection = 'asc';

    editing; // { mode: 'add' | 'edit', user }
    suspending;
    deleting;
    deleteConfirmation = '';
    suspendReason = '';
    importing = false;
    profileSummary;

    counts;
    teams = [];
    profiles = [];
    mode;

    wiredCounts;
    @wire(getUserCounts)
    receiveCounts(result) {
        this.wiredCounts = result;
        if (result.data) this.counts = result.data;
        if (result.error) this.error = result.error;
    }

    @wire(getTeamTree)
    receiveTeams({ data, error }) {
        if (data) this.teams = flattenTeams(data);
        if (error) this.error = error;
    }

    @wire(listProfiles)
    receiveProfiles({ data, error }) {
        if (data) this.profiles = data.profiles;
        if (error) this.error = error;
    }

    @wire(getMode)
    receiveMode({ data, error }) {
        if (data) this.mode = data.mode;
        if (error) this.error = error;
    }

    connectedCallback() {
        this.reload();
    }

    get countTiles() {
        const c = this.counts || {};
        return [
            { key: 'total', label: 'Total Users', value: c.total },
            { key: 'pending', label: 'Pending', value: c.pending },
            { key: 'onboarding', label: 'Onboarding', value: c.onboarding },
            { key: 'permissionErrors', label: 'Permission Errors', value: c.permissionErrors },
            { key: 'active', label: 'Active', value: c.active },
            { key: 'suspended', label: 'Suspended', value: c.suspended }
        ].map((tile) => ({ ...tile, value: tile.value ?? '–', dataId: `count-${tile.key}` }));
    }

    get statusFilterOptions() {
        return [{ label: 'All statuses', value: ALL }, ...statusOptions];
    }
    get roleFilterOptions() {
        return [{ label: 'All roles', value: ALL }, ...roleOptions];
    }
    get licenseFilterOptions() {
        return [{ label: 'All licenses', value: ALL }, ...licenseOptions];
    }
    get teamFilterOptions() {
        return [
            { label: 'All teams', value: ALL },
            ...this.teams.map((t) => ({ label: t.path, value: t.id }))
        ];
    }
    get profileFilterOptions() {
        return [
            { label: 'All profiles', value: ALL },
            ...this.profiles.map((p) => ({ label: p.name, value: p.id }))
        ];
    }
    get hasUsers() {
        return this.users.length > 0;
    }
    get isEmpty() {
        return !this.loading && !this.error && this.users.length === 0;
    }
    get hasMore() {
        return !!this.nextCursor;
    }
    get isAutomatic() {
        return this.mode === 'automatic';
    }
    get deleteHeading() {
        return this.deleting ? `Delete ${this.deleting.email}?` : '';
    }
    get deleteDisabled() {
        return (
            !this.deleting ||
            this.deleteConfirmation.trim().toLowerCase() !== this.deleting.email.toLowerCase()
        );
    }
    get suspendHeading() {
        return this.suspending ? `Suspend ${this.suspending.email}?` : '';
    }
    get suspendDisabled() {
        return !this.suspendReason.trim();
    }

    query(cursor) {
        const sort = (this.sortDirection === 'desc' ? '-' : '') + this.sortedBy;
        return { search: this.search, ...this.filters, sort, limit: PAGE_SIZE, cursor };
    }

    async reload() {
        this.users = [];
        this.nextCursor = null;
        await this.loadPage();
    }

    async loadPage(cursor) {
        this.loading = true;
        try {
            const page = await listUsers({ query: this.query(cursor) });
            this.users = [...(cursor ? this.users : []), ...page.items.map(toRow)];
            this.nextCursor = page.nextCursor;
            this.error = undefined;
        } catch (error) {
            this.error = error;
        } finally {
            this.loading = false;
        }
    }

    handleLoadMore() {
        if (this.nextCursor && !this.loading) this.loadPage(this.nextCursor);
    }

    handleSearch(event) {
        this.search = event.target.value;
        this.reload();
    }

    handleFilter(event) {
        this.filters = { ...this.filters, [event.target.dataset.filter]: event.detail.value };
        this.reload();
    }

    handleSort(event) {
        this.sortedBy =
            event.detail.fieldName === 'statusLabel' ? 'status' : event.detail.fieldName;
        this.sortDirection = event.detail.sortDirection;
        this.reload();
    }

    get sortedByColumn() {
        return this.sortedBy === 'status' ? 'statusLabel' : this.sortedBy;
    }

    handleRowAction(event) {
        const { action, row } = event.detail;
        this.actionError = undefined;
        this.notice = undefined;
        if (action.name === 'edit') this.editing = { mode: 'edit', user: row };
        if (action.name === 'suspend') {
            this.suspending = row;
            this.suspendReason = '';
        }
        if (action.name === 'reactivate')
            this.run(() => reactivateUser({ userId: row.id }), `${row.email} was reactivated.`);
        if (action.name === 'delete') {
            this.deleting = row;
            this.deleteConfirmation = '';
        }
        if (action.name === 'profile') this.showProfileSummary(row.profileId);
    }

    async showProfileSummary(profileId) {
        try {
            this.profileSummary = await getProfileSummary({ profileId });
        } catch (error) {
            this.actionError = error;
        }
    }

    closeProfileSummary() {
        this.profileSummary = undefined;
    }

    openAddUser() {
        this.actionError = undefined;
        this.editing = { mode: 'add', user: null };
    }

    closeEditor() {
        this.editing = undefined;
    }

    async handleSave(event) {
        const { userId, fields } = event.detail;
        const saved = await this.run(
            () => (userId ? updateUser({ userId, changes: fields }) : createUser({ user: fields })),
            userId ? 'The user was saved.' : `${fields.email} was added.`
        );
        if (saved) {
            this.editing = undefined;
            if (saved.warnings && saved.warnings.length) this.notice = saved.warnings.join(' ');
        }
    }

    handleSuspendReason(event) {
        this.suspendReason = event.target.value;
    }

    async confirmSuspend() {
        const user = this.suspending;
        const done = await this.run(
            () => suspendUser({ userId: user.id, reason: this.suspendReason.trim() }),
            `${user.email} was suspended.`
        );
        if (done) this.suspending = undefined;
    }

    cancelSuspend() {
        this.suspending = undefined;
    }

    handleDeleteConfirmation(event) {
        this.deleteConfirmation = event.target.value;
    }

    async confirmDelete() {
        const user = this.deleting;
        const done = await this.run(
            () => deleteUser({ userId: user.id, confirmEmail: this.deleteConfirmation.trim() }),
            `${user.email} was deleted.`
        );
        if (done) this.deleting = undefined;
    }

    cancelDelete() {
        this.deleting = undefined;
    }

    openImport() {
        this.importing = true;
    }

    closeImport() {
        this.importing = false;
    }

    handleImported() {
        this.importing = false;
        this.refreshAll();
    }

    async handleExport() {
        try {
            downloadText(await exportUsers(), 'roster-users.csv');
        } catch (error) {
            this.actionError = error;
        }
    }

    handleModeChanged() {
        this.refreshAll();
    }

    /** Runs one admin action; on success refreshes the table and counts. Returns the result, or undefined on error. */
    async run(action, successMessage) {
        this.actionError = undefined;
        try {
            const result = await action();
            this.notice = successMessage;
            await this.refreshAll();
            return result === undefined || result === null ? true : result;
        } catch (error) {
            this.actionError = error;
            return undefined;
        }
    }

    async refreshAll() {
        await Promise.all([this.reload(), refreshApex(this.wiredCounts)]);
    }
}
