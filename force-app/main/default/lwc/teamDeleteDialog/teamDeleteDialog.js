import { api } from 'lwc';
import RosterModal from 'c/rosterModal';
import { deleteTeam } from 'c/rosterService';

/**
 * Delete a team (lightning/modal): says what happens to its members and sub-teams and asks where they go, then
 * deletes, busy until the service answers. Closes with the service's answer, or undefined on Cancel.
 */
export default class TeamDeleteDialog extends RosterModal {
    /** { id, name, memberCount, parentId } */
    @api team;
    /** [{ label, value }] of the teams its members and sub-teams may move to. */
    @api moveTargetOptions = [];
    @api subTeamCount = 0;
    moveMembersTo = '';

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
        return this.busy ? 'Deleting…' : 'Delete';
    }

    handleMoveMembersTo(event) {
        this.moveMembersTo = event.detail.value;
    }

    handleDelete() {
        return this.send(async () => {
            const result = await deleteTeam({
                teamId: this.team.id,
                moveMembersTo: this.moveMembersTo || null
            });
            return result || true;
        });
    }
}
