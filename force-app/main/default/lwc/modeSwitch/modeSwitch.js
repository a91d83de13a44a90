import { LightningElement } from 'lwc';
import { getMode } from 'c/rosterService';
import { findRunningJob } from 'c/jobProgress';
import ModeSwitchDialog from 'c/modeSwitchDialog';

const MODE_LABELS = { manual: 'Manual', automatic: 'Automatic' };
const SOURCE_LABELS = {
    role: 'Role hierarchy',
    manager: 'Manager hierarchy: a team per manager'
};

/** The Manage Mode indicator and its Change button, which opens the preview-then-confirm dialog. */
export default class ModeSwitch extends LightningElement {
    mode;
    hierarchySource;
    error;
    dialogOpen = false;

    connectedCallback() {
        this.load();
        this.resume();
    }

    /** A preview or switch still running after a page reload opens the dialog at its progress bar. */
    async resume() {
        const job = await findRunningJob(['mode.preview', 'mode.change']);
        if (job) await this.openDialog(job);
    }

    async load() {
        try {
            const state = await getMode();
            this.mode = state.mode;
            this.hierarchySource = state.hierarchySource;
            this.error = undefined;
        } catch (error) {
            this.error = error;
        }
    }

    get modeLabel() {
        return MODE_LABELS[this.mode] || '…';
    }
    get sourceLabel() {
        return this.mode === 'automatic' ? SOURCE_LABELS[this.hierarchySource] || '' : '';
    }

    openSwitch() {
        return this.openDialog();
    }

    async openDialog(running) {
        // One dialog at a time: a second click while it is open does nothing.
        if (this.dialogOpen) return;
        this.dialogOpen = true;
        try {
            const switched = await ModeSwitchDialog.open({
                size: 'medium',
                // The dialog is named by what it does (its header says the same).
                label: this.mode === 'automatic' ? 'Switch to Manual Mode' : 'Enable Auto Manage',
                mode: this.mode,
                hierarchySource: this.hierarchySource,
                running,
                switchStarted: () => this.dispatchEvent(new CustomEvent('jobstarted'))
            });
            if (!switched) return;
            this.mode = switched.mode;
            if (switched.hierarchySource) this.hierarchySource = switched.hierarchySource;
            this.dispatchEvent(new CustomEvent('modechanged', { detail: { mode: this.mode } }));
            await this.load();
        } finally {
            this.dialogOpen = false;
        }
    }
}
