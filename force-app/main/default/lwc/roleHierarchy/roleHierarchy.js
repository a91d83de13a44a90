import { LightningElement } from 'lwc';
import {
    getRoleHierarchyScreen,
    setRoleImport,
    previewRoleImport,
    importRoles
} from 'c/rosterService';
import { SKIP_REASONS } from 'c/rosterVocabulary';
import { runJob, followJob, freshPreview, fullCount, notListed } from 'c/jobProgress';

const STEPS = { 'roles.import.preview': 'previewing', 'roles.import': 'importing' };

/** Roles in tree order with their depth, so the list reads like the Salesforce role hierarchy. */
function inTreeOrder(roles) {
    const children = new Map();
    const known = new Set(roles.map((r) => r.sfRoleId));
    for (const role of roles) {
        const parent =
            role.parentSfRoleId && known.has(role.parentSfRoleId) ? role.parentSfRoleId : null;
        if (!children.has(parent)) children.set(parent, []);
        children.get(parent).push(role);
    }
    const ordered = [];
    const visit = (parent, depth) =>
        (children.get(parent) || []).forEach((role) => {
            ordered.push({ ...role, depth });
            visit(role.sfRoleId, depth + 1);
        });
    visit(null, 0);
    return ordered;
}

/** Salesforce Role Hierarchy: a toggle per role, the import preview (created and skipped, with reasons), and the import. */
export default class RoleHierarchy extends LightningElement {
    roles = [];
    loaded = false;
    error;
    actionError;
    preview;
    notice; // what changed since the preview, when the import refused an outdated one
    result;
    step; // 'previewing' | 'importing'
    job; // the preview or import job being followed
    refreshedAt;
    refreshing = false;
    refreshJob; // the background refresh of the roles from Salesforce, while it runs
    followedRefresh;

    connectedCallback() {
        this.load().then((running) => this.resume(running));
    }

    /** The role tree and the jobs still running, in one callout; resolves with those jobs. */
    async load() {
        try {
            const screen = await getRoleHierarchyScreen();
            const tree = screen.roles;
            this.roles = tree.roles;
            this.refreshedAt = tree.refreshedAt;
            this.refreshing = !!tree.refreshJobId;
            this.loaded = true;
            this.error = undefined;
            this.followRefresh(tree.refreshJobId);
            return screen.runningJobs.items;
        } catch (error) {
            this.error = error;
            return [];
        }
    }

    /** A preview or import still running after a page reload shows its progress bar and then its answer. */
    async resume(running) {
        const job = running.find((j) => STEPS[j.kind]);
        if (!job || this.step) return;
        if (job.kind === 'roles.import') await this.followImport(job);
        else await this.followPreview(job);
    }

    /** The tree comes from the service's copy; when that is stale the service reads Salesforce in the background. */
    async followRefresh(jobId) {
        if (!jobId || jobId === this.followedRefresh) return;
        this.followedRefresh = jobId;
        try {
            await followJob(jobId, (job) => {
                this.refreshJob = job;
            });
            this.refreshJob = undefined;
            await this.load();
        } catch (error) {
            this.refreshJob = undefined;
            this.error = error;
        }
    }

    get refreshedText() {
        if (this.refreshJob) return '';
        return this.refreshedAt
            ? `Roles as read from Salesforce at ${new Date(this.refreshedAt).toLocaleString()}.`
            : '';
    }

