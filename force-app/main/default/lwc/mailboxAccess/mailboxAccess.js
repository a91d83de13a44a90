import { LightningElement } from 'lwc';
import {
    getMailboxStats,
    getMailboxProvider,
    saveMailboxProvider,
    testAccess
} from 'c/rosterService';
import { formatDateTime } from 'c/rosterVocabulary';
import { toastSuccess } from 'c/rosterMessages';

/** Each provider's settings as the service takes them (mailbox/schemas.ts); the secret is never shown back. */
const PROVIDERS = {
    google: {
        label: 'Google Workspace',
        fields: [
            { field: 'clientEmail', label: 'Service account email', type: 'email' },
            {
                field: 'clientId',
                label: 'OAuth client ID (numeric, for domain-wide delegation)',
                pattern: '[0-9]{10,30}',
                patternMessage: 'The numeric client ID, not the email.'
            },
            {
                field: 'privateKey',
                label: 'Service account private key',
                secret: true,
                multiline: true,
                placeholder: '-----BEGIN PRIVATE KEY-----'
            }
        ]
    },
    microsoft: {
        label: 'Microsoft 365',
        fields: [
            { field: 'tenantId', label: 'Directory (tenant) ID' },
            { field: 'clientId', label: 'Application (client) ID' },
            { field: 'clientSecret', label: 'Client secret', secret: true, type: 'password' }
        ]
    }
};
const SECRETS = ['privateKey', 'clientSecret'];
/** data-id of a setting: google-client-email, microsoft-tenant-id... */
const settingId = (provider, field) =>
    `${provider}-${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Mailbox Access: the org's mailbox provider (Permission Errors article). The admin enters the credentials
 * once (the secret is stored encrypted and never shown back: left empty, the stored one is kept), sees the
 * state, and tests the connection by checking one user's mailbox and calendar now.
 */
export default class MailboxAccess extends LightningElement {
    stats;
    settings; // the service's ProviderOut, or null while none is set up
    draft = { provider: 'microsoft' };
    loadError;
    saving = false;
    saveError;
    testUserId;
    testing = false;
    testResult;
    testError;

    providerOptions = Object.entries(PROVIDERS).map(([value, p]) => ({ value, label: p.label }));

    connectedCallback() {
        this.load();
    }

    async load() {
        try {
            this.stats = await getMailboxStats();
            this.settings = this.stats.provider ? await getMailboxProvider() : null;
            if (this.settings) {
                this.draft = {
                    provider: this.settings.provider,
                    ...this.settings.settings,
                    probeMinutes: this.settings.probeMinutes
                };
            }
            this.loadError = undefined;
        } catch (error) {
            this.loadError = error;
        }
    }

    get isSetUp() {
        return !!this.settings;
    }
    get stateText() {
        if (!this.stats) return '';
        if (!this.settings)
            return 'No mailbox provider is set up yet: Roster cannot check any user’s mailbox or calendar, and no user can be onboarded.';
        const p = PROVIDERS[this.settings.provider].label;
        return `${p} is set up (last changed ${formatDateTime(this.settings.updatedAt)}). Roster checks ${this.stats.capturingUsers} ${this.stats.capturingUsers === 1 ? 'user' : 'users'} every ${this.settings.probeMinutes} minutes.`;
    }
    get condition() {
        const c = this.settings && this.settings.orgCondition;
        return c ? `${c.label}: ${c.reason} ${c.fix}` : '';
    }
    /** The chosen provider's settings, a field each; the secret is required until one is stored. */
    get providerFields() {
        const { provider } = this.draft;
        return PROVIDERS[provider].fields.map((f) => ({
            ...f,
            key: `${provider}-${f.field}`,
            id: settingId(provider, f.field),
            type: f.type || 'text',
            size: f.multiline ? 'slds-col slds-size_1-of-1' : 'slds-col slds-size_1-of-2',
            required: f.secret ? this.secretRequired : true,
            help: f.secret ? this.secretHelp : undefined,
            value: this.draft[f.field]
        }));
    }
    get secretSet() {
        return !!(
            this.settings &&
            this.settings.secretSet &&
            this.settings.provider === this.draft.provider
        );
    }
    get secretHelp() {
        return this.secretSet
            ? 'A secret is stored. Leave this empty to keep it; it is never shown back.'
            : 'Stored encrypted; never shown back.';
    }
    get secretRequired() {
        return !this.secretSet;
    }
    get saveLabel() {
        return this.saving ? 'Saving…' : 'Save';
    }
    get testDisabled() {
        return this.testing || !this.testUserId || !this.isSetUp;
    }
    get testLabel() {
        return this.testing ? 'Testing…' : 'Test connection';
    }
    get testText() {
        const r = this.testResult;
        if (!r) return '';
        if (r.outcome === 'ok')
            return `The connection works: Roster read ${r.email}’s mailbox and calendar.`;
        const reason = r.reason ? ` ${r.reason.label}: ${r.reason.reason} ${r.reason.fix}` : '';
        const provider =
            r.provider && r.provider.message ? ` The provider said: ${r.provider.message}` : '';
        return `Roster could not read ${r.email}’s mailbox.${reason}${provider}`;
    }

    handleField(event) {
        this.draft = { ...this.draft, [event.target.dataset.field]: event.detail.value };
        event.target.setCustomValidity('');
    }

    /** The request: blank values left out (a blank secret keeps the stored one). */
    get request() {
        const body = { provider: this.draft.provider };
        for (const { field: f } of PROVIDERS[this.draft.provider].fields) {
            const v = (this.draft[f] || '').trim();
            if (v) body[f] = v;
        }
        const minutes = Number(this.draft.probeMinutes);
        if (minutes) body.probeMinutes = minutes;
        return body;
    }

    async save() {
        if (this.saving) return;
        const inputs = [...this.template.querySelectorAll('[data-field]')];
        if (inputs.map((i) => i.reportValidity()).includes(false)) return;
        this.saving = true;
        this.saveError = undefined;
        try {
            await saveMailboxProvider({ settings: this.request });
            // The secret fields empty again: what was typed is stored, never kept on screen.
            this.draft = { ...this.draft, ...Object.fromEntries(SECRETS.map((f) => [f, ''])) };
            toastSuccess(this, `${PROVIDERS[this.draft.provider].label} was saved.`);
            await this.load();
        } catch (error) {
            this.saveError = error;
        } finally {
            this.saving = false;
        }
    }

    handleTestUser(event) {
        this.testUserId = event.detail.value;
        this.testResult = undefined;
    }

    async test() {
        if (this.testDisabled) return;
        this.testing = true;
        this.testError = undefined;
        this.testResult = undefined;
        try {
            this.testResult = await testAccess({ userId: this.testUserId });
        } catch (error) {
            this.testError = error;
        } finally {
            this.testing = false;
        }
    }
}
