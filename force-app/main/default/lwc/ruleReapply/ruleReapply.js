import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { previewReapply, reapplyRules } from 'c/rosterService';
import { LICENSE_LABELS } from 'c/rosterVocabulary';
import { PERMISSION_LABELS, RULE_VISIBILITY_LABELS } from 'c/ruleVocabulary';
import { runJob, findRunningJob } from 'c/jobProgress';

// The service's 409 preview_stale message (the Apex error carries the message only).
const STALE = /changed since the preview/i;

/**
 * Re-apply the rules to existing users (SPEC section 4): the per-user diff first, then Apply with the
 * preview's token, so what is applied is exactly what the admin reviewed.
 */
export default class RuleReapply extends LightningElement {
    @api profiles = [];
    open = false;
    preview;
    error;
    notice;
    loading = false;
    applying = false;
    job; // the preview or apply job being followed, for its progress bar

    /** A preview or apply still running after a page reload opens the dialog at its progress bar. */
    async connectedCallback() {
        const job = await findRunningJob(['rules.reapply.preview', 'rules.reapply']);
        if (!job || this.open) return;
        this.open = true;
        if (job.kind === 'rules.reapply') await this.followApply(job);
        else await this.loadPreview(job);
    }

    follow(started) {
        return runJob(started, (job) => {
            this.job = job;
        });
    }

    get fieldLabels() {
        const profileName = (id) =>
            (this.profiles.find((p) => p.id === id) || {}).name || 'a deleted profile';
        const licenses = (list) =>
            (list || []).map((l) => LICENSE_LABELS[l] || l).join(', ') || 'none';
        return {
            profileId: ['Profile', profileName],
            role: ['Role', (v) => PERMISSION_LABELS[v] || v],
            visibility: ['Visibility', (v) => RULE_VISIBILITY_LABELS[v] || v],
            licenses: ['Licenses', licenses]
        };
    }

    get users() {
        const labels = this.fieldLabels;
        return ((this.preview && this.preview.changes) || []).map((c) => ({
            key: c.userId,
            email: c.email,
            ruleName: c.rule.name,
            dataId: `reapply-user-${c.email}`,
            changes: c.changes.map((f) => {
                const [label, show] = labels[f.field] || [f.field, String];
                return { key: f.field, text: `${label}: ${show(f.from)} → ${show(f.to)}` };
            })
        }));
    }
    get summary() {
        if (!this.preview) return '';
        const { total, unchanged, changes } = this.preview;
        return `${changes.length} of ${total} users would change; ${unchanged} already match their rule.`;
    }
    get warnings() {
        return ((this.preview && this.preview.warnings) || []).map((text, i) => ({
            key: `${i}`,
            text
        }));
    }
    get nothingChanges() {
        return !!this.preview && this.preview.changes.length === 0;
    }
    get applyDisabled() {
        return !this.preview || this.applying || this.nothingChanges || this.warnings.length > 0;
    }

    async openPreview() {
        this.open = true;
        this.notice = undefined;
        await this.loadPreview();
    }

    /** The diff is worked out over every user, as a service job; `running` is one already started. */
    async loadPreview(running) {
        this.preview = undefined;
        this.error = undefined;
        this.loading = true;
        try {
            this.preview = await this.follow(running || previewReapply());
        } catch (error) {
            this.error = error;
        } finally {
            this.loading = false;
            this.job = undefined;
        }
    }

    close() {
        this.open = false;
    }

    apply() {
        return this.followApply(reapplyRules({ previewToken: this.preview.previewToken }));
    }

    async followApply(started) {
        this.applying = true;
        this.error = undefined;
        try {
            const result = await this.follow(started);
            this.open = false;
            this.dispatchEvent(
                new ShowToastEvent({
                    title: 'Rules re-applied',
                    message: `${result.applied} users updated; ${result.unchanged} already matched.`,
                    variant: 'success'
                })
            );
            this.dispatchEvent(new CustomEvent('reapplied', { detail: result }));
        } catch (error) {
            if (STALE.test((error && error.body && error.body.message) || '')) {
                // Someone changed users or rules meanwhile: show the current diff instead of applying an old one.
                await this.loadPreview();
                this.notice =
                    'Users or rules changed since the preview. Review the updated changes.';
            } else {
                this.error = error;
            }
        } finally {
            this.applying = false;
            this.job = undefined;
        }
    }
}
