import { api } from 'lwc';
import LightningModal from 'lightning/modal';
import { createTeam } from 'c/rosterService';

/** Add Team (lightning/modal): a name and a parent; saves itself, busy until the service answers, closes with the team. */
export default class TeamAddDialog extends LightningModal {
    /** [{ label, value }] of the teams a new team may sit under. */
    @api parentOptions = [];
    @api parentId;
    name = '';
    chosenParentId;
    saving = false;
    error;

    connectedCallback() {
        this.chosenParentId = this.parentId;
    }

    get saveDisabled() {
        return this.saving || !this.name.trim();
    }
    get saveLabel() {
        return this.saving ? 'Saving…' : 'Save';
    }

    handleName(event) {
        this.name = event.detail.value;
    }
    handleParent(event) {
        this.chosenParentId = event.detail.value;
    }

    async handleSave() {
        if (this.saveDisabled) return;
        this.saving = true;
        this.disableClose = true;
        this.error = undefined;
        try {
            const team = await createTeam({
                name: this.name.trim(),
                parentId: this.chosenParentId
            });
            this.disableClose = false;
            this.close(team);
        } catch (error) {
            this.error = error;
            this.disableClose = false;
            this.saving = false;
        }
    }

    handleCancel() {
        this.close(undefined);
    }
}
