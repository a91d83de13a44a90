import ProfileMatching from 'c/profileMatching';
import addEligibilityGroup from '@salesforce/apex/ProfilesController.addEligibilityGroup';
import deleteEligibilityGroup from '@salesforce/apex/ProfilesController.deleteEligibilityGroup';
import resetEligibility from '@salesforce/apex/ProfilesController.resetEligibility';
import getEligibilityPreview from '@salesforce/apex/ProfilesController.getEligibilityPreview';
import addRankingGroup from '@salesforce/apex/ProfilesController.addRankingGroup';
import reorderRankingGroups from '@salesforce/apex/ProfilesController.reorderRankingGroups';
import {
    mount,
    cleanup,
    settle,
    text,
    click,
    change,
    apexError,
    clone,
    errorText,
    openModal
} from 'roster-test';

const PROFILE = require('../../configurationProfiles/__tests__/data/getProfile.json');
const PREVIEW = require('../../configurationProfiles/__tests__/data/getEligibilityPreview.json');
const PARTNERS = PROFILE.eligibility.Account.groups[0];
const SECOND_RANKING = {
    id: '00000000-0000-4000-8000-000000000062',
    name: 'Partners first',
    position: 1,
    target: 'Account',
    kind: 'select',
    conditions: [{ kind: 'select', field: 'Type', operator: 'equals', value: 'Partner' }]
};

const open = (profile = PROFILE) => {
    const element = mount('c-profile-matching', ProfileMatching, { profile: clone(profile) });
    const changed = jest.fn();
    element.addEventListener('changed', changed);
    return settle().then(() => ({ element, changed }));
};

describe('c-profile-matching', () => {
    afterEach(cleanup);

    it('shows the eligibility state of each object type and its groups', async () => {
        const { element } = await open();
        expect(text(element, 'eligibility-Opportunity')).toBe(
            'Opportunity · All records eligible (no groups defined)'
        );
        expect(text(element, 'eligibility-Account')).toBe(
            'Account · Filtered: a record must match one of 1 group Partners: Type equals "Partner"'
        );
        expect(text(element, 'eligibility-Lead')).toContain(
            'Lead · No records eligible (its last group was removed)'
        );
    });

    it('adds an eligibility group with a condition', async () => {
        addEligibilityGroup.mockResolvedValue(clone(PARTNERS));
        const { element, changed } = await open();
        await change(element, 'eligibility-name', 'Big deals');
        await change(element, 'eligibility-object', 'Opportunity');
        await change(element, 'eligibility-field', 'Amount');
        await change(element, 'eligibility-operator', 'greater_than');
        await change(element, 'eligibility-value', '50000');
        await click(element, 'add-eligibility-group');
        expect(addEligibilityGroup).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            eligibilityGroup: {
                objectType: 'Opportunity',
                name: 'Big deals',
                conditions: [{ field: 'Amount', operator: 'greater_than', value: 50000 }]
            }
        });
        expect(changed.mock.calls[0][0].detail).toEqual({
            message: 'The Opportunity group was added.'
        });
    });

    it('removes a group and resets an object type to all records', async () => {
        deleteEligibilityGroup.mockResolvedValue(null);
        resetEligibility.mockResolvedValue({ state: 'all' });
        const { element } = await open();
        await click(element, `delete-eligibility-${PARTNERS.id}`);
        // The last Account group: removing it leaves no Account eligible, and the dialog says so first.
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

    it('lists ranking groups in order and adds a sort-based one', async () => {
        addRankingGroup.mockResolvedValue(clone(PROFILE.rankingGroups[0]));
        const { element } = await open();
        expect(text(element, 'ranking-1')).toBe(
            '1. Soonest close (Opportunity, sort-based): CloseDate ascending'
        );
        await change(element, 'ranking-name', 'Newest accounts');
        await change(element, 'ranking-target', 'Account');
        await change(element, 'ranking-field', 'CreatedDate');
        await change(element, 'ranking-direction', 'desc');
        await click(element, 'add-ranking-group');
        expect(addRankingGroup).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            rankingGroup: {
                name: 'Newest accounts',
                target: 'Account',
                conditions: [{ kind: 'sort', field: 'CreatedDate', direction: 'desc' }]
            }
        });
    });

    it('adds a select-based ranking group and reorders ranking groups', async () => {
        addRankingGroup.mockResolvedValue(SECOND_RANKING);
        reorderRankingGroups.mockResolvedValue([]);
        const { element } = await open({
            ...PROFILE,
            rankingGroups: [...PROFILE.rankingGroups, SECOND_RANKING]
        });
        await change(element, 'ranking-kind', 'select');
        await change(element, 'ranking-field', 'Type');
        await change(element, 'ranking-value', 'Customer');
        await click(element, 'add-ranking-group');
        expect(addRankingGroup.mock.calls[0][0].rankingGroup.conditions).toEqual([
            { kind: 'select', field: 'Type', operator: 'equals', value: 'Customer' }
        ]);
        const up = [...element.shadowRoot.querySelectorAll('lightning-button-icon')].find(
            (b) => b.alternativeText === 'Move Partners first up'
        );
        up.click();
        await settle();
        expect(reorderRankingGroups).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            groupIds: [SECOND_RANKING.id, PROFILE.rankingGroups[0].id]
        });
    });

    it("shows the service's message when a condition is refused", async () => {
        addEligibilityGroup.mockRejectedValue(
            apexError(
                'Unknown field: use a Salesforce field API name such as Type, Partner__c or Owner.Name.'
            )
        );
        const { element } = await open();
        await change(element, 'eligibility-field', 'Type;');
        await click(element, 'add-eligibility-group');
        expect(errorText(element)).toContain('Unknown field');
    });

    it('offers the matching preview for this profile on the tab', async () => {
        const { element } = await open();
        const panel = element.shadowRoot.querySelector('c-profile-matching-preview');
        expect(panel.profileId).toBe(PROFILE.id);
    });

    it('is accessible', async () => {
        const { element } = await open();
        await expect(element).toBeAccessible();
    });
});
