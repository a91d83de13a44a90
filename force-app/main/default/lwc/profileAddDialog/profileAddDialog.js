import { api } from 'lwc';
import RosterModal from 'c/rosterModal';
import { createProfile } from 'c/rosterService';

/**
 * Add Configuration Profile (lightning/modal): a name and the profile to copy user settings from (or everything
 * off); saves itself, busy until the service answers, closes with the new profile.
 */
export default class ProfileAddDialog extends RosterModal {
    /** The existing profiles, [{ id, name }]: any of them can be copied. */
    @api profiles = [];
    name = '';
    copyFromId = '';

    get copyOptions() {
        return [
            { label: 'Start with everything off', value: '' },
            ...(this.profiles || []).map((p) => ({ label: p.name, value: p.id }))
        ];
    }
    get saveDisabled() {
        return this.busy || !this.name.trim();
    }

    handleName(event) {
        this.name = event.detail.value;
    }
    handleCopyFrom(event) {
        this.copyFromId = event.detail.value;
    }

    handleSave() {
        if (this.saveDisabled) return undefined;
        return this.send(() =>
            createProfile({ name: this.name.trim(), copyFromId: this.copyFromId || null })
        );
    }
}
