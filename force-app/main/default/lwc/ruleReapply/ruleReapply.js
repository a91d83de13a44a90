import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { findRunningJob } from 'c/jobProgress';
import { oneDialogAtATime } from 'c/rosterModal';
import RuleReapplyDialog from 'c/ruleReapplyDialog';

/** The Re-apply to existing users button: opens the preview-then-apply dialog and reports what was applied. */
export default class RuleReapply extends LightningElement {
    @api profiles = [];

    /** A preview or apply still running after a page reload opens the dialog at its progress bar. */
    async connectedCallback() {
        const job = await findRunningJob(['rules.reapply.preview', 'rules.reapply']);
        if (job) await this.openDialog(job);
    }

    openPreview() {
        return this.openDialog();
    }

    openDialog(running) {
        return oneDialogAtATime(this, async () => {
            const result = await RuleReapplyDialog.open({
                size: 'medium',
                label: 'Re-apply rules to existing users',
                profiles: this.profiles,
                running
            });
            if (!result) return;
            const excluded = result.excluded ? `; ${result.excluded} left out` : '';
            this.dispatchEvent(
                new ShowToastEvent({
                    title: 'Rules re-applied',
                    message: `${result.applied} users updated; ${result.unchanged} already matched${excluded}.`,
                    variant: 'success'
                })
            );
            this.dispatchEvent(new CustomEvent('reapplied', { detail: result }));
        });
    }
}