    get rows() {
        return inTreeOrder(this.roles).map((role) => ({
            ...role,
            style: `padding-left: ${role.depth * 1.5}rem`,
            toggleLabel: `Import ${role.name}`,
            usersText: `${role.activeUserCount} active ${role.activeUserCount === 1 ? 'user' : 'users'}`,
            dataId: `role-${role.sfRoleId}`
        }));
    }
    get isEmpty() {
        return (
            !this.error &&
            this.loaded &&
            !this.refreshing &&
            !this.refreshJob &&
            this.roles.length === 0
        );
    }
    get enabledCount() {
        return this.roles.filter((r) => r.importEnabled).length;
    }
    get busy() {
        return !!this.step || !!this.refreshJob;
    }
    get previewDisabled() {
        return this.busy || this.enabledCount === 0;
    }
    get importDisabled() {
        return this.busy || !this.preview;
    }
    get progressLabel() {
        return this.step === 'importing'
            ? 'Importing teams and users…'
            : 'Working out what would be imported…';
    }
    /** The summary first, then each list a page at a time: an org can skip thousands of Salesforce users. */
    get previewSections() {
        const p = this.preview || {};
        const reason = (code) => SKIP_REASONS[code] || code;
        return [
            {
                key: 'teams',
                title: 'Teams to create',
                columns: [
                    { key: 'name', label: 'Team' },
                    { key: 'under', label: 'Under' }
                ],
                rows: (p.teams || []).map((t, i) => ({
                    key: `team-${i}`,
                    label: t.name,
                    cells: {
                        name: `${t.name}${t.exists ? ' (already exists, kept)' : ''}`,
                        under: t.parentName
                    }
                }))
            },
            {
                key: 'users',
                title: 'Users to create',
                columns: [
                    { key: 'name', label: 'User' },
                    { key: 'email', label: 'Email' },
                    { key: 'team', label: 'Team' }
                ],
                rows: (p.users || []).map((u, i) => ({
                    key: `user-${i}`,
                    label: u.email,
                    cells: { name: u.name, email: u.email, team: u.teamName }
                }))
            },
            {
                key: 'skipped',
                title: 'Salesforce users skipped',
                columns: [
                    { key: 'name', label: 'Salesforce user' },
                    { key: 'email', label: 'Email' },
                    { key: 'reason', label: 'Why' }
                ],
                rows: (p.skipped || []).map((u, i) => ({
                    key: `skipped-${i}`,
                    label: u.name,
                    cells: { name: u.name, email: u.email || '', reason: reason(u.reason) }
                }))
            }
        ].map((s) => ({
            ...s,
            heading: `${s.title} (${fullCount(p, s.key).toLocaleString()})`,
            dataId: `preview-${s.key}`,
            hasRows: s.rows.length > 0
        }));
    }
    get previewSummary() {
        const p = this.preview || {};
        const n = (path, one, many) => {
            const count = fullCount(p, path);
            return `${count.toLocaleString()} ${count === 1 ? one : many}`;
        };
        return `${n('teams', 'team', 'teams')} and ${n('users', 'user', 'users')} to create; ${n('skipped', 'Salesforce user', 'Salesforce users')} skipped. Nothing is imported until you click Import.`;
    }
    /** A large org's preview lists the first of each list only: the rest are counted, not listed. */
    get notListedText() {
        const n = notListed(this.preview);
        if (!n) return '';
        return `Each list shows its first entries; ${n.toLocaleString()} more ${n === 1 ? 'is' : 'are'} counted but not listed.`;
    }
    get resultText() {
        const r = this.result;
        return r
            ? `Imported ${r.teamsCreated} teams and ${r.usersCreated} users with the Default - Intake Off profile; ${r.skipped} skipped.`
            : '';
    }

    async handleToggle(event) {
        const sfRoleId = event.target.dataset.roleId;
        const importEnabled = event.target.checked;
        this.actionError = undefined;
        this.preview = undefined;
        this.notice = undefined;
        this.roles = this.roles.map((r) => (r.sfRoleId === sfRoleId ? { ...r, importEnabled } : r));
        try {
            await setRoleImport({ sfRoleId, importEnabled });
        } catch (error) {
            this.actionError = error;
            await this.load();
        }
    }

    handlePreview() {
        return this.followPreview(previewRoleImport());
    }

    /** Sends the preview's token: the service imports only if its plan is still the one shown. */
    handleImport() {
        return this.followImport(importRoles({ previewToken: this.preview.previewToken }));
    }

    /** Both read every Salesforce role and user, so they run as service jobs that this screen follows. */
    async follow(step, started) {
        this.actionError = undefined;
        this.notice = undefined;
        this.step = step;
        this.job = undefined;
        try {
            return await runJob(started, (job) => {
                this.job = job;
            });
        } finally {
            this.step = undefined;
            this.job = undefined;
        }
    }

    async followPreview(started) {
        this.result = undefined;
        try {
            this.preview = await this.follow('previewing', started);
        } catch (error) {
            this.actionError = error;
        }
    }

    async followImport(started) {
        try {
            this.result = await this.follow('importing', started);
            this.preview = undefined;
            await this.load();
        } catch (error) {
            const fresh = freshPreview(error);
            if (fresh) {
                // Nothing was imported: the new preview is shown with what changed, for the admin to import again.
                this.preview = fresh;
                this.notice = error.body.message;
            } else {
                this.actionError = error;
            }
        }
    }
}
