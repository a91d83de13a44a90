import { LightningElement, api } from 'lwc';
import { listCustomTeams, deleteCustomTeam } from 'c/rosterService';
import { toastSuccess } from 'c/rosterMessages';
import CustomTeamEditor from 'c/customTeamEditor';
import RosterConfirm from 'c/rosterConfirm';

const MAX_PEOPLE = 100;

/**
 * Custom teams: outside the hierarchy, never changed by sync; members (users and whole teams), manager, viewers.
 * The list comes with the Team Hierarchy screen's answer (`list`); after a change here it is reloaded here.
 */
export default class CustomTeams extends LightningElement {
    @api teams = [];
    customTeams = [];
    loaded = false;
    error;

    @api
    get list() {
        return this._list;
    }
    set list(value) {
        this._list = value;
        if (value) this.show(value);
    }

    async load() {
        try {
            this.show(await listCustomTeams());
        } catch (error) {
            this.error = error;
        }
    }

    show(list) {
        this.customTeams = list.items;
        this.loaded = true;
        this.error = undefined;
    }

    get rows() {
        const teamNames = new Map(this.teams.map((t) => [t.id, t.name]));
        return this.customTeams.map((team) => {
            const names = new Map((team.people || []).map((p) => [p.id, p.name]));
            return {
                ...team,
                managerName: team.managerUserId
                    ? names.get(team.managerUserId) || 'Unknown user'
                    : 'No manager',
                membersText:
                    [
                        ...team.userIds.map((id) => names.get(id) || id),
                        ...team.teamIds.map((id) => `${teamNames.get(id) || id} (team)`)
                    ].join(', ') || 'None',
                viewersText: team.viewerIds.map((id) => names.get(id) || id).join(', ') || 'None',
                peopleText: `${team.memberCount} of at most ${MAX_PEOPLE} people`,
                editId: `edit-${team.id}`,
                editLabel: `Edit ${team.name}`,
                deleteLabel: `Delete ${team.name}`,
                deleteId: `delete-${team.id}`
            };
        });
    }
    get isEmpty() {
        return !this.error && this.loaded && this.customTeams.length === 0;
    }

    async openEditor(customTeam) {
        const saved = await CustomTeamEditor.open({
            size: 'medium',
            label: customTeam ? `Edit ${customTeam.name}` : 'New Custom Team',
            customTeam,
            teams: this.teams
        });
        if (!saved) return;
        toastSuccess(this, customTeam ? `${saved.name} was saved.` : `${saved.name} was created.`);
        await this.load();
    }

    openNew() {
        return this.openEditor(undefined);
    }

    handleEdit(event) {
        return this.openEditor(this.customTeams.find((t) => t.id === event.target.dataset.teamId));
    }

    async handleDelete(event) {
        const team = this.customTeams.find((t) => t.id === event.target.dataset.teamId);
        const deleted = await RosterConfirm.open({
            size: 'small',
            label: `Delete ${team.name}?`,
            message: `${team.name} is removed for good: its ${team.memberCount} ${team.memberCount === 1 ? 'person stops' : 'people stop'} belonging to it and its ${team.viewerIds.length} ${team.viewerIds.length === 1 ? 'viewer loses' : 'viewers lose'} access to its data. Nobody is removed from Roster or from their hierarchy team.`,
            confirmLabel: 'Delete custom team',
            action: () => deleteCustomTeam({ customTeamId: team.id })
        });
        if (!deleted) return;
        toastSuccess(this, `${team.name} was deleted.`);
        await this.load();
    }
}
