import { LightningElement, api } from 'lwc';
import { simulateRules } from 'c/rosterService';
import { LICENSE_LABELS, label } from 'c/rosterVocabulary';
import { PERMISSION_LABELS, RULE_VISIBILITY_LABELS } from 'c/ruleVocabulary';

const ALL_USERS = 'all';
const ONE_USER = 'one';
const RESULT_COLUMNS = [
    { key: 'who', label: 'User' },
    { key: 'rule', label: 'Rule' },
    { key: 'why', label: 'Why' },
    { key: 'assigns', label: 'Assigns' }
];

/** "Which rule would this user get, and why": runs the service's simulator over the rules as drafted on screen. */
export default class RuleSimulator extends LightningElement {
    @api profiles = [];
    /** The rule ids in the order on screen (unsaved reordering included); the catch-all is implied last. */
    @api ruleIds = [];
    who = ONE_USER;
    subject = '';
    simulation;
    error;
    running = false;
    resultColumns = RESULT_COLUMNS;

    whoOptions = [
        { label: 'One user', value: ONE_USER },
        { label: 'All users', value: ALL_USERS }
    ];
    get isOneUser() {
        return this.who === ONE_USER;
    }
    get runDisabled() {
        return (this.isOneUser && !this.subject) || this.running;
    }
    get results() {
        if (!this.simulation) return [];
        const profiles = new Map(this.profiles.map((p) => [p.id, p.name]));
        return this.simulation.results.map((r, i) => ({
            key: `${r.subject.email}-${i}`,
            who: `${r.subject.name} (${r.subject.email})`,
            ruleName: r.rule.isCatchAll ? 'Catch-all (no other rule matched)' : r.rule.name,
            why: r.decidingClause ? `because ${r.decidingClause.text}` : 'no rule above matched',
            assigns: [
                profiles.get(r.assignments.profileId) || 'Unknown profile',
                label(PERMISSION_LABELS, r.assignments.role),
                label(RULE_VISIBILITY_LABELS, r.assignments.visibility),
                r.assignments.licenses.map((l) => label(LICENSE_LABELS, l)).join(', ')
            ].join(' · ')
        }));
    }
    /** All users: the summary by rule first, then every user a page at a time (an org can have 100k). */
    get isManyResults() {
        return !!this.simulation && this.simulation.results.length > 1;
    }
    get oneResult() {
        return this.isManyResults ? [] : this.results;
    }
    get resultRows() {
        return this.results.map((r) => ({
            key: r.key,
            label: r.who,
            cells: { who: r.who, rule: r.ruleName, why: r.why, assigns: r.assigns }
        }));
    }
    get summary() {
        return this.simulation && this.simulation.results.length > 1
            ? this.simulation.summary.map((s) => ({
                  key: s.ruleId,
                  text: `${s.ruleName}: ${s.users} users`
              }))
            : [];
    }

    handleWho(event) {
        this.who = event.detail.value;
    }

    handleSubject(event) {
        this.subject = event.detail.value || '';
    }

    async run() {
        this.running = true;
        this.error = undefined;
        const who = this.isOneUser ? { userId: this.subject } : { all: true };
        try {
            this.simulation = await simulateRules({
                request: { ...who, rules: this.ruleIds.map((id) => ({ id })) }
            });
        } catch (error) {
            this.error = error;
        } finally {
            this.running = false;
        }
    }
}
