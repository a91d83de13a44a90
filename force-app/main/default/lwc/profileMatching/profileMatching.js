import { LightningElement, api } from 'lwc';
import {
    addEligibilityGroup,
    deleteEligibilityGroup,
    resetEligibility,
    getEligibilityPreview,
    addRankingGroup,
    deleteRankingGroup,
    reorderRankingGroups
} from 'c/rosterService';
import { OBJECT_TYPES } from 'c/rosterVocabulary';
import RosterConfirm from 'c/rosterConfirm';

const OPERATORS = {
    equals: 'equals',
    not_equals: 'not equals',
    in: 'is one of',
    contains: 'contains',
    greater_than: 'greater than',
    less_than: 'less than',
    is_empty: 'is empty'
};
const STATES = {
    all: () => 'All records eligible (no groups defined)',
    filtered: (n) => `Filtered: a record must match one of ${n} ${n === 1 ? 'group' : 'groups'}`,
    none: () => 'No records eligible (its last group was removed)'
};
const options = (labels) => Object.entries(labels).map(([value, label]) => ({ value, label }));
const conditionText = (c) => {
    if (c.kind === 'sort')
        return `${c.field} ${c.direction === 'asc' ? 'ascending' : 'descending'}`;
    if (c.operator === 'is_empty') return `${c.field} is empty`;
    const value = Array.isArray(c.value) ? c.value.join(', ') : c.value;
    return `${c.field} ${OPERATORS[c.operator] || c.operator} "${value}"`;
};
/** The value a condition's operator takes: none, a list (comma separated), or one value (numbers stay numbers). */
const conditionValue = (operator, text) => {
    if (operator === 'is_empty') return undefined;
    if (operator === 'in')
        return text
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean);
    return text.trim() !== '' && !Number.isNaN(Number(text)) && operator !== 'contains'
        ? Number(text)
        : text.trim();
};

/** The Matching tab: eligibility filter groups per object type with their state, ranking groups in order, and eligible counts. */
export default class ProfileMatching extends LightningElement {
    @api profile;
    objectTypeOptions = OBJECT_TYPES.map((t) => ({ value: t, label: t }));
    targetOptions = [...OBJECT_TYPES, 'All'].map((t) => ({ value: t, label: t }));
    operatorOptions = options(OPERATORS);
    kindOptions = [
        { value: 'sort', label: 'Sort-based (a field and direction)' },
        { value: 'select', label: 'Select-based (matching records first)' }
    ];
    directionOptions = [
        { value: 'asc', label: 'Ascending' },
        { value: 'desc', label: 'Descending' }
    ];
    error;
    preview;
    eligibilityDraft = {
        name: '',
        objectType: 'Opportunity',
        field: '',
        operator: 'equals',
        value: ''
    };
    rankingDraft = {
        name: '',
        target: 'Opportunity',
        kind: 'sort',
        field: '',
        direction: 'desc',
        operator: 'equals',
        value: ''
    };

    get isBuiltin() {
        return this.profile && this.profile.isBuiltin;
    }
    get eligibility() {
        return OBJECT_TYPES.map((type) => {
            const { state, groups } = this.profile.eligibility[type];
            return {
                type,
                stateText: STATES[state](groups.length),
                canReset: state !== 'all' && !this.isBuiltin,
                resetLabel: `Make every ${type} eligible again`,
                dataId: `eligibility-${type}`,
                resetId: `reset-${type}`,
                groups: groups.map((g) => ({
                    ...g,
                    text: `${g.name || 'Unnamed group'}: ${g.conditions.map(conditionText).join(' and ')}`,
                    deleteLabel: `Remove ${g.name || 'this group'}`,
                    deleteId: `delete-eligibility-${g.id}`
                }))
            };
        });
    }
    get rankingGroups() {
        const groups = [...this.profile.rankingGroups].sort((a, b) => a.position - b.position);
        return groups.map((g, i) => ({
            ...g,
            text: `${i + 1}. ${g.name || 'Unnamed group'} (${g.target}, ${g.kind}-based): ${g.conditions.map(conditionText).join(', ')}`,
            upLabel: `Move ${g.name} up`,
            downLabel: `Move ${g.name} down`,
            deleteLabel: `Remove ${g.name}`,
            upDisabled: i === 0 || this.isBuiltin,
            downDisabled: i === groups.length - 1 || this.isBuiltin,
            dataId: `ranking-${i + 1}`
        }));
    }
    get hasRankingGroups() {
        return this.profile.rankingGroups.length > 0;
    }
    get isSortDraft() {
        return this.rankingDraft.kind === 'sort';
    }
    get eligibilityValueDisabled() {
        return this.eligibilityDraft.operator === 'is_empty';
    }
    get rankingValueDisabled() {
        return this.rankingDraft.operator === 'is_empty';
    }
    get addEligibilityDisabled() {
        return this.isBuiltin || !this.eligibilityDraft.field.trim();
    }
    get addRankingDisabled() {
        return this.isBuiltin || !this.rankingDraft.field.trim();
    }
    get previewRows() {
        return this.preview
            ? this.preview.counts.map((c) => ({
                  ...c,
                  text: `${c.objectType}: ${c.eligible.toLocaleString('en-US')} eligible (${c.state})`
              }))
            : [];
    }

