import { LightningElement } from 'lwc';
import { getTeamHierarchyScreen, updateTeam } from 'c/rosterService';
import { flattenTeams, toTreeItems, subtreeIds } from 'c/teamTreeUtils';
import { userName } from 'c/rosterLookup';
import { toastSuccess, toastError } from 'c/rosterMessages';
import { oneDialogAtATime } from 'c/rosterModal';
import { blockedHealthBanner } from 'c/rosterPage';
import RosterConfirm from 'c/rosterConfirm';
import TeamAddDialog from 'c/teamAddDialog';
import TeamDeleteDialog from 'c/teamDeleteDialog';

/** Team Hierarchy: the team tree with add, rename, move and delete, each team's manager, and custom teams. */
export default class TeamHierarchy extends LightningElement {
    tree;
    error;
    users = []; // the managers the tree names, not every user: an org can have 100k
    customTeams; // the custom teams list, as the screen's answer has it
    topTeamHistory; // the first page of the top team's membership history (selected first)
    mode; // 'manual' or 'automatic', as the screen's answer has it
    stopped; // set while the service has the sync stopped on a Blocked check: { message, missing, checkedAt }
    busy = false;
    selectedId;
    renameValue = '';

    connectedCallback() {
        this.load();
    }

    /** The tree, its managers by name, the custom teams and the top team's history: one callout, again after every change. */
    async load() {
        try {
            const screen = await getTeamHierarchyScreen();
            this.tree = screen.teams;
            this.users = screen.managers;
            this.customTeams = screen.customTeams;
            this.topTeamHistory = { teamId: screen.teams.top.id, ...screen.topTeamHistory };
            this.mode = screen.mode.mode;
            this.stopped = screen.mode.stopped;
            this.error = undefined;
            if (!this.selectedId || !this.selectedTeam) this.selectedId = this.tree.top.id;
            this.renameValue = this.selectedTeam ? this.selectedTeam.name : '';
        } catch (error) {
            this.error = error;
        }
    }

    /** While the sync is stopped, Salesforce's changes to the hierarchy do not reach it: said as Users and Teams says it. */
    get banners() {
        return this.stopped
            ? [blockedHealthBanner({ missing: this.stopped.missing.length, stopped: true })]
            : [];
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
    /** In Automatic Mode the service refuses adding, renaming, moving and deleting teams: none is offered. */
    get isAutomatic() {
        return this.mode === 'automatic';
    }
    get canRestructure() {
        return this.isEditable && !this.isAutomatic;
    }
    get ownedBySalesforceReason() {
        return this.isAutomatic
            ? 'Salesforce manages the hierarchy in Automatic Mode: teams are added, renamed, moved and deleted there, and the sync brings each change here. Managers and custom teams are still set here.'
            : '';
    }
    get managerName() {
        const team = this.selectedTeam;
        if (!team || !team.managerUserId) return 'No manager';
        return `${this.userNames.get(team.managerUserId) || 'Unknown user'}${team.managerSetByHand ? ' (set by hand)' : ' (derived from the Manager role)'}`;
    }
    get managerValue() {
        return this.selectedTeam && this.selectedTeam.managerSetByHand
            ? this.selectedTeam.managerUserId
            : '';
    }
    get managerLabel() {
        return this.managerValue ? this.userNames.get(this.managerValue) || '' : '';
    }
    get cannotDerive() {
        return this.busy || !this.managerValue;
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

    handleSelect(event) {
        this.selectedId = event.detail.name;
        this.renameValue = this.selectedTeam ? this.selectedTeam.name : '';
    }

    /** One dialog at a time: resolves like the dialog, or undefined while another is open. */
    openDialog(Dialog, props) {
        return oneDialogAtATime(this, () => Dialog.open({ size: 'small', ...props }));
    }

    async openAdd() {
        if (this.isAutomatic) return; // the button is disabled then; the service would refuse anyway
        const parentId =
            this.selectedTeam && this.selectedTeam.kind !== 'unassigned'
                ? this.selectedTeam.id
                : this.tree.top.id;
        const team = await this.openDialog(TeamAddDialog, {
            label: 'Add Team',
            parentOptions: this.addParentOptions,
            parentId
        });
        if (!team) return;
        toastSuccess(this, `${team.name} was added.`, team.warnings);
        this.selectedId = team.id;
        await this.load();
    }

    async openDelete() {
        const team = this.selectedTeam;
        const deleted = await this.openDialog(TeamDeleteDialog, {
            label: `Delete ${team.name}?`,
            team,
            subTeamCount: subtreeIds(this.tree, team.id).size - 1,
            moveTargetOptions: this.moveTargetOptions
        });
        if (!deleted) return;
        toastSuccess(this, `${team.name} was deleted.`, deleted.warnings);
        this.selectedId = this.tree.top.id;
        await this.load();
    }

    handleRenameValue(event) {
        this.renameValue = event.detail.value;
    }

    renameTeam() {
        const name = this.renameValue.trim();
        return this.run(
            () => updateTeam({ teamId: this.selectedId, changes: { name } }),
            `The team is now called ${name}.`
        );
    }

    async moveTeam(event) {
        const team = this.selectedTeam;
        const target = this.teams.find((t) => t.id === event.detail.value);
        const combobox = event.target;
        const beneath = subtreeIds(this.tree, team.id).size - 1;
        const moved = await RosterConfirm.open({
            size: 'small',
            label: `Move ${team.name}?`,
            message: `${team.name} and everything beneath it move under ${target.path}.`,
            details: [
                `${team.memberCount} ${team.memberCount === 1 ? 'user' : 'users'} in ${team.name} itself`,
                `${beneath} ${beneath === 1 ? 'team' : 'teams'} beneath it move along`,
                'Managers with Team visibility above its old place stop seeing its activity; those above its new place start.'
            ],
            confirmLabel: 'Move team',
            variant: 'brand',
            action: () => updateTeam({ teamId: team.id, changes: { parentId: target.id } })
        });
        if (!moved) {
            // Cancelled: the combobox goes back to where the team still sits.
            combobox.value = team.parentId;
            return;
        }
        toastSuccess(this, `${team.name} now sits under ${target.name}.`, moved.warnings);
        await this.load();
    }

    setManager(event) {
        const managerUserId = event.detail.value || null;
        if (!managerUserId) return this.deriveManager();
        return this.run(
            () => updateTeam({ teamId: this.selectedId, changes: { managerUserId } }),
            `${event.detail.label || 'The user'} now manages ${this.selectedTeam.name}.`
        );
    }

    deriveManager() {
        return this.run(
            () => updateTeam({ teamId: this.selectedId, changes: { managerUserId: null } }),
            'The manager is derived from the Manager role again.'
        );
    }

    /** One change at a time: busy until the service answers, then a toast and a fresh tree. */
    async run(action, message) {
        if (this.busy) return undefined;
        this.busy = true;
        try {
            const result = await action();
            toastSuccess(this, message, result && result.warnings);
            await this.load();
            return result || true;
        } catch (error) {
            toastError(this, error);
            return undefined;
        } finally {
            this.busy = false;
        }
    }
}
