import { LightningElement, wire } from 'lwc';
import getMode from '@salesforce/apex/ModeController.getMode';
import { previewMode, setMode, refreshApex } from 'c/rosterService';

const MODE_LABELS = { manual: 'Manual', automatic: 'Automatic' };
const SKIP_REASONS = {
    inactive: 'inactive in Salesforce',
    no_role: 'no role',
    role_disabled: 'role toggled off',
    not_standard: 'not a standard user'
};
const describeUser = (u) => u.email || u.name || u.sfUserId;

/** The Manage Mode indicator and switch: a preview of what would change, then an explicit confirmation. */
export default class ModeSwitch extends LightningElement {
    mode;
    wired;
    error;
    switching = false;
    preview;
    previewError;
    loadingPreview = false;
    saving = false;

    @wire(getMode)
    receive(result) {
        this.wired = result;
        if (result.data) this.mode = result.data.mode;
        if (result.error) this.error = result.error;
    }

    get modeLabel() {
        return MODE_LABELS[this.mode] || '…';
    }
    get targetMode() {
        return this.mode === 'automatic' ? 'manual' : 'automatic';
    }
    get heading() {
        return this.targetMode === 'automatic' ? 'Enable Auto Manage' : 'Switch to Manual Mode';
    }
    get confirmLabel() {
        return this.heading;
    }
    get toAutomatic() {
        return this.targetMode === 'automatic';
    }
    get confirmDisabled() {
        return !this.preview || this.saving;
    }

    get sections() {
        const p = this.preview || {};
        const teams = p.teams || {};
        const users = p.users || {};
        return [
            {
                key: 'teams-create',
                title: 'Teams to create',
                items: (teams.create || []).map((t) => t.name)
            },
            {
                key: 'teams-remove',
                title: 'Teams to replace',
                items: (teams.remove || []).map((t) => t.name)
            },
            {
                key: 'users-create',
                title: 'Users to create',
                items: (users.create || []).map(describeUser)
            },
            {
                key: 'users-move',
                title: 'Users to move',
                items: (users.move || []).map((u) => `${describeUser(u)}: ${u.from} → ${u.to}`)
            },
            {
                key: 'users-suspend',
                title: 'Users to suspend',
                items: (users.suspend || []).map(describeUser)
            },
            {
                key: 'users-unmatched',
                title: 'Users not in Salesforce (moved to the top-level team)',
                items: (users.unmatched || []).map(describeUser)
            },
            {
                key: 'skipped',
                title: 'Salesforce users skipped',
                items: (p.skipped || []).map(
                    (s) => `${describeUser(s)}: ${SKIP_REASONS[s.reason] || s.reason}`
                )
            }
        ].map((s) => ({
            ...s,
            count: s.items.length,
            title: `${s.title} (${s.items.length})`,
            dataId: `preview-${s.key}`,
            keyed: s.items.map((text, i) => ({ key: `${i}`, text }))
        }));
    }

    async openSwitch() {
        this.switching = true;
        this.preview = undefined;
        this.previewError = undefined;
        this.loadingPreview = true;
        try {
            this.preview = await previewMode({ mode: this.targetMode });
        } catch (error) {
            this.previewError = error;
        } finally {
            this.loadingPreview = false;
        }
    }

    closeSwitch() {
        this.switching = false;
    }

    async confirmSwitch() {
        this.saving = true;
        this.previewError = undefined;
        try {
            const result = await setMode({ mode: this.targetMode });
            this.mode = result && result.mode ? result.mode : this.targetMode;
            this.switching = false;
            this.dispatchEvent(new CustomEvent('modechanged', { detail: { mode: this.mode } }));
            await refreshApex(this.wired);
        } catch (error) {
            this.previewError = error;
        } finally {
            this.saving = false;
        }
    }
}
