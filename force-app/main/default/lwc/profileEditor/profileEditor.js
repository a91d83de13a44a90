import { LightningElement, api } from 'lwc';
import { getProfile, updateProfile, setActivity } from 'c/rosterService';
import { TOGGLE_LABELS } from 'c/rosterVocabulary';

/** One profile's settings: the Activity tab here, Matching and Notifications in their own components. */
export default class ProfileEditor extends LightningElement {
    profile;
    _profileId;
    error;
    actionError;
    notice;
    name = '';

    @api
    get profileId() {
        return this._profileId;
    }
    set profileId(value) {
        this._profileId = value;
        if (value) this.load();
    }

    async load() {
        const profileId = this._profileId;
        try {
            const profile = await getProfile({ profileId });
            if (profileId !== this._profileId) return; // another profile was opened meanwhile
            this.profile = profile;
            this.name = profile.name;
            this.error = undefined;
        } catch (error) {
            this.error = error;
        }
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
        await this.load();
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
