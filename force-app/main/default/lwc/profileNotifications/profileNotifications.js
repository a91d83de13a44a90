import { LightningElement, api } from 'lwc';
import { setNotifications } from 'c/rosterService';
import { recipientOptions } from 'c/rosterVocabulary';
import { findField, loadObjectFields, namedSettings, writableFieldOptions } from 'c/profileFields';
import { reduceErrors } from 'c/reduceErrors';

let nextKey = 0;
const keyed = (q) => ({ ...q, key: `question-${(nextKey += 1)}` });
// Meetings are Events: their category is saved there; a follow-up answer on the Event or its Task.
const CATEGORY_OBJECTS = ['Event'];
const ANSWER_OBJECTS = ['Event', 'Task'];
/** Who is notified, per meeting event: a choice of recipients each. */
const RECIPIENT_SETTINGS = [
    {
        field: 'creationRecipients',
        label: 'Meeting creation notifications',
        id: 'creation-recipients'
    },
    {
        field: 'completionRecipients',
        label: 'Meeting completion notifications',
        id: 'completion-recipients'
    }
];

/** The Notifications tab: meeting category field, who is notified of meetings, and follow-up questions. */
export default class ProfileNotifications extends LightningElement {
    draft;
    original;
    error;
    fieldsError;
    /** The service's refusal per setting: { meetingCategoryField, 'question-1': message }. */
    settingErrors = {};
    fieldsByObject = {};
    saving = false;

    get recipientSettings() {
        return RECIPIENT_SETTINGS.map((setting) => ({
            ...setting,
            options: recipientOptions,
            value: this.draft[setting.field]
        }));
    }

    @api
    get profile() {
        return this.original;
    }
    set profile(value) {
        const opened = value && (!this.original || this.original.id !== value.id);
        this.original = value;
        if (value) {
            const n = value.notifications;
            this.draft = {
                ...n,
                meetingCategoryField: n.meetingCategoryField || '',
                followUpQuestions: n.followUpQuestions.map(keyed)
            };
        }
        if (opened) this.loadFields();
    }

    async loadFields() {
        try {
            this.fieldsByObject = await loadObjectFields(ANSWER_OBJECTS);
            this.fieldsError = undefined;
        } catch (error) {
            this.fieldsError = error;
        }
    }
    described(objects) {
        return objects.map((objectType) => ({
            objectType,
            fields: this.fieldsByObject[objectType] || []
        }));
    }

    get isBuiltin() {
        return this.original && this.original.isBuiltin;
    }
    get saveDisabled() {
        return this.isBuiltin || this.saving;
    }
    get categoryFieldOptions() {
        return [
            { value: '', label: 'None' },
            ...writableFieldOptions(
                this.described(CATEGORY_OBJECTS),
                this.draft.meetingCategoryField
            )
        ];
    }
    get categoryFieldError() {
        return this.settingErrors.meetingCategoryField;
    }
    /** The category field's picklist values are the categories a question can be for. */
    get categoryOptions() {
        const field = findField(this.fieldsByObject.Event, this.draft.meetingCategoryField);
        return field && field.picklistValues.length
            ? field.picklistValues.map((p) => ({ value: p.value, label: p.label }))
            : null;
    }
    get questions() {
        const categories = this.categoryOptions;
        const described = this.described(ANSWER_OBJECTS);
        return this.draft.followUpQuestions.map((q, index) => ({
            ...q,
            index,
            number: `Question ${index + 1}`,
            removeLabel: `Remove question ${index + 1}`,
            categoryLabel: `Question ${index + 1} CRM category`,
            textLabel: `Question ${index + 1} text`,
            fieldLabel: `Question ${index + 1} Salesforce field`,
            hasCategoryOptions: !!categories,
            categoryOptions:
                categories && q.crmCategory && !categories.some((c) => c.value === q.crmCategory)
                    ? [...categories, { value: q.crmCategory, label: q.crmCategory }]
                    : categories,
            answerOptions: writableFieldOptions(described, q.answerField),
            fieldError: this.settingErrors[`question-${index}`],
            boxId: `question-${index}`,
            categoryId: `question-category-${index}`,
            textId: `question-text-${index}`,
            fieldId: `question-field-${index}`,
            fieldErrorId: `question-field-error-${index}`
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
        if (this.saveDisabled) return;
        this.error = undefined;
        this.settingErrors = {};
        const d = this.draft;
        const notifications = {
            meetingCategoryField: d.meetingCategoryField || null,
            creationRecipients: d.creationRecipients,
            completionRecipients: d.completionRecipients,
            followUpQuestions: d.followUpQuestions.map(
                ({ crmCategory, question, answerField }) => ({
                    crmCategory: crmCategory.trim(),
                    question: question.trim(),
                    answerField
                })
            )
        };
        this.saving = true;
        try {
            await setNotifications({ profileId: this.original.id, notifications });
            this.dispatchEvent(
                new CustomEvent('changed', {
                    detail: { message: 'The notification settings were saved.' }
                })
            );
        } catch (error) {
            this.error = error;
            this.settingErrors = namedSettings(reduceErrors(error).join(' '));
        } finally {
            this.saving = false;
        }
    }
}
