import { LightningElement, wire } from 'lwc';
import listProfiles from '@salesforce/apex/ProfilesController.listProfiles';
import { createProfile, deleteProfile, getProfileSummary, refreshApex } from 'c/rosterService';

/** Configuration Profiles: the list with a summary of each profile's settings, create (optionally copied), delete, and the editor. */
export default class ConfigurationProfiles extends LightningElement {
    profiles = [];
    wired;
    error;
    actionError;
    notice;
    creating = false;
    newName = '';
    copyFromId = '';
    selectedId;
    summaries = {};

    @wire(listProfiles)
    receive(result) {
        this.wired = result;
        if (result.data) {
            this.profiles = result.data.profiles;
            this.error = undefined;
        }
        if (result.error) this.error = result.error;
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
    get copyOptions() {
        return [
            { label: 'Start with everything off', value: '' },
            ...this.profiles.map((p) => ({ label: p.name, value: p.id }))
        ];
    }
    get createDisabled() {
        return !this.newName.trim();
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
        return refreshApex(this.wired);
    }

    openCreate() {
        this.creating = true;
        this.newName = '';
        this.copyFromId = '';
        this.actionError = undefined;
    }
    closeCreate() {
        this.creating = false;
    }
    handleNewName(event) {
        this.newName = event.detail.value;
    }
    handleCopyFrom(event) {
        this.copyFromId = event.detail.value;
    }

    async saveNew() {
        this.actionError = undefined;
        try {
            const profile = await createProfile({
                name: this.newName.trim(),
                copyFromId: this.copyFromId || null
            });
            this.creating = false;
            this.notice = `${profile.name} was created.`;
            this.selectedId = profile.id;
            await refreshApex(this.wired);
        } catch (error) {
            this.actionError = error;
        }
    }

    async handleDelete(event) {
        const profile = this.profiles.find((p) => p.id === event.currentTarget.dataset.profileId);
        this.actionError = undefined;
        try {
            await deleteProfile({ profileId: profile.id });
            this.notice = `${profile.name} was deleted.`;
            if (this.selectedId === profile.id) this.selectedId = undefined;
            await refreshApex(this.wired);
        } catch (error) {
            this.actionError = error;
        }
    }
}
