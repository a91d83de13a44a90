import { api } from 'lwc';
import RosterModal from 'c/rosterModal';
import { bulkUpdateUsers, startBulkUpdate } from 'c/rosterService';
import { runJob } from 'c/jobProgress';
import {
    licenseOptions,
    visibilityOptions,
    LICENSE_LABELS,
    VISIBILITY_LABELS
} from 'c/rosterVocabulary';

/** The bulk actions, as data: what each asks for and how its outcome reads. */
export const BULK_ACTIONS = [
    { value: 'assign_profile', label: 'Assign configuration profile' },
    { value: 'set_licenses', label: 'Set licenses' },
    { value: 'set_visibility', label: 'Set object visibility' },
    { value: 'move_team', label: 'Move to team' },
    { value: 'suspend', label: 'Suspend' },
    { value: 'reactivate', label: 'Reactivate' }
].map((a) => ({ ...a, dataId: `bulk-${a.value}` }));

const people = (n) => `${n} ${n === 1 ? 'user' : 'users'}`;

/** The job kind an apply runs as: a page reload finds it by this kind. */
export const BULK_JOB = 'users.bulk';

/** Whom a selection ({ userIds } or { filters }, blank filters left out) names, in the admin's words. */
export function describeSelection(selection = {}) {
    if (selection.userIds)
        return `the ${people(selection.userIds.length).replace(' ', ' selected ')}`;
    const narrowed = Object.values(selection.filters || {}).some(Boolean);
    return narrowed ? 'every user matching the search and filters' : 'every user in Roster';
}

/**
 * One bulk action (lightning/modal): the value to set, then a count from the service (a dry run) naming how
 * many users it touches and how many already have it, then Apply with that count, so what is applied is what
 * the admin confirmed. The apply is a service job (every user of a 100k-user org takes longer than a callout
 * waits), shown by its progress bar; one transaction. Closes with { message } once applied. `running` is an
 * apply still running after a page reload: the dialog opens at its progress bar.
 */
export default class BulkActionDialog extends RosterModal {
    @api action;
    @api selection;
    @api selectionText;
    @api profiles = [];
    @api teams = [];
    @api running;
    licenseOptions = licenseOptions;
    visibilityOptions = visibilityOptions;
    value = {};
    count; // { matched, changed } of the last dry run for the current value
    job; // the apply's service job while it runs, for its progress bar

    connectedCallback() {
        if (this.running) {
            // The value the apply sets, so that a refused apply can be counted again as it was.
            const change = { ...((this.running.params || {}).change || {}) };
            delete change.action;
            this.value = change;
            this.follow(this.running);
            return;
        }
        if (this.action === 'set_licenses') this.value = { licenses: ['foundation'] };
        if (this.action === 'set_visibility') this.value = { objectVisibility: 'full' };
        if (this.action === 'reactivate') this.countUsers();
    }

    get is() {
        return { [this.action]: true };
    }
    get profileOptions() {
        return this.profiles.map((p) => ({ label: p.name, value: p.id }));
    }
    get placeableTeams() {
        return this.teams.filter((t) => t.kind !== 'custom');
    }
    get change() {
        return { action: this.action, ...this.value };
    }
    get valueChosen() {
        const v = this.value;
        switch (this.action) {
            case 'assign_profile':
                return !!v.profileId;
            case 'set_licenses':
                return !!(v.licenses && v.licenses.length);
            case 'set_visibility':
                return !!v.objectVisibility;
            case 'move_team':
                return !!v.teamId;
            case 'suspend':
                return !!(v.reason && v.reason.trim());
            default:
                return true;
        }
    }
    /** What the change does, in the admin's words. */
    get what() {
        const v = this.value;
        switch (this.action) {
            case 'assign_profile': {
                const profile = this.profiles.find((p) => p.id === v.profileId);
                return `assigns ${profile ? profile.name : 'the profile'} to`;
            }
            case 'set_licenses':
                return `sets the licenses to ${(v.licenses || []).map((l) => LICENSE_LABELS[l]).join(', ')} for`;
            case 'set_visibility':
                return `sets object visibility to ${VISIBILITY_LABELS[v.objectVisibility]} for`;
            case 'move_team':
                return `moves into ${this.teamLabel || 'the team'}`;
            case 'suspend':
                return 'suspends (revoking their access and stopping mailbox checks)';
            default:
                return 'reactivates';
        }
    }
    get countText() {
        if (!this.count) return '';
        const { matched, changed } = this.count;
        if (matched === 0) return `No user matches ${this.selectionText}: nothing would change.`;
        const unchanged = matched - changed;
        return `This ${this.what} ${people(changed)} of the ${people(matched)} in ${this.selectionText}${
            unchanged ? ` (${unchanged} already ${unchanged === 1 ? 'has' : 'have'} it)` : ''
        }.`;
    }
    get countDisabled() {
        return this.busy || !this.valueChosen;
    }
    get applyDisabled() {
        return this.busy || !this.count || this.count.changed === 0;
    }
    get applyLabel() {
        if (this.busy) return 'Working…';
        return this.count ? `Apply to ${people(this.count.changed)}` : 'Apply';
    }
    get needsCount() {
        return !this.count;
    }

    renderedCallback() {
        if (!this.focusNextStep) return;
        this.focusNextStep = false;
        // "Count users" is gone once counted: focus goes to the admin's next step, not to the page behind the dialog.
        const footer = this.template.querySelector('c-dialog-footer');
        if (footer) footer.focusButton(this.applyDisabled ? 'cancel' : 'save');
    }

    handleValue(event) {
        const field = event.target.dataset.field;
        const detail = event.detail;
        if (field === 'teamId') this.teamLabel = detail.label || '';
        this.value = { ...this.value, [field]: detail.value };
        this.count = undefined; // a new value needs a new count
    }

    async countUsers(event) {
        if (this.action !== 'reactivate' && this.countDisabled) return;
        const fromButton = !!event;
        this.busy = true;
        this.error = undefined;
        try {
            this.count = await bulkUpdateUsers({
                request: { selection: this.selection, change: this.change, dryRun: true }
            });
            this.focusNextStep = fromButton;
        } catch (error) {
            this.error = error;
        } finally {
            this.busy = false;
        }
    }

    apply() {
        if (this.applyDisabled) return undefined;
        const expectedCount = this.count.matched;
        return this.follow(
            startBulkUpdate({
                request: { selection: this.selection, change: this.change, expectedCount }
            })
        );
    }

    /** Follows the apply's job (just started, or one still running after a reload) to its outcome. */
    follow(started) {
        return this.send(
            async () => {
                const result = await runJob(started, (job) => {
                    this.job = job;
                });
                return { message: `Done: ${people(result.changed)} changed.`, result };
            },
            () => {
                // Refused (e.g. the selection changed since the count): nothing was written; count again.
                this.count = undefined;
                this.job = undefined;
            }
        );
    }
}
