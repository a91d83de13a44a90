import { LightningElement } from 'lwc';
import { listRoles, setRoleImport, previewRoleImport, importRoles } from 'c/rosterService';
import { SKIP_REASONS } from 'c/rosterVocabulary';

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
    result;
    step; // 'previewing' | 'importing'

    connectedCallback() {
        this.load();
    }

    async load() {
        try {
            this.roles = (await listRoles()).roles;
            this.loaded = true;
            this.error = undefined;
        } catch (error) {
            this.error = error;
        }
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
        return !this.error && this.loaded && this.roles.length === 0;
    }
    get enabledCount() {
        return this.roles.filter((r) => r.importEnabled).length;
    }
    get busy() {
        return !!this.step;
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
    get previewSections() {
        const p = this.preview || {};
        return [
            {
                key: 'teams',
                title: 'Teams to create',
                items: (p.teams || []).map(
                    (t) =>
                        `${t.name} under ${t.parentName}${t.exists ? ' (already exists, kept)' : ''}`
                )
            },
            {
                key: 'users',
                title: 'Users to create',
                items: (p.users || []).map((u) => `${u.name} (${u.email}) → ${u.teamName}`)
            },
            {
                key: 'skipped',
                title: 'Salesforce users skipped',
                items: (p.skipped || []).map(
                    (s) =>
                        `${s.name}${s.email ? ` (${s.email})` : ''}: ${SKIP_REASONS[s.reason] || s.reason}`
                )
            }
        ].map((s) => ({
            ...s,
            heading: `${s.title} (${s.items.length})`,
            dataId: `preview-${s.key}`,
            keyed: s.items.map((text, i) => ({ key: `${i}`, text }))
        }));
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
        this.roles = this.roles.map((r) => (r.sfRoleId === sfRoleId ? { ...r, importEnabled } : r));
        try {
            await setRoleImport({ sfRoleId, importEnabled });
        } catch (error) {
            this.actionError = error;
            await this.load();
        }
    }

    async handlePreview() {
        this.actionError = undefined;
        this.result = undefined;
        this.step = 'previewing';
        try {
            this.preview = await previewRoleImport();
        } catch (error) {
            this.actionError = error;
        } finally {
            this.step = undefined;
        }
    }

    async handleImport() {
        this.actionError = undefined;
        this.step = 'importing';
        try {
            this.result = await importRoles();
            this.preview = undefined;
            await this.load();
        } catch (error) {
            this.actionError = error;
        } finally {
            this.step = undefined;
        }
    }
}
