import { LightningElement, api } from 'lwc';
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
const SALESFORCE_OWNED = new Set(['firstName', 'lastName', 'jobTitle', 'teamId']);

/** The Add User and Edit User dialog: every field of the reference article; sends only what changed. */
export default class UserEditor extends LightningElement {
    @api teams = [];
    @api profiles = [];
    @api automaticMode = false;
    @api error;
    roleOptions = roleOptions;
    visibilityOptions = visibilityOptions;
    licenseOptions = licenseOptions;
    draft = {
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
    original;

    @api
    get user() {
        return this.original;
    }
    set user(value) {
        this.original = value;
        if (value) {
            this.draft = Object.fromEntries(
                FIELDS.map((f) => [f, f === 'licenses' ? [...value.licenses] : (value[f] ?? '')])
            );
        }
    }

    get isEdit() {
        return !!this.original;
    }
    get heading() {
        return this.isEdit ? `Edit ${this.original.email}` : 'Add User';
    }
    get lockSalesforceFields() {
        return this.isEdit && this.automaticMode;
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

    handleChange(event) {
        const field = event.target.dataset.field;
        this.draft = { ...this.draft, [field]: event.detail.value };
    }

    get changedFields() {
        const fields = {};
        for (const field of FIELDS) {
            let value = this.draft[field];
            if (field === 'profileId' && !value)
                value = this.isEdit ? this.defaultProfileId : undefined;
            if (field === 'teamId' && !value) value = undefined;
            if (this.lockSalesforceFields && SALESFORCE_OWNED.has(field)) continue;
            const before = this.original ? this.original[field] : undefined;
            const same = Array.isArray(value)
                ? JSON.stringify([...value].sort()) === JSON.stringify([...(before || [])].sort())
                : value === before;
            if (value !== undefined && (!this.isEdit || !same)) fields[field] = value;
        }
        return fields;
    }

    handleSave() {
        const inputs = [...this.template.querySelectorAll('[data-field]')];
        // Every input shows its own message; save only when none reported a problem.
        const verdicts = inputs.map((input) => input.reportValidity());
        if (verdicts.includes(false) || !this.draft.email.trim()) return;
        this.dispatchEvent(
            new CustomEvent('save', {
                detail: {
                    userId: this.isEdit ? this.original.id : null,
                    fields: this.changedFields
                }
            })
        );
    }

    handleClose() {
        this.dispatchEvent(new CustomEvent('close'));
    }
}
