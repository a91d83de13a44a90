import { LightningElement, api } from 'lwc';
import {
    addEligibilityGroup,
    updateEligibilityGroup,
    deleteEligibilityGroup,
    resetEligibility,
    getEligibilityPreview,
    addRankingGroup,
    updateRankingGroup,
    deleteRankingGroup,
    reorderRankingGroups
} from 'c/rosterService';
import { OBJECT_TYPES } from 'c/rosterVocabulary';
import { loadObjectFields, mergeFields, namedConditions } from 'c/profileFields';
import { conditionMarks, editorFor, eligibilityView, groupTitle, rankingView } from './groupViews';
import { reduceErrors } from 'c/reduceErrors';
import RosterConfirm from 'c/rosterConfirm';

const KINDS = [
    { value: 'sort', label: 'Sort-based (fields and directions)' },
    { value: 'select', label: 'Select-based (matching records first)' }
];
const messageOf = (error) => reduceErrors(error).join(' ');

/**
 * The Matching tab: eligibility filter groups per object type and ranking groups in priority order, each holding
 * several conditions on the org's fields (added and edited in place), the eligible counts, and the matching preview.
 * A refusal that names a condition is shown on that condition.
 */
export default class ProfileMatching extends LightningElement {
    objectTypeOptions = OBJECT_TYPES.map((t) => ({ value: t, label: t }));
    targetOptions = [...OBJECT_TYPES, 'All'].map((t) => ({ value: t, label: t }));
    kindOptions = KINDS;
    fieldsByType = {};
    fieldsError;
    error;
    errorMessage = '';
    preview;
    previewError;
    /** Refusals from a preview, by group id: [{ index, message }]. */
    conditionErrors = {};
    eligibilityEditor;
    rankingEditor;
    saving = false;
    _profile;

    @api
    get profile() {
        return this._profile;
    }
    set profile(value) {
        const opened = value && (!this._profile || this._profile.id !== value.id);
        this._profile = value;
        if (opened) this.loadFields();
    }

    async loadFields() {
        try {
            this.fieldsByType = await loadObjectFields(OBJECT_TYPES);
            this.fieldsError = undefined;
        } catch (error) {
            this.fieldsError = error;
        }
    }
    fieldsFor(type) {
        if (type === 'All') return mergeFields(OBJECT_TYPES.map((t) => this.fieldsByType[t] || []));
        return this.fieldsByType[type] || [];
    }

    get isBuiltin() {
        return this._profile && this._profile.isBuiltin;
    }
    get editingDisabled() {
        return this.isBuiltin || !!this.fieldsError;
    }
    get eligibility() {
        return eligibilityView(this._profile, {
            fieldsFor: (t) => this.fieldsFor(t),
            errors: this.conditionErrors
        });
    }
    get rankingGroups() {
        return rankingView(this._profile, {
            fieldsFor: (t) => this.fieldsFor(t),
            errors: this.conditionErrors
        });
    }
    get hasRankingGroups() {
        return this._profile.rankingGroups.length > 0;
    }
    get previewRows() {
        return this.preview
            ? this.preview.counts.map((c) => ({
                  ...c,
                  text: `${c.objectType}: ${c.eligible.toLocaleString('en-US')} eligible (${c.state})`
              }))
            : [];
    }

    // Eligibility groups: one editor for adding and editing.
    get eligibilityHeading() {
        const e = this.eligibilityEditor;
        return e.groupId ? `Edit ${e.objectType} group "${e.title}"` : 'Add Group';
    }
    get eligibilityFields() {
        return this.fieldsFor(this.eligibilityEditor.objectType);
    }
    get eligibilitySaveDisabled() {
        return this.saving || !this.eligibilityEditor.complete;
    }
    get isEditingEligibility() {
        return !!(this.eligibilityEditor && this.eligibilityEditor.groupId);
    }
    openEligibility(event) {
        const groupId = event.currentTarget.dataset.groupId;
        const type = groupId && OBJECT_TYPES.find((t) => this.groupOf(t, groupId));
        const group = type && this.groupOf(type, groupId);
        this.eligibilityEditor = editorFor(group, this.conditionErrors, {
            objectType: type || 'Opportunity'
        });
    }
    groupOf(type, groupId) {
        return this._profile.eligibility[type].groups.find((g) => g.id === groupId);
    }
    handleEligibilityField(event) {
        // Another object has other fields: its conditions start over.
        this.editField('eligibilityEditor', event, 'objectType');
    }
    async saveEligibility() {
        const e = this.eligibilityEditor;
        const profileId = this._profile.id;
        const call = e.groupId
            ? () =>
                  updateEligibilityGroup({
                      profileId,
                      groupId: e.groupId,
                      changes: { name: e.name.trim(), conditions: e.conditions }
                  })
            : () =>
                  addEligibilityGroup({
                      profileId,
                      eligibilityGroup: {
                          objectType: e.objectType,
                          name: e.name.trim(),
                          conditions: e.conditions
                      }
                  });
        const saved = await this.save(call, 'eligibilityEditor');
        if (!saved) return;
        if (e.groupId) this.conditionErrors = { ...this.conditionErrors, [e.groupId]: [] };
        this.eligibilityEditor = undefined;
        this.changed(
            e.groupId ? `${groupTitle(e)} was saved.` : `The ${e.objectType} group was added.`
        );
    }

