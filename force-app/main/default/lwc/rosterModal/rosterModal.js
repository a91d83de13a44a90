import LightningModal from 'lightning/modal';

const screensWithADialog = new WeakSet();

/**
 * One dialog at a time on a screen: while `screen` runs `flow` (a dialog and what follows its answer), another
 * click opens nothing (an Add clicked behind an open Edit must not become a second dialog with other data).
 * Resolves like the flow, or undefined when a dialog was already open.
 */
export async function oneDialogAtATime(screen, flow) {
    if (screensWithADialog.has(screen)) return undefined;
    screensWithADialog.add(screen);
    try {
        return await flow();
    } finally {
        screensWithADialog.delete(screen);
    }
}

/**
 * What every Roster dialog that saves does the same way (lightning/modal underneath): `send(request)` runs the
 * dialog's one request, busy and impossible to close until the service answers, and sent once however often it
 * is clicked; then the dialog closes with the answer. A refusal keeps the dialog open with the service's reason
 * (`error`, shown by its c-error-panel) and `onRefused(error)` may place it beside a field.
 */
export default class RosterModal extends LightningModal {
    busy = false;
    error;

    /** The Save button's label: what it says while the request runs. */
    get saveLabel() {
        return this.busy ? 'Saving…' : 'Save';
    }

    async send(request, onRefused) {
        if (this.busy) return;
        this.busy = true;
        this.disableClose = true;
        this.error = undefined;
        let answer;
        try {
            answer = await request();
        } catch (error) {
            this.error = error;
            this.disableClose = false;
            this.busy = false;
            if (onRefused) onRefused(error);
            return;
        }
        this.disableClose = false;
        this.close(answer);
    }

    handleCancel() {
        this.close(undefined);
    }
}
