import { api } from 'lwc';
import LightningModal from 'lightning/modal';
import { previewReapply, reapplyRules } from 'c/rosterService';
import { LICENSE_LABELS } from 'c/rosterVocabulary';
import { PERMISSION_LABELS, RULE_VISIBILITY_LABELS } from 'c/ruleVocabulary';
import { runJob, isStale, freshPreview, fullCount } from 'c/jobProgress';

/** The apply found users or rules changed since the preview: it applied nothing and says what changed. */
const COLUMNS = [
    { key: 'user', label: 'User' },
    { key: 'rule', label: 'Rule' },
    { key: 'changes', label: 'What changes' }
];

/**
 * Re-apply the rules to existing users (SPEC section 4), as a lightning/modal: the summary, then every user's
 * changes in a paged table where the admin may leave users out; Apply sends the preview's token, so what is applied
 * is exactly what was reviewed. Closes with the apply job's result.
 */
export default class RuleReapplyDialog extends LightningModal {
    @api profiles = [];
    /** A preview or apply job still running after a page reload: the dialog opens at its progress bar. */
    @api running;
    columns = COLUMNS;
    preview;
    error;
    notice;
    loading = false;
    applying = false;
    job; // the preview or apply job being followed, for its progress bar
    excludedIds = [];

    connectedCallback() {
        const job = this.running;
        if (job && job.kind === 'rules.reapply') this.followApply(job);
        else this.loadPreview(job);
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

    get rows() {
        const labels = this.fieldLabels;
        return ((this.preview && this.preview.changes) || []).map((c) => ({
            key: c.userId,
            label: c.email,
            cells: {
                user: c.email,
                rule: c.rule.name,
                changes: c.changes
                    .map((f) => {
                        const [label, show] = labels[f.field] || [f.field, String];
                        return `${label}: ${show(f.from)} → ${show(f.to)}`;
                    })
                    .join('; ')
            }
        }));
    }
    /** Every user the diff changes, listed or not: a large org's diff lists only its first users. */
    get changing() {
        return fullCount(this.preview, 'changes');
    }
    get summary() {
        if (!this.preview) return '';
        const { total, unchanged } = this.preview;
        const n = (count) => Number(count || 0).toLocaleString();
        return `${n(this.changing)} of ${n(total)} users would change; ${n(unchanged)} already match their rule.`;
    }
    get notListedText() {
        const n = this.changing - ((this.preview && this.preview.changes) || []).length;
        if (n <= 0) return '';
        return `The table lists the first users only; ${n.toLocaleString()} more would change as well.`;
    }
    get excludedSummary() {
        const n = this.excludedIds.length;
        if (!n) return '';
        return n === 1
            ? '1 user is left out and keeps what they have.'
            : `${n} users are left out and keep what they have.`;
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
    get hasChanges() {
        return !!this.preview && this.preview.changes.length > 0;
    }
    get applyDisabled() {
        return (
            !this.preview ||
            this.applying ||
            this.nothingChanges ||
            this.excludedIds.length >= this.changing ||
            this.warnings.length > 0
        );
    }
    get applyLabel() {
        if (this.applying) return 'Applying…';
        if (!this.preview) return 'Apply';
        const n = this.changing - this.excludedIds.length;
        return `Apply to ${n.toLocaleString()} ${n === 1 ? 'user' : 'users'}`;
    }

    handleExclude(event) {
        this.excludedIds = event.detail.keys;
    }

    /** The diff is worked out over every user, as a service job; `running` is one already started. */
    async loadPreview(running) {
        this.preview = undefined;
        this.error = undefined;
        this.excludedIds = [];
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

    handleCancel() {
        this.close(undefined);
    }

    apply() {
        if (this.applyDisabled) return undefined;
        return this.followApply(
            reapplyRules({
                previewToken: this.preview.previewToken,
                excludeUserIds: this.excludedIds
            })
        );
    }

    async followApply(started) {
        this.applying = true;
        this.disableClose = true;
        this.error = undefined;
        this.notice = undefined;
        try {
            const result = await this.follow(started);
            this.disableClose = false;
            this.close(result);
        } catch (error) {
            this.disableClose = false;
            if (isStale(error)) {
                // Someone changed users or rules meanwhile: the service's message says what changed, and the new
                // diff comes with it (else it is previewed again), shown instead of applying an old one.
                const fresh = freshPreview(error);
                if (fresh) {
                    this.preview = fresh;
                    this.excludedIds = [];
                } else {
                    await this.loadPreview();
                }
                this.notice = error.body.message;
            } else {
                this.error = error;
            }
        } finally {
            this.applying = false;
            this.job = undefined;
        }
    }
}
