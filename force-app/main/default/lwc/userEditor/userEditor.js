import { api } from 'lwc';
import RosterModal from 'c/rosterModal';
import { createUser, updateUser } from 'c/rosterService';
import { roleOptions, visibilityOptions, licenseOptions } from 'c/rosterVocabulary';

const FIELDS = [
    'firstName',
    'lastName',
    'email',
    'jobTitle',
    'role',
    'teamId',
    'objectVisibility',
    'licenses',
    'profileId'
];
// What Salesforce owns of a linked user in Automatic Mode (sync-service users/service.ts): email too.
const SALESFORCE_OWNED = new Set(['firstName', 'lastName', 'jobTitle', 'teamId', 'email']);
const EMPTY = {
    firstName: '',
    lastName: '',
    email: '',
    jobTitle: '',
    role: 'member',
    teamId: '',
    objectVisibility: 'full',
    licenses: ['foundation'],
    profileId: ''
};

/** The person's own fields, a text input each (Salesforce's own in Automatic Mode). */
const TEXT_FIELDS = [
    { field: 'firstName', label: 'First Name', id: 'first-name', required: true },
    { field: 'lastName', label: 'Last Name', id: 'last-name', required: true },
    { field: 'email', label: 'Email Address', id: 'email', type: 'email', required: true },
    { field: 'jobTitle', label: 'Job Title', id: 'job-title', required: false }
];

/**
 * The Add User and Edit User dialog (lightning/modal): every field of the reference article, problems shown
 * beside the field they concern, and Save busy until the service answers, so a double click sends once.
 * Sends only what changed; closes with the saved user.
 */
export default class UserEditor extends RosterModal {
    @api teams = [];
    @api profiles = [];
    @api automaticMode = false;
    roleOptions = roleOptions;
    visibilityOptions = visibilityOptions;
    licenseOptions = licenseOptions;
    draft = { ...EMPTY };
    original;

    @api
    get user() {
        return this.original;
    }
    set user(value) {
        this.original = value || undefined;
        this.draft = value
            ? Object.fromEntries(
                  FIELDS.map((f) => [f, f === 'licenses' ? [...value.licenses] : (value[f] ?? '')])
              )
            : { ...EMPTY };
    }

    get isEdit() {
        return !!this.original;
    }
    get heading() {
        return this.isEdit ? `Edit ${this.original.email}` : 'Add User';
    }
    /** A Salesforce user's name, title, email and team come from Salesforce in Automatic Mode. */
    get lockSalesforceFields() {
        return this.isEdit && this.automaticMode && !!this.original.sfUserId;
    }
    /** A user without a Salesforce record stays out of the hierarchy, in Unassigned. */
    get addsToUnassigned() {
        return this.automaticMode && !(this.isEdit && this.original.sfUserId);
    }
    get teamDisabled() {
        return this.automaticMode;
    }
    get teamOptions() {
        return this.teams.map((t) => ({ label: t.path || t.name, value: t.id }));
    }
    get profileOptions() {
        return [
            { label: 'Default - Intake Off (built-in)', value: '' },
            ...this.profiles
                .filter((p) => !p.isBuiltin)
                .map((p) => ({ label: p.name, value: p.id }))
        ];
    }
    get defaultProfileId() {
        const builtin = this.profiles.find((p) => p.isBuiltin);
        return builtin ? builtin.id : '';
    }
    get profileValue() {
        return this.draft.profileId === this.defaultProfileId ? '' : this.draft.profileId;
    }
    get textFields() {
        return TEXT_FIELDS.map((input) => ({
            ...input,
            type: input.type || 'text',
            value: this.draft[input.field]
        }));
    }

    handleChange(event) {
        const field = event.target.dataset.field;
        this.draft = { ...this.draft, [field]: event.detail.value };
        // A problem reported for this field is no longer current once it changes.
        event.target.setCustomValidity('');
    }

    get changedFields() {
        const fields = {};
        for (const field of FIELDS) {
            let value = this.draft[field];
            if (field === 'profileId' && !value)
                value = this.isEdit ? this.defaultProfileId : undefined;
            if (field === 'teamId' && !value) value = undefined;
            if (this.automaticMode && field === 'teamId') continue;
            if (this.lockSalesforceFields && SALESFORCE_OWNED.has(field)) continue;
            const before = this.original ? this.original[field] : undefined;
            const same = Array.isArray(value)
                ? JSON.stringify([...value].sort()) === JSON.stringify([...(before || [])].sort())
                : value === before;
            if (value !== undefined && (!this.isEdit || !same)) fields[field] = value;
        }
        return fields;
    }

    /** Checks on the page first: every field shows its own message. */
    validate() {
        const licenses = this.template.querySelector('[data-field="licenses"]');
        if (licenses) {
            licenses.setCustomValidity(
                this.draft.licenses.length ? '' : 'Choose at least one license.'
            );
        }
        const inputs = [...this.template.querySelectorAll('[data-field]')];
        // Every input reports its own message; only an explicit false is a problem.
        return !inputs.map((input) => input.reportValidity()).includes(false);
    }

    /** A refusal from the service that names a field is shown beside that field too. */
    placeServiceError(error) {
        const message = (error && error.body && error.body.message) || '';
        const field = /email/i.test(message)
            ? 'email'
            : /licen[cs]e/i.test(message)
              ? 'licenses'
              : null;
        const input = field && this.template.querySelector(`[data-field="${field}"]`);
        if (input) {
            input.setCustomValidity(message);
            input.reportValidity();
        }
    }

    handleSave() {
        if (this.busy || !this.validate()) return undefined;
        const fields = this.changedFields;
        return this.send(
            async () => {
                const saved = this.isEdit
                    ? await updateUser({ userId: this.original.id, changes: fields })
                    : await createUser({ user: fields });
                return saved || { ...this.original, ...fields };
            },
            (error) => this.placeServiceError(error)
        );
    }
}
