import { api } from 'lwc';
import LightningModal from 'lightning/modal';
import { previewMode, setMode } from 'c/rosterService';
import { SKIP_REASONS, CONFLICT_KINDS } from 'c/rosterVocabulary';
import { runJob, freshPreview, fullCount, notListed } from 'c/jobProgress';

/** Where Automatic Mode takes the team hierarchy from (the service's hierarchySource). */
const SOURCES = {
    role: { label: 'Role hierarchy', teams: 'the Salesforce role hierarchy' },
    manager: {
        label: 'Manager hierarchy: a team per manager',
        teams: 'teams built from Salesforce managers (a team per manager)'
    }
};

const CHANGE_COLUMNS = [
    { key: 'change', label: 'Change' },
    { key: 'detail', label: 'Team or user' }
];

/**
 * Changing the Manage Mode (lightning/modal): the preview of what would change (a service job), then an explicit
 * confirmation that follows the switch job to its end. Closes with { mode, hierarchySource } once switched.
 */
export default class ModeSwitchDialog extends LightningModal {
    changeColumns = CHANGE_COLUMNS;
    /** The mode the org is in now; the dialog offers the other one. */
    @api mode;
    @api hierarchySource;
    /** A preview or switch job still running after a page reload: the dialog opens at its progress bar. */
    @api running;
    /** Told when the switch job has started, so the page can follow it (counts and lists move while it runs). */
    @api switchStarted;
    chosenSource; // the source picked in the dialog for Automatic Mode
    previewRequest = 0;
    preview;
    previewError;
    notice; // what changed since the preview, when the switch refused an outdated one
    loadingPreview = false;
    saving = false;
    previewJob; // the preview job being followed, for its progress bar
    switchJob; // the switch job being followed

    connectedCallback() {
        const job = this.running;
        this.chosenSource =
            (job && job.params && job.params.hierarchySource) || this.hierarchySource || 'role';
        if (job && job.kind === 'mode.change') this.followSwitch(job, job.params.mode);
        else this.loadPreview(job);
    }

    get sourceOptions() {
        return Object.entries(SOURCES).map(([value, s]) => ({ value, label: s.label }));
    }
    get sourceTeams() {
        return (SOURCES[this.chosenSource] || SOURCES.role).teams;
    }
    get targetMode() {
        const job = this.running;
        if (job && job.params && job.params.mode) return job.params.mode;
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
        return !this.preview || this.saving || this.blockers.length > 0;
    }
    /** What the service would refuse the switch for (rules that would lock the admin out): fixed first, elsewhere. */
    get blockers() {
        return ((this.preview && this.preview.blockers) || []).map((text, i) => ({
            key: `blocker-${i}`,
            text
        }));
    }
    get sourceDisabled() {
        return this.loadingPreview || this.saving;
    }

