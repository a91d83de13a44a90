import { LightningElement, wire } from 'lwc';
import getMode from '@salesforce/apex/ModeController.getMode';
import { previewMode, setMode, refreshApex } from 'c/rosterService';
import { SKIP_REASONS } from 'c/rosterVocabulary';

const MODE_LABELS = { manual: 'Manual', automatic: 'Automatic' };

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
        const list = (items, describe) => (items || []).map(describe);
        return [
            {
                key: 'teams-create',
                title: 'Teams to create',
                items: list(teams.create, (t) =>
                    t.parentName ? `${t.name} (under ${t.parentName})` : t.name
                )
            },
            {
                key: 'teams-rename',
                title: 'Teams to rename',
                items: list(teams.rename, (t) => `${t.from} → ${t.to}`)
            },
            {
                key: 'teams-move',
                title: 'Teams to move',
                items: list(
                    teams.move,
                    (t) => `${t.name}: ${t.fromParent || 'top'} → ${t.toParent || 'top'}`
                )
            },
            {
                key: 'teams-delete',
                title: 'Teams to replace',
                items: list(teams.delete, (t) =>
                    t.redirectTo ? `${t.name} (its id will lead to ${t.redirectTo})` : t.name
                )
            },
            {
                key: 'users-create',
                title: 'Users to create',
                items: list(
                    users.create,
                    (u) => `${u.name} (${u.email})${u.teamName ? ` in ${u.teamName}` : ''}`
                )
            },
            {
                key: 'users-move',
                title: 'Users to move',
                items: list(
                    users.move,
                    (u) => `${u.email}: ${u.fromTeam || 'no team'} → ${u.toTeam || 'no team'}`
                )
            },
            {
                key: 'users-suspend',
                title: 'Users to suspend',
                items: list(users.suspend, (u) => `${u.email}: ${u.reason}`)
            },
            {
                key: 'users-unmatched',
                title: 'Users not in the Salesforce hierarchy (kept, moved to the top-level team)',
                items: list(users.unmatched, (u) => u.email)
            },
            {
                key: 'skipped',
                title: 'Salesforce users skipped',
                items: list(
                    p.skipped,
                    (s) => `${s.name} (${s.email}): ${SKIP_REASONS[s.reason] || s.reason}`
                )
            },
            {
                key: 'conflicts',
                title: 'Conflicts for you to confirm',
                items: list(p.conflicts, (c) => `${c.email}: ${c.kind}`)
            }
        ]
            .filter((s) => s.items.length > 0)
            .map((s) => ({
                ...s,
                title: `${s.title} (${s.items.length})`,
                dataId: `preview-${s.key}`,
                keyed: s.items.map((text, i) => ({ key: `${i}`, text }))
            }));
    }
    get nothingChanges() {
        return !!this.preview && this.sections.length === 0;
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
