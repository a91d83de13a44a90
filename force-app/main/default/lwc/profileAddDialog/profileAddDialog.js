import { api } from 'lwc';
import LightningModal from 'lightning/modal';
import { createProfile } from 'c/rosterService';

/**
 * Add Configuration Profile (lightning/modal): a name and the profile to copy user settings from (or everything
 * off); saves itself, busy until the service answers, closes with the new profile.
 */
export default class ProfileAddDialog extends LightningModal {
    /** The existing profiles, [{ id, name }]: any of them can be copied. */
    @api profiles = [];
    name = '';
    copyFromId = '';
    saving = false;
    error;

    get copyOptions() {
        return [
            { label: 'Start with everything off', value: '' },
            ...(this.profiles || []).map((p) => ({ label: p.name, value: p.id }))
        ];
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
    handleCopyFrom(event) {
        this.copyFromId = event.detail.value;
    }

    async handleSave() {
        if (this.saveDisabled) return;
        this.saving = true;
        this.disableClose = true;
        this.error = undefined;
        try {
            const profile = await createProfile({
                name: this.name.trim(),
                copyFromId: this.copyFromId || null
            });
            this.disableClose = false;
            this.close(profile);
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
