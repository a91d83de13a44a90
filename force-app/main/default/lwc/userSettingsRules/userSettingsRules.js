import { LightningElement } from 'lwc';
import { getUserSettingsRulesScreen, deleteRule, reorderRules } from 'c/rosterService';
import { shareRunningJobs } from 'c/jobProgress';
import { flattenTeams } from 'c/teamTreeUtils';
import { oneDialogAtATime } from 'c/rosterModal';
import RosterConfirm from 'c/rosterConfirm';
import RuleEditor from 'c/ruleEditor';
import { FILTER_FIELDS, PERMISSION_LABELS, RULE_VISIBILITY_LABELS } from 'c/ruleVocabulary';

/**
 * User Settings Rules: the ordered rules (drag and drop, or Move up / Move down from the keyboard), the
 * catch-all pinned last, the rule editor and the simulator. A new order is saved only with Save Rules.
 */
export default class UserSettingsRules extends LightningElement {
    rules = [];
    order = []; // ids of the ordinary rules as shown
    catchAll;
    rulesLoaded = false;
    teams = [];
    profiles = [];
    users = [];
    error;
    actionError;
    notice;
    draggedId;

    connectedCallback() {
        const opened = this.load();
        // Re-apply resumes a job still running after a reload: it reads the running jobs from this answer.
        shareRunningJobs(opened.then((screen) => (screen ? screen.runningJobs : { items: [] })));
    }

    /**
     * Rules, teams, profiles and the users the Team Manager filters name (only those: an org can have 100k
     * users), in one callout; again after every change.
     */
    async load() {
        try {
            const screen = await getUserSettingsRulesScreen();
            const { rules } = screen.rules;
            this.rules = rules.filter((r) => !r.isCatchAll);
            this.catchAll = rules.find((r) => r.isCatchAll);
            this.order = [...this.rules].sort((a, b) => a.position - b.position).map((r) => r.id);
            this.teams = flattenTeams(screen.teams);
            this.profiles = screen.profiles.profiles;
            this.users = screen.ruleUsers;
            this.rulesLoaded = true;
            this.error = undefined;
            return screen;
        } catch (error) {
            this.error = error;
            return undefined;
        }
    }

