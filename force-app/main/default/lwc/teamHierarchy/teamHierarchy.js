import { LightningElement, wire } from 'lwc';
import getTeamTree from '@salesforce/apex/TeamsController.getTeamTree';
import { listUsers, createTeam, updateTeam, deleteTeam, refreshApex } from 'c/rosterService';
import { flattenTeams, toTreeItems, subtreeIds } from 'c/teamTreeUtils';

const userName = (u) => [u.firstName, u.lastName].filter(Boolean).join(' ') || u.email;

/** Team Hierarchy: the team tree with add, rename, move and delete, each team's manager, and custom teams. */
export default class TeamHierarchy extends LightningElement {
    tree;
    wired;
    error;
    actionError;
    notice;
    users = [];
    selectedId;
    dialog; // 'add' | 'delete'
    newTeamName = '';
    newTeamParentId = '';
    renameValue = '';
    moveMembersTo = '';

    @wire(getTeamTree)
    receive(result) {
        this.wired = result;
        if (result.data) {
            this.tree = result.data;
            this.error = undefined;
            if (!this.selectedId) this.selectedId = result.data.top.id;
            this.renameValue = this.selectedTeam ? this.selectedTeam.name : '';
        }
        if (result.error) this.error = result.error;
    }

    async connectedCallback() {
        try {
            // Managers can be any user; 500 is the service's page limit and plenty for a picker.
            const page = await listUsers({ query: { sort: 'name', limit: 500 } });
            this.users = page.items;
        } catch (error) {
            this.error = error;
        }
    }

    get teams() {
        return flattenTeams(this.tree);
    }
    get userNames() {
        return new Map(this.users.map((u) => [u.id, userName(u)]));
    }
    get treeItems() {
        const names = this.userNames;
        return toTreeItems(this.tree, (team) => {
            const manager = team.managerUserId
                ? ` · Manager: ${names.get(team.managerUserId) || 'unknown user'}`
                : '';
            return `${team.name} (${team.memberCount})${manager}`;
        });
    }
    get selectedTeam() {
        return this.teams.find((t) => t.id === this.selectedId);
    }
    get isEditable() {
        return !!this.selectedTeam && this.selectedTeam.kind === 'hierarchy';
    }
    get notEditable() {
        return !this.isEditable;
    }
    get managerName() {
        const team = this.selectedTeam;
        if (!team || !team.managerUserId) return 'No manager';
        return `${this.userNames.get(team.managerUserId) || 'Unknown user'}${team.managerSetByHand ? ' (set by hand)' : ' (derived from the Manager role)'}`;
    }
    get managerOptions() {
        return [
            { label: 'Derive from the Manager role', value: '' },
            ...this.users.map((u) => ({ label: `${userName(u)} (${u.email})`, value: u.id }))
        ];
    }
    get managerValue() {
        return this.selectedTeam && this.selectedTeam.managerSetByHand
            ? this.selectedTeam.managerUserId
            : '';
    }
    get parentOptions() {
        const exclude = this.selectedTeam ? subtreeIds(this.tree, this.selectedTeam.id) : new Set();
        return this.teams
            .filter((t) => t.kind !== 'unassigned' && !exclude.has(t.id))
            .map((t) => ({ label: t.path, value: t.id }));
    }
    get addParentOptions() {
        return this.teams
            .filter((t) => t.kind !== 'unassigned')
            .map((t) => ({ label: t.path, value: t.id }));
    }
    get moveTargetOptions() {
        return this.teams
            .filter((t) => this.selectedTeam && t.id !== this.selectedTeam.id)
            .map((t) => ({ label: t.path, value: t.id }));
    }
    get isAdding() {
        return this.dialog === 'add';
    }
    get isDeleting() {
        return this.dialog === 'delete';
    }
    get deleteHeading() {
        return this.selectedTeam ? `Delete ${this.selectedTeam.name}?` : '';
    }
    get addDisabled() {
        return !this.newTeamName.trim();
    }

    handleSelect(event) {
        this.selectedId = event.detail.name;
        this.renameValue = this.selectedTeam ? this.selectedTeam.name : '';
        this.actionError = undefined;
    }

    openAdd() {
        this.dialog = 'add';
        this.newTeamName = '';
        this.newTeamParentId =
            this.selectedTeam && this.selectedTeam.kind !== 'unassigned'
                ? this.selectedTeam.id
                : this.tree.top.id;
    }
    openDelete() {
        this.dialog = 'delete';
        this.moveMembersTo = this.selectedTeam.parentId || '';
    }
    closeDialog() {
        this.dialog = undefined;
    }
    handleNewName(event) {
        this.newTeamName = event.detail.value;
    }
    handleNewParent(event) {
        this.newTeamParentId = event.detail.value;
    }
    handleRenameValue(event) {
        this.renameValue = event.detail.value;
    }
    handleMoveMembersTo(event) {
        this.moveMembersTo = event.detail.value;
    }

    async saveNewTeam() {
        const name = this.newTeamName.trim();
        const team = await this.run(
            () => createTeam({ name, parentId: this.newTeamParentId }),
            `${name} was added.`
        );
        if (team) {
            this.dialog = undefined;
            this.selectedId = team.id;
        }
    }

    renameTeam() {
        const name = this.renameValue.trim();
        return this.run(
            () => updateTeam({ teamId: this.selectedId, changes: { name } }),
            `The team is now called ${name}.`
        );
    }

    moveTeam(event) {
        const target = this.teams.find((t) => t.id === event.detail.value);
        return this.run(
            () =>
                updateTeam({ teamId: this.selectedId, changes: { parentId: event.detail.value } }),
            `${this.selectedTeam.name} now sits under ${target ? target.name : 'the chosen team'}.`
        );
    }

    setManager(event) {
        const managerUserId = event.detail.value || null;
        return this.run(
            () => updateTeam({ teamId: this.selectedId, changes: { managerUserId } }),
            managerUserId
                ? 'The manager was set.'
                : 'The manager is derived from the Manager role again.'
        );
    }

    async confirmDelete() {
        const name = this.selectedTeam.name;
        const done = await this.run(
            () =>
                deleteTeam({ teamId: this.selectedId, moveMembersTo: this.moveMembersTo || null }),
            `${name} was deleted.`
        );
        if (done) {
            this.dialog = undefined;
            this.selectedId = this.tree.top.id;
        }
    }

    async run(action, message) {
        this.actionError = undefined;
        this.notice = undefined;
        try {
            const result = await action();
            const warnings =
                result && result.warnings && result.warnings.length
                    ? ` ${result.warnings.join(' ')}`
                    : '';
            this.notice = message + warnings;
            await refreshApex(this.wired);
            return result || true;
        } catch (error) {
            this.actionError = error;
            return undefined;
        }
    }
}
