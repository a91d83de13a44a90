import { api } from 'lwc';
import RosterModal from 'c/rosterModal';
import { createCustomTeam, updateCustomTeam } from 'c/rosterService';

const EMPTY = { name: '', userIds: [], teamIds: [], managerUserId: '', viewerIds: [] };

/**
 * Add or edit a custom team (lightning/modal): members (users found by search, and whole teams), an optional
 * manager and viewers. Saves itself, busy until the service answers; closes with the saved team.
 */
export default class CustomTeamEditor extends RosterModal {
    /** The team to edit (with `people`, the names of the users it refers to), or nothing for a new one. */
    @api customTeam;
    @api teams = [];
    draft = { ...EMPTY };
    names = {}; // user id -> name, for pills and the manager field

    connectedCallback() {
        const team = this.customTeam;
        if (team) {
            this.draft = {
                name: team.name,
                userIds: [...team.userIds],
                teamIds: [...team.teamIds],
                managerUserId: team.managerUserId || '',
                viewerIds: [...team.viewerIds]
            };
            this.names = Object.fromEntries((team.people || []).map((p) => [p.id, p.name]));
        }
    }

    get isEdit() {
        return !!this.customTeam;
    }
    get heading() {
        return this.isEdit ? `Edit ${this.customTeam.name}` : 'New Custom Team';
    }
    get memberTeams() {
        return this.teams.filter((t) => t.kind !== 'unassigned');
    }
    selections(ids) {
        return ids.map((id) => ({ id, label: this.names[id] || id }));
    }
    get userSelections() {
        return this.selections(this.draft.userIds);
    }
    get viewerSelections() {
        return this.selections(this.draft.viewerIds);
    }
    get teamSelections() {
        const names = new Map(this.teams.map((t) => [t.id, t.path || t.name]));
        return this.draft.teamIds.map((id) => ({ id, label: names.get(id) || id }));
    }
    get managerLabel() {
        return this.names[this.draft.managerUserId] || '';
    }
    get saveDisabled() {
        return this.busy || !this.draft.name.trim();
    }

    handleName(event) {
        this.draft = { ...this.draft, name: event.detail.value };
    }

    /** Every lookup reports its ids and their labels; the labels are kept for the pills. */
    handleLookup(event) {
        const field = event.target.dataset.field;
        const { value, selections, label } = event.detail;
        (selections || []).forEach((s) => {
            this.names = { ...this.names, [s.id]: s.label };
        });
        if (label && value) this.names = { ...this.names, [value]: label };
        this.draft = { ...this.draft, [field]: value || (field === 'managerUserId' ? '' : []) };
    }

    handleSave() {
        if (this.saveDisabled) return undefined;
        const d = this.draft;
        const fields = {
            name: d.name.trim(),
            userIds: d.userIds,
            teamIds: d.teamIds,
            managerUserId: d.managerUserId || null,
            viewerIds: d.viewerIds
        };
        return this.send(async () => {
            const saved = this.isEdit
                ? await updateCustomTeam({ customTeamId: this.customTeam.id, changes: fields })
                : await createCustomTeam({ customTeam: fields });
            return saved || fields;
        });
    }
}