    get sections() {
        const p = this.preview || {};
        const teams = p.teams || {};
        const users = p.users || {};
        const list = (items, describe) => (items || []).map(describe);
        return [
            {
                key: 'teams-create',
                path: 'teams.create',
                title: 'Teams to create',
                items: list(teams.create, (t) =>
                    t.parentName ? `${t.name} (under ${t.parentName})` : t.name
                )
            },
            {
                key: 'teams-rename',
                path: 'teams.rename',
                title: 'Teams to rename',
                items: list(teams.rename, (t) => `${t.from} → ${t.to}`)
            },
            {
                key: 'teams-move',
                path: 'teams.move',
                title: 'Teams to move',
                items: list(
                    teams.move,
                    (t) => `${t.name}: ${t.fromParent || 'top'} → ${t.toParent || 'top'}`
                )
            },
            {
                key: 'teams-delete',
                path: 'teams.delete',
                title: 'Teams to replace',
                items: list(teams.delete, (t) =>
                    t.redirectTo ? `${t.name} (its id will lead to ${t.redirectTo})` : t.name
                )
            },
            {
                key: 'users-create',
                path: 'users.create',
                title: 'Users to create',
                items: list(
                    users.create,
                    (u) => `${u.name} (${u.email})${u.teamName ? ` in ${u.teamName}` : ''}`
                )
            },
            {
                key: 'users-move',
                path: 'users.move',
                title: 'Users to move',
                items: list(
                    users.move,
                    (u) => `${u.email}: ${u.fromTeam || 'no team'} → ${u.toTeam || 'no team'}`
                )
            },
            {
                key: 'users-suspend',
                path: 'users.suspend',
                title: 'Users to suspend',
                items: list(users.suspend, (u) => `${u.email}: ${u.reason}`)
            },
            {
                key: 'users-unmatched',
                path: 'users.unmatched',
                title: 'Users not in the Salesforce hierarchy (kept, moved to the top-level team)',
                items: list(users.unmatched, (u) => u.email)
            },
            {
                key: 'skipped',
                path: 'skipped',
                title: 'Salesforce users skipped',
                items: list(
                    p.skipped,
                    (s) => `${s.name} (${s.email}): ${SKIP_REASONS[s.reason] || s.reason}`
                )
            },
            {
                key: 'conflicts',
                path: 'conflicts',
                title: 'Conflicts for you to confirm',
                items: list(p.conflicts, (c) => `${c.email}: ${CONFLICT_KINDS[c.kind] || c.kind}`)
            }
        ]
            .map((s) => ({ ...s, count: fullCount(p, s.path) }))
            .filter((s) => s.count > 0)
            .map((s) => ({
                ...s,
                summary: `${s.title} (${s.count.toLocaleString()})`,
                dataId: `preview-${s.key}`
            }));
    }
    /** A large org's preview lists the first changes of each kind only: the rest are counted, not listed. */
    get notListedText() {
        const n = notListed(this.preview);
        if (!n) return '';
        return `The table lists the first changes of each kind; ${n.toLocaleString()} more ${n === 1 ? 'is' : 'are'} counted above but not listed.`;
    }
    /** Every change, a page at a time: a 10k-user org can move thousands of users at once. */
    get changeRows() {
        return this.sections.flatMap((s) =>
            s.items.map((text, i) => ({
                key: `${s.key}-${i}`,
                label: text,
                cells: { change: s.title, detail: text }
            }))
        );
    }
    get nothingChanges() {
        return !!this.preview && this.sections.length === 0;
    }
    get somethingChanges() {
        return !!this.preview && this.sections.length > 0;
    }

    /** The source travels only with a switch to Automatic Mode; Manual Mode has no hierarchy source. */
    get modeRequest() {
        return this.toAutomatic
            ? { mode: this.targetMode, hierarchySource: this.chosenSource }
            : { mode: this.targetMode };
    }

    async handleSourceChange(event) {
        this.chosenSource = event.detail.value;
        await this.loadPreview();
    }

    /** Previews the switch as a job (it reads every Salesforce user); `running` is one already started. */
    async loadPreview(running) {
        // A later request (the admin changed the source meanwhile) wins over an earlier answer.
        const request = ++this.previewRequest;
        this.preview = undefined;
        this.previewError = undefined;
        this.notice = undefined;
        this.previewJob = undefined;
        this.loadingPreview = true;
        try {
            const preview = await runJob(running || previewMode(this.modeRequest), (job) => {
                if (request === this.previewRequest) this.previewJob = job;
            });
            if (request === this.previewRequest) this.preview = preview;
        } catch (error) {
            if (request === this.previewRequest) this.previewError = error;
        } finally {
            if (request === this.previewRequest) this.loadingPreview = false;
        }
    }

    closeSwitch() {
        this.close(undefined);
    }

    /** Sends the preview's token: the service switches only if its plan is still the one shown. */
    async confirmSwitch() {
        const request = this.modeRequest;
        const started = setMode({
            ...request,
            previewToken: this.preview && this.preview.previewToken
        });
        started.then(
            () => this.switchStarted && this.switchStarted(),
            () => undefined
        );
        await this.followSwitch(started, request.mode);
    }

    /** Follows the switch job to its end: enabling reads and applies the whole Salesforce hierarchy. */
    async followSwitch(started, targetMode) {
        this.saving = true;
        this.disableClose = true;
        this.previewError = undefined;
        this.notice = undefined;
        this.switchJob = undefined;
        try {
            const result = await runJob(started, (job) => {
                this.switchJob = job;
            });
            this.disableClose = false;
            this.close({
                mode: result && result.mode ? result.mode : targetMode,
                hierarchySource: result && result.hierarchySource
            });
        } catch (error) {
            const fresh = freshPreview(error);
            if (fresh) {
                // Nothing was switched: the new preview is shown with what changed, for the admin to confirm again.
                this.preview = fresh;
                this.notice = error.body.message;
            } else {
                this.previewError = error;
            }
            this.disableClose = false;
            this.saving = false;
            this.switchJob = undefined;
        }
    }
}
