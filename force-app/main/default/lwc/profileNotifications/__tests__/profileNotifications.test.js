import ProfileNotifications from 'c/profileNotifications';
import setNotifications from '@salesforce/apex/ProfilesController.setNotifications';
import getObjectFields from '@salesforce/apex/ProfilesController.getObjectFields';
import {
    mount,
    cleanup,
    settle,
    byId,
    deepById,
    text,
    click,
    change,
    apexError,
    clone,
    errorText,
    field
} from 'roster-test';

const PROFILE = require('../../configurationProfiles/__tests__/data/getProfile.json');
const values = (...list) => list.map((value) => ({ value, label: value }));
const FIELDS = {
    Event: [
        field('CreatedDate', 'Created Date', 'datetime', { updateable: false }),
        field('Description', 'Description', 'textarea'),
        field('Location', 'Location', 'string'),
        field('Type', 'Type', 'picklist', { picklistValues: values('Call', 'Meeting', 'Demo') })
    ],
    Task: [
        field('Description', 'Description', 'textarea'),
        field('Status', 'Status', 'picklist', { picklistValues: values('Open', 'Completed') }),
        field('Type', 'Type', 'picklist', { picklistValues: values('Call', 'Email') })
    ]
};

const open = async (profile = PROFILE) => {
    getObjectFields.mockImplementation(({ objectType }) =>
        Promise.resolve({ objectType, fields: clone(FIELDS[objectType]) })
    );
    const element = mount('c-profile-notifications', ProfileNotifications, {
        profile: clone(profile)
    });
    const changed = jest.fn();
    element.addEventListener('changed', changed);
    await settle();
    return { element, changed };
};
const labels = (element, id) => byId(element, id).options.map((o) => o.label);

describe('c-profile-notifications', () => {
    afterEach(cleanup);

    it('shows the current notification settings', async () => {
        const { element } = await open();
        expect(byId(element, 'meeting-category-field').value).toBe('Type');
        expect(byId(element, 'creation-recipients').value).toBe('owner_only');
        expect(byId(element, 'completion-recipients').value).toBe('all_participants');
        expect(byId(element, 'question-text-0').value).toBe('What is the next step?');
    });

    it("offers the org's writable Event fields for the category, and Event and Task fields for answers", async () => {
        const { element } = await open();
        expect(getObjectFields).toHaveBeenCalledWith({ objectType: 'Event' });
        expect(getObjectFields).toHaveBeenCalledWith({ objectType: 'Task' });
        expect(labels(element, 'meeting-category-field')).toEqual([
            'None',
            'Description',
            'Location',
            'Type'
        ]);
        // A saved field the org no longer has stays visible, marked.
        expect(labels(element, 'question-field-0')).toEqual([
            'Description',
            'Location (Event)',
            'Status (Task)',
            'Type',
            'NextStep (not in this org)'
        ]);
    });

    it("offers the category field's values as each question's CRM category", async () => {
        const { element } = await open();
        expect(byId(element, 'question-category-0').options.map((o) => o.value)).toEqual([
            'Call',
            'Meeting',
            'Demo',
            'Discovery'
        ]);
        await change(element, 'meeting-category-field', 'Location');
        expect(byId(element, 'question-category-0').tagName).toBe('LIGHTNING-INPUT');
    });

    it('saves the category field, recipients and follow-up questions chosen from the lists', async () => {
        setNotifications.mockResolvedValue(clone(PROFILE.notifications));
        const { element, changed } = await open();
        await change(element, 'creation-recipients', 'all_participants');
        await change(element, 'question-field-0', 'Description');
        await click(element, 'add-question');
        await change(element, 'question-category-1', 'Demo');
        await change(element, 'question-text-1', 'Who signs?');
        await change(element, 'question-field-1', 'Status');
        await click(element, 'save-notifications');
        expect(setNotifications).toHaveBeenCalledWith({
            profileId: PROFILE.id,
            notifications: {
                meetingCategoryField: 'Type',
                creationRecipients: 'all_participants',
                completionRecipients: 'all_participants',
                followUpQuestions: [
                    {
                        crmCategory: 'Discovery',
                        question: 'What is the next step?',
                        answerField: 'Description'
                    },
                    { crmCategory: 'Demo', question: 'Who signs?', answerField: 'Status' }
                ]
            }
        });
        expect(changed).toHaveBeenCalled();
    });

    it('removes a question', async () => {
        setNotifications.mockResolvedValue(clone(PROFILE.notifications));
        const { element } = await open();
        await click(element, 'add-question');
        expect(text(element, 'question-1')).toContain('Question 2');
        deepById(byId(element, 'question-0'), 'item-remove').click();
        await settle();
        expect(byId(element, 'question-1')).toBeNull();
        await click(element, 'save-notifications');
        expect(setNotifications.mock.calls[0][0].notifications.followUpQuestions).toEqual([
            { crmCategory: '', question: '', answerField: '' }
        ]);
    });

    it('shows a refusal beside the setting and the question it names', async () => {
        setNotifications.mockRejectedValue(
            apexError(
                'Meeting category field: Event has no field "Type" in this Salesforce org. Follow-up question 1: Event or Task has no field "NextStep" in this Salesforce org.'
            )
        );
        const { element, changed } = await open();
        await click(element, 'save-notifications');
        expect(changed).not.toHaveBeenCalled();
        expect(text(element, 'meeting-category-field-error')).toBe(
            'Event has no field "Type" in this Salesforce org.'
        );
        expect(text(element, 'question-field-error-0')).toBe(
            'Event or Task has no field "NextStep" in this Salesforce org.'
        );
        expect(errorText(element)).toContain('The notification settings were not saved.');
    });

    it('is accessible', async () => {
        const { element } = await open();
        await expect(element).toBeAccessible();
    });
});
