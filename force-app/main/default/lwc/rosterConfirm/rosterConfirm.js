import { api } from 'lwc';
import RosterModal from 'c/rosterModal';

/**
 * The one confirmation for anything destructive or far-reaching: it says what happens and to how many,
 * optionally asks for a reason or for a name typed back, then runs the action itself, busy and impossible to
 * send twice, showing a failure inside the dialog. Closes with the action's result, or undefined on Cancel.
 *
 *   const result = await RosterConfirm.open({ label, message, details, confirmLabel, variant, action });
 */
export default class RosterConfirm extends RosterModal {
    /** What happens, in a sentence. */
    @api message;
    /** Further lines: what it touches ("Used by 2 rules: …"). */
    @api details = [];
    @api confirmLabel = 'Confirm';
    /** 'destructive' for removals, 'brand' for changes that can be undone. */
    @api variant = 'destructive';
    /** When set, the admin types this back before the button enables (deleting a user types the email). */
    @api typeToConfirm;
    @api typeToConfirmLabel;
    /** When set, a required reason is asked and given to the action. */
    @api reasonLabel;
    /** async ({ reason, typed }) => result; its rejection is shown here and the dialog stays open. */
    @api action;

    typed = '';
    reason = '';

    get hasDetails() {
        return Array.isArray(this.details) && this.details.length > 0;
    }
    get detailItems() {
        return (this.details || []).map((text, i) => ({ key: `d${i}`, text }));
    }
    get confirmDisabled() {
        if (this.busy) return true;
        if (
            this.typeToConfirm &&
            this.typed.trim().toLowerCase() !== this.typeToConfirm.toLowerCase()
        )
            return true;
        if (this.reasonLabel && !this.reason.trim()) return true;
        return false;
    }
    get confirmText() {
        return this.busy ? 'Working…' : this.confirmLabel;
    }

    handleTyped(event) {
        this.typed = event.detail.value;
    }
    handleReason(event) {
        this.reason = event.detail.value;
    }

    handleConfirm() {
        if (this.confirmDisabled) return undefined;
        return this.send(async () => {
            const result = this.action
                ? await this.action({ reason: this.reason.trim(), typed: this.typed.trim() })
                : true;
            return result === undefined || result === null ? true : result;
        });
    }
}
