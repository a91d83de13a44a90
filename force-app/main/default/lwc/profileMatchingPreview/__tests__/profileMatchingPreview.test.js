import ProfileMatchingPreview from 'c/profileMatchingPreview';
import previewMatching from '@salesforce/apex/ProfilesController.previewMatching';
import {
    mount,
    cleanup,
    settle,
    text,
    click,
    change,
    byId,
    apexError,
    clone,
    errorText
} from 'roster-test';

const PREVIEW = require('../../configurationProfiles/__tests__/data/previewMatching.json');
const PROFILE_ID = PREVIEW.profileId;

const open = () => {
    const element = mount('c-profile-matching-preview', ProfileMatchingPreview, {
        profileId: PROFILE_ID
    });
    return settle().then(() => element);
};
const enter = async (element, participants, subject) => {
    await change(element, 'preview-participants', participants);
    if (subject !== undefined) await change(element, 'preview-subject', subject);
};

describe('c-profile-matching-preview', () => {
    afterEach(cleanup);

    it("looks up a meeting's participants and shows the matched records in order, with why", async () => {
        previewMatching.mockResolvedValue(clone(PREVIEW));
        const element = await open();
        expect(byId(element, 'run-matching-preview').disabled).toBe(true);
        await enter(
            element,
            'Ann Lee <ann@acme.example>, dan@initech.example\nguest@nowhere.example',
            ' Renewal call '
        );
        await change(element, 'preview-activity', 'meeting');
        await click(element, 'run-matching-preview');
        expect(previewMatching).toHaveBeenCalledWith({
            profileId: PROFILE_ID,
            participants: ['ann@acme.example', 'dan@initech.example', 'guest@nowhere.example'],
            subject: 'Renewal call',
            activity: 'meeting'
        });
        // The profile's settings that keep the match from Salesforce come first.
        expect(text(element, 'preview-notes')).toBe(
            'Meeting Sync is off: matched meetings are not synced to Salesforce.'
        );
        expect(text(element, 'preview-participant-list')).toBe(
            'ann@acme.example: Contact Ann Lee dan@initech.example: Lead Dan Cho guest@nowhere.example: not in Salesforce'
        );
        expect(text(element, 'candidate-1')).toBe(
            '1. Acme Renewal (Opportunity), score 5 +5: ann@acme.example is a Contact at Acme. ' +
                'Every Opportunity is eligible (no eligibility group for Opportunities). ' +
                'Score 5 meets the minimum score of 0. ' +
                'Ranking group 1 is for Opportunities: they come before types with a later ranking group or none. ' +
                'Ranking group 1 "Soonest close" orders by CloseDate ascending (2026-11-01). ' +
                'Score 5 breaks remaining ties, highest first.'
        );
        expect(text(element, 'candidate-2')).toContain('2. Acme (Account), score 5');
        expect(text(element, 'dropped-00Q000000000001AAA')).toBe(
            'Dan Cho (Lead), score 10 +10: dan@initech.example is this Lead. No Lead is eligible: the last Lead group was removed.'
        );
    });

    it('says nothing would be matched when no participant is in Salesforce', async () => {
        previewMatching.mockResolvedValue({
            profileId: PROFILE_ID,
            notes: [],
            participants: [{ email: 'guest@nowhere.example', records: [] }],
            candidates: []
        });
        const element = await open();
        await enter(element, 'guest@nowhere.example');
        await click(element, 'run-matching-preview');
        expect(text(element, 'preview-nothing')).toContain('would not be matched to any record');
    });

    it('points at an address that is not an email before asking the service', async () => {
        const element = await open();
        byId(element, 'preview-participants').setCustomValidity = jest.fn();
        await enter(element, 'ann@acme.example, not-an-address');
        await click(element, 'run-matching-preview');
        expect(previewMatching).not.toHaveBeenCalled();
        expect(byId(element, 'preview-participants').setCustomValidity).toHaveBeenCalledWith(
            'Not an email address: not-an-address'
        );
    });

    it("shows the service's refusal and tells the Matching tab which condition it names", async () => {
        previewMatching.mockRejectedValue(
            apexError(
                'The Account group "Gold", condition 2: Account has no field "Tier__c" in this Salesforce org.'
            )
        );
        const element = await open();
        const failed = jest.fn();
        element.addEventListener('previewerror', failed);
        await enter(element, 'ann@acme.example');
        await click(element, 'run-matching-preview');
        expect(errorText(element)).toBe(
            'The preview could not be run. The Account group "Gold", condition 2: Account has no field "Tier__c" in this Salesforce org.'
        );
        expect(failed).toHaveBeenCalledTimes(1);
        expect(errorText(element)).not.toMatch(/SELECT|not changed/);
    });

    it('is accessible with a result', async () => {
        previewMatching.mockResolvedValue(clone(PREVIEW));
        const element = await open();
        await enter(element, 'ann@acme.example');
        await click(element, 'run-matching-preview');
        await expect(element).toBeAccessible();
    });
});
