import { api } from 'lwc';
import LightningModal from 'lightning/modal';
import { deleteTeam } from 'c/rosterService';

/**
 * Delete a team (lightning/modal): says what happens to its members and sub-teams and asks where they go, then
 * deletes, busy until the service answers. Closes with the service's answer, or undefined on Cancel.
 */
export default class TeamDeleteDialog extends LightningModal {
    /** { id, name, memberCount, parentId } */
    @api team;
    /** [{ label, value }] of the teams its members and sub-teams may move to. */
    @api moveTargetOptions = [];
    @api subTeamCount = 0;
    moveMembersTo = '';
    deleting = false;
    error;

    connectedCallback() {
        this.moveMembersTo = (this.team && this.team.parentId) || '';
    }

    get heading() {
        return `Delete ${this.team.name}?`;
    }
    get warning() {
        const members = this.team.memberCount;
        const teams = this.subTeamCount;
        return `Its ${members} ${members === 1 ? 'member' : 'members'} and ${teams} ${teams === 1 ? 'sub-team' : 'sub-teams'} move to the team you choose, and its id keeps resolving to that team in reports.`;
    }
    get deleteLabel() {
        return this.deleting ? 'Deleting…' : 'Delete';
    }

    handleMoveMembersTo(event) {
        this.moveMembersTo = event.detail.value;
    }

    async handleDelete() {
        if (this.deleting) return;
        this.deleting = true;
        this.disableClose = true;
        this.error = undefined;
        try {
            const result = await deleteTeam({
                teamId: this.team.id,
                moveMembersTo: this.moveMembersTo || null
            });
            this.disableClose = false;
            this.close(result || true);
        } catch (error) {
            this.error = error;
            this.disableClose = false;
            this.deleting = false;
        }
    }

    handleCancel() {
        this.close(undefined);
    }
}
