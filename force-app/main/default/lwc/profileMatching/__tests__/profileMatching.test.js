import ProfileMatching from 'c/profileMatching';
import addEligibilityGroup from '@salesforce/apex/ProfilesController.addEligibilityGroup';
import updateEligibilityGroup from '@salesforce/apex/ProfilesController.updateEligibilityGroup';
import deleteEligibilityGroup from '@salesforce/apex/ProfilesController.deleteEligibilityGroup';
import resetEligibility from '@salesforce/apex/ProfilesController.resetEligibility';
import getEligibilityPreview from '@salesforce/apex/ProfilesController.getEligibilityPreview';
import getObjectFields from '@salesforce/apex/ProfilesController.getObjectFields';
import addRankingGroup from '@salesforce/apex/ProfilesController.addRankingGroup';
import updateRankingGroup from '@salesforce/apex/ProfilesController.updateRankingGroup';
import reorderRankingGroups from '@salesforce/apex/ProfilesController.reorderRankingGroups';
import {
    mount,
    cleanup,
    settle,
    text,
    words,
    click,
    change,
    byId,
    deepById,
    apexError,
    clone,
    errorText,
    openModal,
    field
} from 'roster-test';

const PROFILE = require('../../configurationProfiles/__tests__/data/getProfile.json');
const PREVIEW = require('../../configurationProfiles/__tests__/data/getEligibilityPreview.json');
const ACCOUNT_FIELDS = require('../../configurationProfiles/__tests__/data/getObjectFields.json');
const PARTNERS = PROFILE.eligibility.Account.groups[0];
const SOONEST = PROFILE.rankingGroups[0];
const SECOND_RANKING = {
    id: '00000000-0000-4000-8000-000000000062',
    name: 'Partners first',
    position: 1,
    target: 'Account',
    kind: 'select',
    conditions: [{ kind: 'select', field: 'Type', operator: 'equals', value: 'Partner' }]
};
const FIELDS = {
    Account: ACCOUNT_FIELDS.fields,
    Opportunity: [
        field('Amount', 'Amount', 'currency'),
        field('CloseDate', 'Close Date', 'date'),
        field('Name', 'Opportunity Name', 'string'),
        field('StageName', 'Stage', 'picklist', {
            picklistValues: [
                { value: 'Prospecting', label: 'Prospecting' },
                { value: 'Closed Won', label: 'Closed Won' }
            ]
        })
    ],
    Lead: [field('Status', 'Lead Status', 'picklist'), field('Name', 'Name', 'string')]
};

const open = async (profile = PROFILE) => {
    getObjectFields.mockImplementation(({ objectType }) =>
        Promise.resolve({ objectType, fields: clone(FIELDS[objectType]) })
    );
    const element = mount('c-profile-matching', ProfileMatching, { profile: clone(profile) });
    const changed = jest.fn();
    element.addEventListener('changed', changed);
    await settle();
    return { element, changed };
};
/** The condition editor inside the open group editor. */
const conditions = (element, id) => deepById(element, id);
/** Save or Cancel of the open group editor. */
const editorButton = (element, id) =>
    deepById(byId(element, id.replace(/^\w+-(\w+)-group$/, '$1-editor')), id);
const clickEditor = async (element, id) => {
    editorButton(element, id).click();
    await settle();
};
const inEditor = async (element, editorId, id, value) => {
    const target = deepById(conditions(element, editorId), id);
    if (!target) throw new Error(`no ${id} in ${editorId}`);
    target.value = value;
    target.dispatchEvent(new CustomEvent('change', { detail: { value } }));
    await settle();
};
/** One of a listed group's actions (item-edit, item-remove, item-up, item-down). */
const groupAction = async (element, itemId, action) => {
    deepById(byId(element, itemId), action).click();
    await settle();
};
const clickIn = async (element, editorId, id) => {
    deepById(conditions(element, editorId), id).click();
    await settle();
};

