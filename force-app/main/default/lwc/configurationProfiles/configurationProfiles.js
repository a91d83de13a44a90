import { LightningElement } from 'lwc';
import { listProfiles, listRules, deleteProfile, getProfileSummary } from 'c/rosterService';
import { toastSuccess } from 'c/rosterMessages';
import { oneDialogAtATime } from 'c/rosterModal';
import RosterConfirm from 'c/rosterConfirm';
import ProfileAddDialog from 'c/profileAddDialog';

/** Configuration Profiles: the list with a summary of each profile's settings, create (optionally copied), delete, and the editor. */
export default class ConfigurationProfiles extends LightningElement {
    profiles = [];
    error;
    actionError;
    selectedId;
    summaries = {};

    connectedCallback() {
        this.load();
    }

    async load() {
        try {
            this.profiles = (await listProfiles()).profiles;
            this.error = undefined;
        } catch (error) {
            this.error = error;
        }
    }

    get rows() {
        return this.profiles.map((p) => {
            const summary = this.summaries[p.id];
            return {
                ...p,
                usersText: `${p.userCount} ${p.userCount === 1 ? 'user' : 'users'}`,
                summaryText: summary
                    ? `On: ${summary.enabled.join(', ') || 'nothing'}. Off: ${summary.disabled.join(', ') || 'nothing'}.`
                    : '',
                openId: `open-${p.id}`,
                summaryId: `summary-${p.id}`,
                deleteId: `delete-${p.id}`,
                deleteLabel: `Delete ${p.name}`,
                canDelete: !p.isBuiltin,
                rowClass: `slds-item${p.id === this.selectedId ? ' slds-is-selected' : ''}`
            };
        });
    }
    async showSummary(event) {
        const profileId = event.currentTarget.dataset.profileId;
        if (this.summaries[profileId]) return;
        try {
            const summary = await getProfileSummary({ profileId });
            this.summaries = { ...this.summaries, [profileId]: summary };
        } catch (error) {
            this.actionError = error;
        }
    }

    openProfile(event) {
        this.selectedId = event.currentTarget.dataset.profileId;
    }
    closeEditor() {
        this.selectedId = undefined;
    }
    handleChanged() {
        this.summaries = {};
        return this.load();
    }

    /** Add Configuration Profile as a lightning/modal; one dialog at a time. The new profile opens in the editor. */
    openCreate() {
        return oneDialogAtATime(this, async () => {
            this.actionError = undefined;
            const profile = await ProfileAddDialog.open({
                size: 'small',
                label: 'Add Configuration Profile',
                profiles: this.profiles
            });
            if (!profile) return;
            toastSuccess(this, `${profile.name} was created.`);
            this.selectedId = profile.id;
            await this.load();
        });
    }

    async handleDelete(event) {
        const profile = this.profiles.find((p) => p.id === event.currentTarget.dataset.profileId);
        let usedBy = [];
        try {
            usedBy = (await listRules()).rules.filter(
                (r) => r.assignments && r.assignments.profileId === profile.id
            );
        } catch (error) {
            this.actionError = error;
            return;
        }
        const users = `${profile.userCount} ${profile.userCount === 1 ? 'user is' : 'users are'}`;
        const details = [
            profile.userCount
                ? `${users} on it: reassign them first, or the service refuses the deletion.`
                : 'No user is on it.',
            usedBy.length
                ? `Used by ${usedBy.length} ${usedBy.length === 1 ? 'rule' : 'rules'}: ${usedBy.map((r) => r.name).join(', ')}. ${usedBy.length === 1 ? 'It is' : 'They are'} flagged invalid until you choose another profile.`
                : 'No User Settings Rule assigns it.'
        ];
        const deleted = await RosterConfirm.open({
            size: 'small',
            label: `Delete ${profile.name}?`,
            message: `${profile.name} and its activity, matching and notification settings are deleted for good.`,
            details,
            confirmLabel: 'Delete profile',
            action: () => deleteProfile({ profileId: profile.id })
        });
        if (!deleted) return;
        toastSuccess(this, `${profile.name} was deleted.`);
        if (this.selectedId === profile.id) this.selectedId = undefined;
        await this.load();
    }
}
