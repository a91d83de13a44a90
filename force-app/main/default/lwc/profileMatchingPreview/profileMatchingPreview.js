import { LightningElement, api } from 'lwc';
import { previewMatching } from 'c/rosterService';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TYPE_LABELS = {
    Opportunity: 'Opportunity',
    Account: 'Account',
    Lead: 'Lead',
    Contact: 'Contact'
};

/**
 * Addresses as the admin pastes them from an email or invite: separated by commas, semicolons or new lines,
 * each bare or as `Name <address>`.
 */
const addresses = (text) =>
    (text || '')
        .split(/[,;\n]+/)
        .map((entry) => {
            const bracketed = /<([^>]*)>/.exec(entry);
            return (bracketed ? bracketed[1] : entry).trim();
        })
        .filter(Boolean);

/**
 * "Try it": the admin enters an email's or meeting's participants (and a subject), and sees which records this
 * profile would match it to, in order, and why each was kept, dropped or placed where it is.
 */
export default class ProfileMatchingPreview extends LightningElement {
    @api profileId;
    participantsText = '';
    subject = '';
    activity = 'email';
    activityOptions = [
        { value: 'email', label: 'An email' },
        { value: 'meeting', label: 'A meeting' }
    ];
    result;
    error;
    running = false;

    get runDisabled() {
        return this.running || addresses(this.participantsText).length === 0;
    }
    get hasResult() {
        return !!this.result;
    }
    get notes() {
        return this.result.notes.map((text, i) => ({ key: `n${i}`, text }));
    }
    get hasNotes() {
        return this.result.notes.length > 0;
    }
    get participants() {
        return this.result.participants.map((p) => ({
            key: p.email,
            text: p.records.length
                ? `${p.email}: ${p.records.map((r) => `${TYPE_LABELS[r.objectType]} ${r.name}`).join(', ')}`
                : `${p.email}: not in Salesforce`
        }));
    }
    get kept() {
        return this.candidates('kept');
    }
    get dropped() {
        return this.candidates('dropped');
    }
    get hasKept() {
        return this.kept.length > 0;
    }
    get hasDropped() {
        return this.dropped.length > 0;
    }
    get nothingFound() {
        return this.result.candidates.length === 0;
    }
    candidates(outcome) {
        return this.result.candidates
            .filter((c) => c.outcome === outcome)
            .map((c) => ({
                ...c,
                heading:
                    outcome === 'kept'
                        ? `${c.rank}. ${c.name} (${TYPE_LABELS[c.objectType]}), score ${c.score}`
                        : `${c.name} (${TYPE_LABELS[c.objectType]}), score ${c.score}`,
                dataId: outcome === 'kept' ? `candidate-${c.rank}` : `dropped-${c.id}`,
                lines: [
                    ...c.signals.map((s, i) => ({
                        key: `s${i}`,
                        text: `+${s.points}: ${s.reason}`
                    })),
                    ...c.why.map((text, i) => ({ key: `w${i}`, text })),
                    ...c.placement.map((text, i) => ({ key: `p${i}`, text }))
                ]
            }));
    }

    handleParticipants(event) {
        this.participantsText = event.detail.value;
        event.target.setCustomValidity('');
    }
    handleSubject(event) {
        this.subject = event.detail.value;
    }
    handleActivity(event) {
        this.activity = event.detail.value;
    }

    async run() {
        if (this.runDisabled) return;
        const list = addresses(this.participantsText);
        const bad = list.filter((a) => !EMAIL.test(a));
        const input = this.template.querySelector('[data-id="preview-participants"]');
        if (bad.length) {
            input.setCustomValidity(`Not an email address: ${bad.join(', ')}`);
            input.reportValidity();
            return;
        }
        this.running = true;
        this.error = undefined;
        try {
            this.result = await previewMatching({
                profileId: this.profileId,
                participants: list,
                subject: this.subject.trim(),
                activity: this.activity
            });
        } catch (error) {
            this.result = undefined;
            this.error = error;
            // A condition the org can no longer evaluate is shown on that condition too.
            this.dispatchEvent(new CustomEvent('previewerror', { detail: { error } }));
        } finally {
            this.running = false;
        }
    }
}
