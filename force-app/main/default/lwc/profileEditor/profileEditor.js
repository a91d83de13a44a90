import { LightningElement, api, wire } from 'lwc';
import getProfile from '@salesforce/apex/ProfilesController.getProfile';
import { updateProfile, setActivity, refreshApex } from 'c/rosterService';
import { TOGGLE_LABELS } from 'c/rosterVocabulary';

/** One profile's settings: the Activity tab here, Matching and Notifications in their own components. */
export default class ProfileEditor extends LightningElement {
    @api profileId;
    profile;
    wired;
    error;
    actionError;
    notice;
    name = '';

    @wire(getProfile, { profileId: '$profileId' })
    receive(result) {
        this.wired = result;
        if (result.data) {
            this.profile = result.data;
            this.name = result.data.name;
            this.error = undefined;
        }
        if (result.error) this.error = result.error;
    }

    get toggles() {
        if (!this.profile) return [];
        return Object.entries(TOGGLE_LABELS).map(([key, label]) => ({
            key,
            label,
            checked: this.profile.activity[key],
            dataId: `toggle-${key}`
        }));
    }
    get heading() {
        return this.profile ? this.profile.name : '';
    }
    get isBuiltin() {
        return this.profile && this.profile.isBuiltin;
    }

    handleName(event) {
        this.name = event.detail.value;
    }

    saveName() {
        return this.run(
            () => updateProfile({ profileId: this.profileId, changes: { name: this.name.trim() } }),
            'The profile was renamed.'
        );
    }

    handleToggle(event) {
        const key = event.target.dataset.toggle;
        const on = event.target.checked;
        return this.run(
            () => setActivity({ profileId: this.profileId, toggles: { [key]: on } }),
            `${TOGGLE_LABELS[key]} is ${on ? 'on' : 'off'}.`
        );
    }

    handleChildChanged(event) {
        this.notice = event.detail && event.detail.message;
        this.refresh();
    }

    async refresh() {
        await refreshApex(this.wired);
        this.dispatchEvent(new CustomEvent('changed'));
    }

    async run(action, message) {
        this.actionError = undefined;
        try {
            await action();
            this.notice = message;
            await this.refresh();
        } catch (error) {
            this.actionError = error;
        }
    }

    close() {
        this.dispatchEvent(new CustomEvent('close'));
    }
}
