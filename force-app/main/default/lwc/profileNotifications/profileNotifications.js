import { LightningElement, api } from 'lwc';
import { setNotifications } from 'c/rosterService';
import { recipientOptions } from 'c/rosterVocabulary';

let nextKey = 0;
const keyed = (q) => ({ ...q, key: `question-${(nextKey += 1)}` });

/** The Notifications tab: meeting category field, who is notified of meetings, and follow-up questions. */
export default class ProfileNotifications extends LightningElement {
    recipientOptions = recipientOptions;
    draft;
    original;
    error;

    @api
    get profile() {
        return this.original;
    }
    set profile(value) {
        this.original = value;
        if (value) {
            const n = value.notifications;
            this.draft = {
                ...n,
                meetingCategoryField: n.meetingCategoryField || '',
                followUpQuestions: n.followUpQuestions.map(keyed)
            };
        }
    }

    get isBuiltin() {
        return this.original && this.original.isBuiltin;
    }
    get questions() {
        return this.draft.followUpQuestions.map((q, index) => ({
            ...q,
            index,
            number: `Question ${index + 1}`,
            removeLabel: `Remove question ${index + 1}`,
            categoryId: `question-category-${index}`,
            textId: `question-text-${index}`,
            fieldId: `question-field-${index}`
        }));
    }

    handleField(event) {
        this.draft = { ...this.draft, [event.target.dataset.field]: event.detail.value };
    }
    handleQuestion(event) {
        const index = Number(event.target.dataset.index);
        const field = event.target.dataset.field;
        this.draft = {
            ...this.draft,
            followUpQuestions: this.draft.followUpQuestions.map((q, i) =>
                i === index ? { ...q, [field]: event.detail.value } : q
            )
        };
    }
    addQuestion() {
        this.draft = {
            ...this.draft,
            followUpQuestions: [
                ...this.draft.followUpQuestions,
                keyed({ crmCategory: '', question: '', answerField: '' })
            ]
        };
    }
    removeQuestion(event) {
        const index = Number(event.currentTarget.dataset.index);
        this.draft = {
            ...this.draft,
            followUpQuestions: this.draft.followUpQuestions.filter((q, i) => i !== index)
        };
    }

    async save() {
        this.error = undefined;
        const d = this.draft;
        const notifications = {
            meetingCategoryField: d.meetingCategoryField.trim() || null,
            creationRecipients: d.creationRecipients,
            completionRecipients: d.completionRecipients,
            followUpQuestions: d.followUpQuestions.map(
                ({ crmCategory, question, answerField }) => ({
                    crmCategory: crmCategory.trim(),
                    question: question.trim(),
                    answerField: answerField.trim()
                })
            )
        };
        try {
            await setNotifications({ profileId: this.original.id, notifications });
            this.dispatchEvent(
                new CustomEvent('changed', {
                    detail: { message: 'The notification settings were saved.' }
                })
            );
        } catch (error) {
            this.error = error;
        }
    }
}