    /** Removing the last group of a type makes no record of that type eligible: say so, and ask first. */
    async removeEligibility(event) {
        const groupId = event.currentTarget.dataset.groupId;
        const type = OBJECT_TYPES.find((t) => this.groupOf(t, groupId));
        const groups = this._profile.eligibility[type].groups;
        const group = this.groupOf(type, groupId);
        const last = groups.length === 1;
        const removed = await RosterConfirm.open({
            size: 'small',
            label: `Remove ${group.name || 'this group'}?`,
            message: last
                ? `It is the last ${type} group of ${this._profile.name}: once it is gone, no ${type} is eligible for matching for this profile's users. Use "Make every ${type} eligible" instead if that is what you want.`
                : `${type} records that only this group let in stop being eligible; the other ${groups.length - 1} ${type} ${groups.length - 1 === 1 ? 'group still applies' : 'groups still apply'}.`,
            details: ['Matches already made are not changed.'],
            confirmLabel: last ? `Remove, and make no ${type} eligible` : 'Remove group',
            action: () => deleteEligibilityGroup({ profileId: this._profile.id, groupId })
        });
        if (!removed) return;
        this.changed('The group was removed.');
    }
    reset(event) {
        const objectType = event.currentTarget.dataset.type;
        return this.run(
            () => resetEligibility({ profileId: this._profile.id, objectType }),
            `Every ${objectType} is eligible again.`,
            `${objectType} eligibility was not reset.`
        );
    }

    // Ranking groups: the same editor shape, with a record type and one kind for all its conditions.
    get rankingHeading() {
        const r = this.rankingEditor;
        return r.groupId ? `Edit ranking group "${r.title}"` : 'Add Ranking Group';
    }
    get rankingFields() {
        return this.fieldsFor(this.rankingEditor.target);
    }
    get rankingSaveDisabled() {
        return this.saving || !this.rankingEditor.complete;
    }
    openRanking(event) {
        const groupId = event.currentTarget.dataset.groupId;
        const group = groupId && this._profile.rankingGroups.find((g) => g.id === groupId);
        this.rankingEditor = editorFor(group, this.conditionErrors, {
            target: group ? group.target : 'Opportunity',
            kind: group ? group.kind : 'sort'
        });
    }
    handleRankingField(event) {
        // Sort and select conditions never share a group: another kind starts the conditions over.
        this.editField('rankingEditor', event, 'kind');
    }

    // Both editors: a field, the conditions, closing. The element names its editor (data-editor).
    editField(editor, event, restartsConditions) {
        const field = event.target.dataset.field;
        const changes = { [field]: event.detail.value };
        if (field === restartsConditions)
            Object.assign(changes, { initial: [], conditions: [], complete: false });
        this[editor] = { ...this[editor], ...changes };
    }
    handleConditions(event) {
        const editor = event.target.dataset.editor;
        const { conditions, complete } = event.detail;
        this[editor] = { ...this[editor], conditions, complete, errors: [] };
    }
    closeEditor(event) {
        this[event.target.dataset.editor] = undefined;
    }
    async saveRanking() {
        const r = this.rankingEditor;
        const profileId = this._profile.id;
        const group = { name: r.name.trim(), target: r.target, conditions: r.conditions };
        const call = r.groupId
            ? () => updateRankingGroup({ profileId, groupId: r.groupId, changes: group })
            : () => addRankingGroup({ profileId, rankingGroup: group });
        const saved = await this.save(call, 'rankingEditor');
        if (!saved) return;
        this.rankingEditor = undefined;
        this.changed(r.groupId ? `${groupTitle(r)} was saved.` : 'The ranking group was added.');
    }
    removeRanking(event) {
        return this.run(
            () =>
                deleteRankingGroup({
                    profileId: this._profile.id,
                    groupId: event.currentTarget.dataset.groupId
                }),
            'The ranking group was removed.',
            'The ranking group was not removed.'
        );
    }
    moveRanking(event) {
        const ids = this.rankingGroups.map((g) => g.id);
        const from = ids.indexOf(event.currentTarget.dataset.groupId);
        const to = from + event.detail.step;
        ids.splice(to, 0, ids.splice(from, 1)[0]);
        return this.run(
            () => reorderRankingGroups({ profileId: this._profile.id, groupIds: ids }),
            'The ranking order was saved.',
            'The ranking order was not saved.'
        );
    }

    async loadPreview() {
        this.previewError = undefined;
        try {
            this.preview = await getEligibilityPreview({ profileId: this._profile.id });
        } catch (error) {
            this.preview = undefined;
            this.previewError = error;
            this.markConditions(error);
        }
    }
    handleMatchingPreviewError(event) {
        this.markConditions(event.detail.error);
    }
    /** A preview refused for a condition (its field left the org, Salesforce refuses its operator): shown on it. */
    markConditions(error) {
        this.conditionErrors = conditionMarks(this._profile, namedConditions(messageOf(error)));
    }

    /** Saves from an editor; a refusal stays in the editor, on the conditions it names. */
    async save(call, editor) {
        this.saving = true;
        try {
            await call();
            return true;
        } catch (error) {
            const errors = namedConditions(messageOf(error))
                .filter((n) => n.index !== undefined)
                .map((n) => ({ index: n.index, message: n.message }));
            this[editor] = { ...this[editor], error, errors };
            return false;
        } finally {
            this.saving = false;
        }
    }
    changed(message) {
        this.preview = undefined;
        this.dispatchEvent(new CustomEvent('changed', { detail: { message } }));
    }
    async run(action, message, failure) {
        this.error = undefined;
        try {
            await action();
            this.changed(message);
        } catch (error) {
            this.errorMessage = failure;
            this.error = error;
        }
    }
}
