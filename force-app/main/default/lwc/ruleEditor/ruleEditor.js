import { api } from 'lwc';
import RosterModal from 'c/rosterModal';
import { createRule, updateRule } from 'c/rosterService';
import { licenseOptions } from 'c/rosterVocabulary';
import {
    FILTER_FIELDS,
    PERMISSION_LABELS,
    RULE_VISIBILITY_LABELS,
    fieldOptions,
    operatorOptions,
    firstOperator
} from 'c/ruleVocabulary';

const options = (labels) => Object.entries(labels).map(([value, label]) => ({ value, label }));
const userName = (u) => [u.firstName, u.lastName].filter(Boolean).join(' ') || u.email;
let nextKey = 0;
const keyed = (filter) => ({ ...filter, key: `filter-${(nextKey += 1)}` });

/**
 * Add or edit one rule (lightning/modal): name, description, filters (all must match), assignments; the catch-all
 * has assignments only. Saves itself, busy until the service answers, and closes with { saved } or { delete: ruleId }
 * (the page then asks to confirm, one dialog at a time).
 */
export default class RuleEditor extends RosterModal {
    @api teams = [];
    @api users = [];
    @api profiles = [];
    fieldOptions = fieldOptions;
    permissionOptions = options(PERMISSION_LABELS);
    visibilityOptions = options(RULE_VISIBILITY_LABELS);
    licenseOptions = licenseOptions;
    original;
    picked = {}; // labels of values picked in this session, by id
    draft = {
        name: '',
        description: '',
        filters: [],
        assignments: { profileId: '', role: 'member', visibility: 'full', licenses: ['foundation'] }
    };

    @api
    get rule() {
        return this.original;
    }
    set rule(value) {
        this.original = value;
        if (value) {
            this.draft = {
                name: value.name,
                description: value.description,
                filters: value.filters.map(keyed),
                assignments: { ...value.assignments, licenses: [...value.assignments.licenses] }
            };
        } else {
            this.draft = {
                ...this.draft,
                filters: [keyed({ field: 'job_title', operator: 'contains', value: '' })]
            };
        }
    }

    get isCatchAll() {
        return !!this.original && this.original.isCatchAll;
    }
    get isExisting() {
        return !!this.original;
    }
    get canDelete() {
        return this.isExisting && !this.isCatchAll;
    }
    get heading() {
        if (this.isCatchAll) return 'Edit the catch-all rule';
        return this.isExisting ? `Edit ${this.original.name}` : 'Add Rule';
    }
    /** What the rule assigns that is one choice each: profile, permission and visibility (licenses are several). */
    get assignmentChoices() {
        const { assignments } = this.draft;
        const choice = (field, label, choices, id, required = false) => ({
            field,
            label,
            options: choices,
            id,
            required,
            value: assignments[field]
        });
        return [
            choice(
                'profileId',
                'Configuration Profile',
                this.profiles.map((p) => ({ label: p.name, value: p.id })),
                'assign-profile',
                true
            ),
            choice('role', 'Permission', this.permissionOptions, 'assign-role'),
            choice('visibility', 'Object Visibility', this.visibilityOptions, 'assign-visibility')
        ];
    }
    get hasFilters() {
        return this.draft.filters.length > 0;
    }
    get hierarchyTeams() {
        return this.teams.filter((t) => t.kind !== 'unassigned');
    }
    /** The label a picked value shows: the team's name, or the user's (picked now, or named by the rule). */
    valueLabel(kind, value) {
        if (!value) return '';
        if (this.picked[value]) return this.picked[value];
        if (kind === 'team') return (this.teams.find((t) => t.id === value) || {}).name || value;
        const user = this.users.find((u) => u.id === value);
        return user ? userName(user) : value;
    }
    get filterRows() {
        return this.draft.filters.map((filter, index) => {
            const kind = FILTER_FIELDS[filter.field].valueKind;
            const contains =
                filter.operator === 'contains' || filter.operator === 'does_not_contain';
            return {
                ...filter,
                index,
                operatorOptions: operatorOptions(filter.field),
                isText: kind === 'text',
                lookupKind: kind === 'team' ? 'team' : 'user',
                valueLabel: this.valueLabel(kind, filter.value),
                commaWarning: kind === 'text' && contains && String(filter.value).includes(','),
                warningId: `filter-warning-${index}`,
                fieldId: `filter-field-${index}`,
                operatorId: `filter-operator-${index}`,
                valueId: `filter-value-${index}`,
                removeId: `filter-remove-${index}`,
                // Named by their filter row, so a screen reader tells the rows apart (the columns' names show once).
                fieldInputLabel: `Filter ${index + 1} field`,
                operatorInputLabel: `Filter ${index + 1} operator`,
                valueInputLabel: `Filter ${index + 1} value`,
                removeLabel: `Remove filter ${index + 1}`
            };
        });
    }

    handleText(event) {
        this.draft = { ...this.draft, [event.target.dataset.field]: event.detail.value };
    }
    handleAssignment(event) {
        this.draft = {
            ...this.draft,
            assignments: {
                ...this.draft.assignments,
                [event.target.dataset.field]: event.detail.value
            }
        };
    }
    updateFilter(index, changes) {
        this.draft = {
            ...this.draft,
            filters: this.draft.filters.map((f, i) => (i === index ? { ...f, ...changes } : f))
        };
    }
    handleFilterField(event) {
        const field = event.detail.value;
        this.updateFilter(Number(event.target.dataset.index), {
            field,
            operator: firstOperator(field),
            value: ''
        });
    }
    handleFilterOperator(event) {
        this.updateFilter(Number(event.target.dataset.index), { operator: event.detail.value });
    }
    handleFilterValue(event) {
        const { value, label } = event.detail;
        if (value && label) this.picked = { ...this.picked, [value]: label };
        this.updateFilter(Number(event.target.dataset.index), { value: value || '' });
    }
    addFilter() {
        this.draft = {
            ...this.draft,
            filters: [
                ...this.draft.filters,
                keyed({ field: 'job_title', operator: 'contains', value: '' })
            ]
        };
    }
    removeFilter(event) {
        const index = Number(event.currentTarget.dataset.index);
        this.draft = { ...this.draft, filters: this.draft.filters.filter((f, i) => i !== index) };
    }
    clearFilters() {
        this.draft = { ...this.draft, filters: [] };
    }

    get saveLabel() {
        return this.busy ? 'Saving…' : 'Save Rule';
    }

    handleSave() {
        if (this.busy) return undefined;
        const filters = this.draft.filters.map(({ field, operator, value }) => ({
            field,
            operator,
            value: typeof value === 'string' ? value.trim() : value
        }));
        const fields = this.isCatchAll
            ? { assignments: this.draft.assignments }
            : {
                  name: this.draft.name.trim(),
                  description: this.draft.description.trim(),
                  filters,
                  assignments: this.draft.assignments
              };
        return this.send(async () => {
            const saved = this.isExisting
                ? await updateRule({ ruleId: this.original.id, changes: fields })
                : await createRule({ rule: fields });
            return { saved: saved || fields, created: !this.isExisting, name: fields.name };
        });
    }
    handleDelete() {
        this.close({ delete: this.original.id });
    }
    handleClose() {
        this.close(undefined);
    }
}