describe('c-profile-matching', () => {
    afterEach(cleanup);

    it("shows each object type's eligibility and its groups' conditions by field label", async () => {
        const { element } = await open();
        expect(text(element, 'eligibility-Opportunity')).toBe(
            'Opportunity · All records eligible (no groups defined)'
        );
        expect(text(element, 'eligibility-Account')).toBe(
            'Account · Filtered: a record must match one of 1 group Partners Type equals "Partner"'
        );
        expect(text(element, 'eligibility-Lead')).toContain(
            'Lead · No records eligible (its last group was removed)'
        );
        expect(getObjectFields).toHaveBeenCalledWith({ objectType: 'Account' });
    });

    it('adds an eligibility group with several conditions picked from the org', async () => {
        addEligibilityGroup.mockResolvedValue(clone(PARTNERS));
        const { element, changed } = await open();
        await click(element, 'add-eligibility-group');
        await change(element, 'eligibility-name', 'Big open deals');
        await change(element, 'eligibility-object', 'Opportunity');
        expect(editorButton(element, 'save-eligibility-group').disabled).toBe(true);
        await inEditor(element, 'eligibility-conditions', 'condition-field-0', 'Amount');
        await inEditor(element, 'eligibility-conditions', 'condition-operator-0', 'greater_than');
        await inEditor(element, 'eligibility-conditions', 'condition-value-0', '50000');
        await clickIn(element, 'eligibility-conditions', 'add-condition');
        await inEditor(element, 'eligibility-conditions', 'condition-field-1', 'StageName');
        await inEditor(element, 'eligibility-conditions', 'condition-operator-1', 'not_equals');
        await inEditor(element, 'eligibility-conditions', 'condition-value-1', 'Closed Won');
        await clickEditor(element, 'save-eligibility-group');
        expect(addEligibilityGroup).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            eligibilityGroup: {
                objectType: 'Opportunity',
                name: 'Big open deals',
                conditions: [
                    { field: 'Amount', operator: 'greater_than', value: 50000 },
                    { field: 'StageName', operator: 'not_equals', value: 'Closed Won' }
                ]
            }
        });
        expect(changed.mock.calls[0][0].detail).toEqual({
            message: 'The Opportunity group was added.'
        });
        expect(byId(element, 'eligibility-editor')).toBeNull();
    });

    it('edits a saved group in place, its conditions shown as they are', async () => {
        updateEligibilityGroup.mockResolvedValue(clone(PARTNERS));
        const { element, changed } = await open();
        await groupAction(element, `group-${PARTNERS.id}`, 'item-edit');
        expect(byId(element, 'eligibility-object').disabled).toBe(true);
        const editor = conditions(element, 'eligibility-conditions');
        expect(deepById(editor, 'condition-value-0').value).toBe('Partner');
        await inEditor(element, 'eligibility-conditions', 'condition-operator-0', 'in');
        await inEditor(element, 'eligibility-conditions', 'condition-value-0', [
            'Partner',
            'Customer'
        ]);
        await clickEditor(element, 'save-eligibility-group');
        expect(updateEligibilityGroup).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            groupId: PARTNERS.id,
            changes: {
                name: 'Partners',
                conditions: [{ field: 'Type', operator: 'in', value: ['Partner', 'Customer'] }]
            }
        });
        expect(changed.mock.calls[0][0].detail.message).toBe('Partners was saved.');
    });

    it('keeps the editor open with the refusal on the condition it names', async () => {
        addEligibilityGroup.mockRejectedValue(
            apexError(
                'This Account group, condition 2: Account has no field "Tier__c" in this Salesforce org.'
            )
        );
        const { element, changed } = await open();
        await click(element, 'add-eligibility-group');
        await change(element, 'eligibility-object', 'Account');
        // A lookup is offered by its parent's name, never as an Id to type.
        const offered = deepById(
            conditions(element, 'eligibility-conditions'),
            'condition-field-0'
        ).options;
        expect(offered).toContainEqual({ value: 'Owner.Name', label: 'Owner Name' });
        await inEditor(element, 'eligibility-conditions', 'condition-field-0', 'Type');
        await inEditor(element, 'eligibility-conditions', 'condition-value-0', 'Partner');
        await clickIn(element, 'eligibility-conditions', 'add-condition');
        await inEditor(element, 'eligibility-conditions', 'condition-field-1', 'Name');
        await inEditor(element, 'eligibility-conditions', 'condition-value-1', 'Acme');
        await clickEditor(element, 'save-eligibility-group');
        expect(changed).not.toHaveBeenCalled();
        expect(
            words(deepById(conditions(element, 'eligibility-conditions'), 'condition-error-1'))
        ).toBe('Account has no field "Tier__c" in this Salesforce org.');
        const editor = byId(element, 'eligibility-editor');
        expect(errorText(editor)).toContain('The group was not saved.');
        expect(`${errorText(element)} ${errorText(editor)}`).not.toContain('not changed');
    });

    it('asks before removing the last group of a type, naming the consequence; resets a type', async () => {
        deleteEligibilityGroup.mockResolvedValue(null);
        resetEligibility.mockResolvedValue({ state: 'all' });
        const { element } = await open();
        await groupAction(element, `group-${PARTNERS.id}`, 'item-remove');
        expect(text(openModal(), 'confirm-message')).toContain(
            'no Account is eligible for matching'
        );
        expect(deleteEligibilityGroup).not.toHaveBeenCalled();
        await click(openModal(), 'confirm-ok');
        expect(deleteEligibilityGroup).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            groupId: PARTNERS.id
        });
        await click(element, 'reset-Lead');
        expect(resetEligibility).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            objectType: 'Lead'
        });
    });

    it('previews how many records of each type are eligible', async () => {
        getEligibilityPreview.mockResolvedValue(clone(PREVIEW));
        const { element } = await open();
        await click(element, 'eligibility-preview');
        expect(getEligibilityPreview).toHaveBeenCalledWith({ profileId: PROFILE.id });
        expect(text(element, 'eligibility-counts')).toBe(
            'Opportunity: 1,200 eligible (all) Account: 85 eligible (filtered) Lead: 0 eligible (none)'
        );
    });

    it('shows a preview refusal on the saved condition it names, never as a failed save', async () => {
        getEligibilityPreview.mockRejectedValue(
            apexError(
                'The Account group "Partners", condition 1: Account has no field "Type" in this Salesforce org.'
            )
        );
        const { element } = await open();
        await click(element, 'eligibility-preview');
        expect(text(element, `condition-error-${PARTNERS.id}-0`)).toBe(
            'Account has no field "Type" in this Salesforce org.'
        );
        expect(errorText(element)).toContain('The eligible records could not be counted.');
        expect(errorText(element)).not.toMatch(/not changed|not saved|SELECT/);
    });

    it('marks the condition a matching preview refusal names', async () => {
        const { element } = await open();
        const panel = element.shadowRoot.querySelector('c-profile-matching-preview');
        expect(panel.profileId).toBe(PROFILE.id);
        panel.dispatchEvent(
            new CustomEvent('previewerror', {
                detail: {
                    error: apexError(
                        'Ranking group 1 "Soonest close", condition 1: Opportunity has no field "CloseDate" in this Salesforce org.'
                    )
                }
            })
        );
        await settle();
        expect(text(element, `condition-error-${SOONEST.id}-0`)).toBe(
            'Opportunity has no field "CloseDate" in this Salesforce org.'
        );
    });

    it('lists ranking groups in order and adds a sort-based one on two fields', async () => {
        addRankingGroup.mockResolvedValue(clone(SOONEST));
        const { element } = await open();
        expect(text(element, 'ranking-1')).toBe(
            '1. Soonest close (Opportunity, sort-based) Close Date ascending'
        );
        await click(element, 'add-ranking-group');
        await change(element, 'ranking-name', 'Newest accounts');
        await change(element, 'ranking-target', 'Account');
        await inEditor(element, 'ranking-conditions', 'condition-field-0', 'CreatedDate');
        await clickIn(element, 'ranking-conditions', 'add-condition');
        await inEditor(element, 'ranking-conditions', 'condition-field-1', 'Name');
        await inEditor(element, 'ranking-conditions', 'condition-direction-1', 'asc');
        await clickEditor(element, 'save-ranking-group');
        expect(addRankingGroup).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            rankingGroup: {
                name: 'Newest accounts',
                target: 'Account',
                conditions: [
                    { kind: 'sort', field: 'CreatedDate', direction: 'desc' },
                    { kind: 'sort', field: 'Name', direction: 'asc' }
                ]
            }
        });
    });

    it('edits a ranking group, switching it to select-based, and reorders groups', async () => {
        updateRankingGroup.mockResolvedValue(clone(SECOND_RANKING));
        reorderRankingGroups.mockResolvedValue([]);
        const { element } = await open({
            ...PROFILE,
            rankingGroups: [SOONEST, SECOND_RANKING]
        });
        await groupAction(element, 'ranking-1', 'item-edit');
        await change(element, 'ranking-kind', 'select');
        await inEditor(element, 'ranking-conditions', 'condition-field-0', 'StageName');
        await inEditor(element, 'ranking-conditions', 'condition-value-0', 'Prospecting');
        await clickEditor(element, 'save-ranking-group');
        expect(updateRankingGroup).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            groupId: SOONEST.id,
            changes: {
                name: 'Soonest close',
                target: 'Opportunity',
                conditions: [
                    { kind: 'select', field: 'StageName', operator: 'equals', value: 'Prospecting' }
                ]
            }
        });
        expect(deepById(byId(element, 'ranking-2'), 'item-up').alternativeText).toBe(
            'Move Partners first up'
        );
        expect(deepById(byId(element, 'ranking-1'), 'item-up').disabled).toBe(true);
        await groupAction(element, 'ranking-2', 'item-up');
        expect(reorderRankingGroups).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            groupIds: [SECOND_RANKING.id, SOONEST.id]
        });
    });

    it("says the groups cannot be edited while the org's fields cannot be read", async () => {
        const { element } = await open();
        cleanup();
        getObjectFields.mockRejectedValue(
            apexError(
                'This org has no Salesforce connection yet: save one under Salesforce connection first.'
            )
        );
        const again = mount('c-profile-matching', ProfileMatching, { profile: clone(PROFILE) });
        await settle();
        expect(element).toBeDefined();
        expect(errorText(again)).toContain("The org's fields could not be read");
        expect(byId(again, 'add-eligibility-group').disabled).toBe(true);
        expect(byId(again, 'add-ranking-group').disabled).toBe(true);
    });

    it('closes either group editor on Cancel without saving anything', async () => {
        const { element } = await open();
        await click(element, 'add-eligibility-group');
        await change(element, 'eligibility-name', 'Big open deals');
        await inEditor(element, 'eligibility-conditions', 'condition-field-0', 'Amount');
        await clickEditor(element, 'cancel-eligibility-group');
        expect(byId(element, 'eligibility-editor')).toBeNull();
        await click(element, 'add-ranking-group');
        await change(element, 'ranking-name', 'Newest accounts');
        await clickEditor(element, 'cancel-ranking-group');
        expect(byId(element, 'ranking-editor')).toBeNull();
        expect(addEligibilityGroup).not.toHaveBeenCalled();
        expect(addRankingGroup).not.toHaveBeenCalled();
    });

    it('is accessible with a group open for editing', async () => {
        const { element } = await open();
        await groupAction(element, `group-${PARTNERS.id}`, 'item-edit');
        await expect(element).toBeAccessible();
    });
});
