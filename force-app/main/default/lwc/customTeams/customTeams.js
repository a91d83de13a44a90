import { LightningElement, api, wire } from 'lwc';
import listCustomTeams from '@salesforce/apex/TeamsController.listCustomTeams';
import { createCustomTeam, updateCustomTeam, deleteCustomTeam, refreshApex } from 'c/rosterService';

const MAX_PEOPLE = 100;
const userName = (u) => [u.firstName, u.lastName].filter(Boolean).join(' ') || u.email;
const EMPTY = { name: '', userIds: [], teamIds: [], managerUserId: '', viewerIds: [] };

/** Custom teams: outside the hierarchy, never changed by sync; members (users and whole teams), manager, viewers. */
export default class CustomTeams extends LightningElement {
    @api users = [];
    @api teams = [];
    customTeams = [];
    wired;
    error;
    actionError;
    editing; // { id?, draft }

    @wire(listCustomTeams)
    receive(result) {
        this.wired = result;
        if (result.data) {
            this.customTeams = result.data.items;
            this.error = undefined;
        }
        if (result.error) this.error = result.error;
    }

    get rows() {
        const names = new Map(this.users.map((u) => [u.id, userName(u)]));
        const teamNames = new Map(this.teams.map((t) => [t.id, t.name]));
        return this.customTeams.map((team) => ({
            ...team,
            managerName: team.managerUserId
                ? names.get(team.managerUserId) || 'Unknown user'
                : 'No manager',
            membersText: [
                ...team.userIds.map((id) => names.get(id) || id),
                ...team.teamIds.map((id) => `${teamNames.get(id) || id} (team)`)
            ].join(', '),
            viewersText: team.viewerIds.map((id) => names.get(id) || id).join(', ') || 'None',
            peopleText: `${team.memberCount} of at most ${MAX_PEOPLE} people`,
            editId: `edit-${team.id}`,
            editLabel: `Edit ${team.name}`,
            deleteLabel: `Delete ${team.name}`,
            deleteId: `delete-${team.id}`
        }));
    }
    get isEmpty() {
        return !this.error && this.customTeams.length === 0;
    }
    get userOptions() {
        return this.users.map((u) => ({ label: `${userName(u)} (${u.email})`, value: u.id }));
    }
    get managerOptions() {
        return [{ label: 'No manager', value: '' }, ...this.userOptions];
    }
    get teamOptions() {
        return this.teams
            .filter((t) => t.kind !== 'unassigned')
            .map((t) => ({ label: t.path || t.name, value: t.id }));
    }
    get heading() {
        return this.editing && this.editing.id
            ? `Edit ${this.editing.original.name}`
            : 'New Custom Team';
    }
    get saveDisabled() {
        return !this.editing || !this.editing.draft.name.trim();
    }

    openNew() {
        this.actionError = undefined;
        this.editing = { draft: { ...EMPTY } };
    }

    handleEdit(event) {
        const team = this.customTeams.find((t) => t.id === event.target.dataset.teamId);
        this.actionError = undefined;
        this.editing = {
            id: team.id,
            original: team,
            draft: { ...team, managerUserId: team.managerUserId || '' }
        };
    }

    handleField(event) {
        const field = event.target.dataset.field;
        this.editing = {
            ...this.editing,
            draft: { ...this.editing.draft, [field]: event.detail.value }
        };
    }

    close() {
        this.editing = undefined;
    }

    async save() {
        const d = this.editing.draft;
        const fields = {
            name: d.name.trim(),
            userIds: d.userIds,
            teamIds: d.teamIds,
            managerUserId: d.managerUserId || null,
            viewerIds: d.viewerIds
        };
        const id = this.editing.id;
        const ok = await this.run(() =>
            id
                ? updateCustomTeam({ customTeamId: id, changes: fields })
                : createCustomTeam({ customTeam: fields })
        );
        if (ok) this.editing = undefined;
    }

    handleDelete(event) {
        return this.run(() => deleteCustomTeam({ customTeamId: event.target.dataset.teamId }));
    }

    async run(action) {
        this.actionError = undefined;
        try {
            await action();
            await refreshApex(this.wired);
            return true;
        } catch (error) {
            this.actionError = error;
            return false;
        }
    }
}
