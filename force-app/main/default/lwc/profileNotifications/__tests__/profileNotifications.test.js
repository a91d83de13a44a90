import ProfileNotifications from 'c/profileNotifications';
import setNotifications from '@salesforce/apex/ProfilesController.setNotifications';
import { mount, cleanup, byId, click, change, apexError, clone, errorText } from 'roster-test';

const PROFILE = require('../../configurationProfiles/__tests__/data/getProfile.json');

describe('c-profile-notifications', () => {
    afterEach(cleanup);

    it('shows the current notification settings', () => {
        const element = mount('c-profile-notifications', ProfileNotifications, {
            profile: clone(PROFILE)
        });
        return Promise.resolve().then(() => {
            expect(byId(element, 'meeting-category-field').value).toBe('Type');
            expect(byId(element, 'creation-recipients').value).toBe('owner_only');
            expect(byId(element, 'completion-recipients').value).toBe('all_participants');
            expect(byId(element, 'question-text-0').value).toBe('What is the next step?');
        });
    });

    it('saves the category field, recipients and follow-up questions', async () => {
        setNotifications.mockResolvedValue(clone(PROFILE.notifications));
        const element = mount('c-profile-notifications', ProfileNotifications, {
            profile: clone(PROFILE)
        });
        const changed = jest.fn();
        element.addEventListener('changed', changed);
        await change(element, 'meeting-category-field', 'Meeting_Category__c');
        await change(element, 'creation-recipients', 'all_participants');
        await click(element, 'add-question');
        await change(element, 'question-category-1', 'Negotiation');
        await change(element, 'question-text-1', 'Who signs?');
        await change(element, 'question-field-1', 'Signer__c');
        await click(element, 'save-notifications');
        expect(setNotifications).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            notifications: {
                meetingCategoryField: 'Meeting_Category__c',
                creationRecipients: 'all_participants',
                completionRecipients: 'all_participants',
                followUpQuestions: [
                    {
                        crmCategory: 'Discovery',
                        question: 'What is the next step?',
                        answerField: 'NextStep'
                    },
                    { crmCategory: 'Negotiation', question: 'Who signs?', answerField: 'Signer__c' }
                ]
            }
        });
        expect(changed).toHaveBeenCalled();
    });

    it("shows the service's message when the settings are refused", async () => {
        setNotifications.mockRejectedValue(
            apexError('followUpQuestions.0.answerField: Unknown field.')
        );
        const element = mount('c-profile-notifications', ProfileNotifications, {
            profile: clone(PROFILE)
        });
        await click(element, 'save-notifications');
        expect(errorText(element)).toContain('Unknown field.');
    });

    it('is accessible', async () => {
        const element = mount('c-profile-notifications', ProfileNotifications, {
            profile: clone(PROFILE)
        });
        await expect(element).toBeAccessible();
    });
});
