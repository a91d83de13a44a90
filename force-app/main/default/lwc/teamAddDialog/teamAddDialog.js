import { api } from 'lwc';
import RosterModal from 'c/rosterModal';
import { createTeam } from 'c/rosterService';

/** Add Team (lightning/modal): a name and a parent; saves itself, busy until the service answers, closes with the team. */
export default class TeamAddDialog extends RosterModal {
    /** [{ label, value }] of the teams a new team may sit under. */
    @api parentOptions = [];
    @api parentId;
    name = '';
    chosenParentId;

    connectedCallback() {
        this.chosenParentId = this.parentId;
    }

    get saveDisabled() {
        return this.busy || !this.name.trim();
    }

    handleName(event) {
        this.name = event.detail.value;
    }
    handleParent(event) {
        this.chosenParentId = event.detail.value;
    }

    handleSave() {
        if (this.saveDisabled) return undefined;
        return this.send(() =>
            createTeam({ name: this.name.trim(), parentId: this.chosenParentId })
        );
    }
}