    handleEligibilityDraft(event) {
        this.eligibilityDraft = {
            ...this.eligibilityDraft,
            [event.target.dataset.field]: event.detail.value
        };
    }
    handleRankingDraft(event) {
        this.rankingDraft = {
            ...this.rankingDraft,
            [event.target.dataset.field]: event.detail.value
        };
    }

    addEligibility() {
        const d = this.eligibilityDraft;
        const condition = {
            field: d.field.trim(),
            operator: d.operator,
            value: conditionValue(d.operator, d.value)
        };
        if (condition.value === undefined) delete condition.value;
        return this.run(
            () =>
                addEligibilityGroup({
                    profileId: this.profile.id,
                    eligibilityGroup: {
                        objectType: d.objectType,
                        name: d.name.trim(),
                        conditions: [condition]
                    }
                }),
            `The ${d.objectType} group was added.`,
            () =>
                (this.eligibilityDraft = {
                    ...this.eligibilityDraft,
                    name: '',
                    field: '',
                    value: ''
                })
        );
    }
    /** Removing the last group of a type makes no record of that type eligible: say so, and ask first. */
    async removeEligibility(event) {
        const groupId = event.currentTarget.dataset.groupId;
        const type = OBJECT_TYPES.find((t) =>
            this.profile.eligibility[t].groups.some((g) => g.id === groupId)
        );
        const groups = this.profile.eligibility[type].groups;
        const group = groups.find((g) => g.id === groupId);
        const last = groups.length === 1;
        const removed = await RosterConfirm.open({
            size: 'small',
            label: `Remove ${group.name || 'this group'}?`,
            message: last
                ? `It is the last ${type} group of ${this.profile.name}: once it is gone, no ${type} is eligible for matching for this profile's users. Use "Make every ${type} eligible" instead if that is what you want.`
                : `${type} records that only this group let in stop being eligible; the other ${groups.length - 1} ${type} ${groups.length - 1 === 1 ? 'group still applies' : 'groups still apply'}.`,
            details: ['Matches already made are not changed.'],
            confirmLabel: last ? `Remove, and make no ${type} eligible` : 'Remove group',
            action: () => deleteEligibilityGroup({ profileId: this.profile.id, groupId })
        });
        if (!removed) return;
        this.preview = undefined;
        this.dispatchEvent(
            new CustomEvent('changed', { detail: { message: 'The group was removed.' } })
        );
    }
    reset(event) {
        const objectType = event.currentTarget.dataset.type;
        return this.run(
            () => resetEligibility({ profileId: this.profile.id, objectType }),
            `Every ${objectType} is eligible again.`
        );
    }

    addRanking() {
        const d = this.rankingDraft;
        const condition =
            d.kind === 'sort'
                ? { kind: 'sort', field: d.field.trim(), direction: d.direction }
                : {
                      kind: 'select',
                      field: d.field.trim(),
                      operator: d.operator,
                      value: conditionValue(d.operator, d.value)
                  };
        if (condition.value === undefined) delete condition.value;
        return this.run(
            () =>
                addRankingGroup({
                    profileId: this.profile.id,
                    rankingGroup: { name: d.name.trim(), target: d.target, conditions: [condition] }
                }),
            'The ranking group was added.',
            () => (this.rankingDraft = { ...this.rankingDraft, name: '', field: '', value: '' })
        );
    }
    removeRanking(event) {
        return this.run(
            () =>
                deleteRankingGroup({
                    profileId: this.profile.id,
                    groupId: event.currentTarget.dataset.groupId
                }),
            'The ranking group was removed.'
        );
    }
    moveRanking(event) {
        const ids = this.rankingGroups.map((g) => g.id);
        const from = ids.indexOf(event.currentTarget.dataset.groupId);
        const to = from + Number(event.currentTarget.dataset.step);
        ids.splice(to, 0, ids.splice(from, 1)[0]);
        return this.run(
            () => reorderRankingGroups({ profileId: this.profile.id, groupIds: ids }),
            'The ranking order was saved.'
        );
    }

    async loadPreview() {
        this.error = undefined;
        try {
            this.preview = await getEligibilityPreview({ profileId: this.profile.id });
        } catch (error) {
            this.error = error;
        }
    }

    async run(action, message, after) {
        this.error = undefined;
        try {
            await action();
            if (after) after();
            this.preview = undefined;
            this.dispatchEvent(new CustomEvent('changed', { detail: { message } }));
        } catch (error) {
            this.error = error;
        }
    }
}
