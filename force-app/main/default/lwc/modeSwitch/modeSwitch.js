import { LightningElement, api } from 'lwc';
import { findRunningJob } from 'c/jobProgress';
import { oneDialogAtATime } from 'c/rosterModal';
import ModeSwitchDialog from 'c/modeSwitchDialog';

const MODE_LABELS = { manual: 'Manual', automatic: 'Automatic' };
const SOURCE_LABELS = {
    role: 'Role hierarchy',
    manager: 'Manager hierarchy: a team per manager'
};

/**
 * The Manage Mode indicator and its Change button, which opens the preview-then-confirm dialog. The mode comes
 * from the screen's own answer (`state`, as GET /mode answers it); after a switch the screen reloads it.
 */
export default class ModeSwitch extends LightningElement {
    mode;
    hierarchySource;

    @api
    get state() {
        return this._state;
    }
    set state(value) {
        this._state = value;
        this.mode = value ? value.mode : undefined;
        this.hierarchySource = value ? value.hierarchySource : undefined;
    }

    connectedCallback() {
        this.resume();
    }

    /** A preview or switch still running after a page reload opens the dialog at its progress bar. */
    async resume() {
        const job = await findRunningJob(['mode.preview', 'mode.change']);
        if (job) await this.openDialog(job);
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

    openDialog(running) {
        // One dialog at a time: a second click while it is open does nothing.
        return oneDialogAtATime(this, async () => {
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
        });
    }
}