    describeFilter(filter) {
        const field = FILTER_FIELDS[filter.field];
        if (!field) return `${filter.field} ${filter.operator} ${filter.value}`;
        let value = filter.value;
        if (field.valueKind === 'team')
            value = (this.teams.find((t) => t.id === value) || {}).name || 'a deleted team';
        if (field.valueKind === 'user') {
            const user = this.users.find((u) => u.id === value);
            value = user
                ? [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email
                : 'an unknown user';
        }
        return `${field.label} ${field.operators[filter.operator] || filter.operator} "${value}"`;
    }

    describeAssignments(a) {
        const profile =
            (this.profiles.find((p) => p.id === a.profileId) || {}).name || 'a deleted profile';
        return `${profile} · ${PERMISSION_LABELS[a.role] || a.role} · ${RULE_VISIBILITY_LABELS[a.visibility] || a.visibility}`;
    }

    get orderedRules() {
        const byId = new Map(this.rules.map((r) => [r.id, r]));
        const last = this.order.length - 1;
        return this.order.map((id, index) => {
            const rule = byId.get(id);
            return {
                ...rule,
                number: index + 1,
                filtersText: rule.filters.map((f) => this.describeFilter(f)).join(' and '),
                assignmentsText: this.describeAssignments(rule.assignments),
                problemsText: rule.problems.map((p) => p.message).join(' '),
                itemClass: `slds-box slds-box_x-small slds-m-bottom_x-small rule${rule.valid ? '' : ' rule-invalid'}${this.draggedId === id ? ' dragging' : ''}`,
                upDisabled: index === 0,
                downDisabled: index === last,
                upLabel: `Move ${rule.name} up`,
                downLabel: `Move ${rule.name} down`,
                editLabel: `Edit ${rule.name}`,
                dataId: `rule-${index + 1}`
            };
        });
    }
    get catchAllRow() {
        return this.catchAll
            ? {
                  ...this.catchAll,
                  assignmentsText: this.describeAssignments(this.catchAll.assignments)
              }
            : null;
    }
    get orderChanged() {
        const saved = [...this.rules].sort((a, b) => a.position - b.position).map((r) => r.id);
        return saved.join() !== this.order.join();
    }
    get saveOrderDisabled() {
        return !this.orderChanged;
    }
    get isEmpty() {
        return !this.error && this.rulesLoaded && this.order.length === 0;
    }

    move(from, to) {
        if (to < 0 || to >= this.order.length || from === to) return;
        const order = [...this.order];
        const [id] = order.splice(from, 1);
        order.splice(to, 0, id);
        this.order = order;
        this.notice = 'Rules reordered. Save Rules to keep this order.';
    }
    handleMoveUp(event) {
        const index = this.order.indexOf(event.currentTarget.dataset.ruleId);
        this.move(index, index - 1);
    }
    handleMoveDown(event) {
        const index = this.order.indexOf(event.currentTarget.dataset.ruleId);
        this.move(index, index + 1);
    }
    handleDragStart(event) {
        this.draggedId = event.currentTarget.dataset.ruleId;
        if (event.dataTransfer) {
            event.dataTransfer.effectAllowed = 'move';
            event.dataTransfer.setData('text/plain', this.draggedId);
        }
    }
    handleDragOver(event) {
        event.preventDefault();
    }
    handleDrop(event) {
        event.preventDefault();
        const target = event.currentTarget.dataset.ruleId;
        this.move(this.order.indexOf(this.draggedId), this.order.indexOf(target));
        this.draggedId = undefined;
    }
    handleDragEnd() {
        this.draggedId = undefined;
    }

    async saveOrder() {
        const ok = await this.run(
            () => reorderRules({ ruleIds: this.order }),
            'The new order was saved.'
        );
        return ok;
    }

    openNew() {
        return this.openEditor(null);
    }
    handleEdit(event) {
        const id = event.currentTarget.dataset.ruleId;
        return this.openEditor(
            id === this.catchAll.id ? this.catchAll : this.rules.find((r) => r.id === id)
        );
    }

    /** The rule editor and what follows it: one dialog at a time. */
    openEditor(rule) {
        return oneDialogAtATime(this, () => this.editRule(rule));
    }

    /** The rule editor, then (if the admin chose Delete Rule) the confirmation, and the editor again if cancelled. */
    async editRule(rule) {
        const outcome = await RuleEditor.open({
            size: 'medium',
            // The dialog's name, as its header says it.
            label: !rule
                ? 'Add Rule'
                : rule.isCatchAll
                  ? 'Edit the catch-all rule'
                  : `Edit ${rule.name}`,
            rule,
            teams: this.teams,
            users: this.users,
            profiles: this.profiles
        });
        if (!outcome) return;
        if (outcome.delete) {
            if (!(await this.confirmDelete(rule))) await this.editRule(rule);
            return;
        }
        this.notice = outcome.created
            ? `${outcome.name} was added above the catch-all.`
            : 'The rule was saved.';
        await this.load();
    }

    async confirmDelete(rule) {
        const name = rule.name;
        const deleted = await RosterConfirm.open({
            size: 'small',
            label: `Delete ${name}?`,
            message: `${name} stops configuring new users at once; users it already configured keep their settings. The rules below it move up one place.`,
            confirmLabel: 'Delete rule',
            action: () => deleteRule({ ruleId: rule.id })
        });
        if (!deleted) return false;
        this.notice = `${name} was deleted.`;
        await this.load();
        return true;
    }

    handleReapplied(event) {
        const { applied } = event.detail;
        this.notice = `The rules were re-applied: ${applied} existing users updated.`;
    }

    async run(action, message) {
        this.actionError = undefined;
        try {
            await action();
            this.notice = message;
            await this.load();
            return true;
        } catch (error) {
            this.actionError = error;
            return false;
        }
    }
}
