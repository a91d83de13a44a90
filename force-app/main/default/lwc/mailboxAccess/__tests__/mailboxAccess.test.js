import MailboxAccess from 'c/mailboxAccess';
import getMailboxStats from '@salesforce/apex/PermissionErrorsController.getMailboxStats';
import getMailboxProvider from '@salesforce/apex/PermissionErrorsController.getMailboxProvider';
import saveMailboxProvider from '@salesforce/apex/PermissionErrorsController.saveMailboxProvider';
import testAccess from '@salesforce/apex/PermissionErrorsController.testAccess';
import {
    mount,
    cleanup,
    settle,
    byId,
    text,
    click,
    change,
    apexError,
    errorText,
    captureToasts,
    calloutsMade
} from 'roster-test';

const STATS = { provider: 'microsoft', capturingUsers: 42, orgCondition: null };
const PROVIDER = {
    provider: 'microsoft',
    settings: {
        tenantId: 'contoso.onmicrosoft.com',
        clientId: '6f1b2c3d-0000-4000-8000-000000000001'
    },
    secretSet: true,
    probeMinutes: 15,
    orgCondition: null,
    updatedAt: '2026-11-30T10:00:00.000Z'
};
const USER_ID = '00000000-0000-4000-8000-000000000021';

async function openScreen({ stats = STATS, provider = PROVIDER } = {}) {
    getMailboxStats.mockResolvedValue(stats);
    getMailboxProvider.mockResolvedValue(provider);
    const element = mount('c-mailbox-access', MailboxAccess);
    await settle();
    return element;
}

describe('c-mailbox-access', () => {
    afterEach(cleanup);

    it('says no provider is set up, and asks for the secret', async () => {
        const element = await openScreen({ stats: { ...STATS, provider: null } });
        expect(getMailboxProvider).not.toHaveBeenCalled();
        expect(text(element, 'mailbox-state')).toContain('No mailbox provider is set up yet');
        expect(byId(element, 'microsoft-client-secret').required).toBe(true);
        expect(byId(element, 'test-connection').disabled).toBe(true);
    });

    it('enters Microsoft 365 credentials once and never shows the secret back', async () => {
        saveMailboxProvider.mockResolvedValue(PROVIDER);
        const element = await openScreen({ stats: { ...STATS, provider: null } });
        const toasts = captureToasts();
        await change(element, 'microsoft-tenant-id', 'contoso.onmicrosoft.com');
        await change(element, 'microsoft-client-id', PROVIDER.settings.clientId);
        await change(element, 'microsoft-client-secret', 's3cr3t~value');
        getMailboxStats.mockResolvedValue(STATS);
        await click(element, 'save-mailbox');
        expect(saveMailboxProvider).toHaveBeenCalledWith({
            settings: {
                provider: 'microsoft',
                tenantId: 'contoso.onmicrosoft.com',
                clientId: PROVIDER.settings.clientId,
                clientSecret: 's3cr3t~value'
            }
        });
        expect(toasts[0].title).toBe('Microsoft 365 was saved.');
        expect(byId(element, 'microsoft-client-secret').value).toBeFalsy();
        expect(byId(element, 'microsoft-client-secret').required).toBe(false);
        expect(text(element, 'mailbox-state')).toContain(
            'Microsoft 365 is set up (last changed Nov 30, 2026, 10:00 AM UTC). Roster checks 42 users every 15 minutes.'
        );
    });

    it('keeps the stored secret when the admin changes another field', async () => {
        saveMailboxProvider.mockResolvedValue(PROVIDER);
        const element = await openScreen();
        expect(byId(element, 'microsoft-tenant-id').value).toBe('contoso.onmicrosoft.com');
        await change(element, 'probe-minutes', '30');
        await click(element, 'save-mailbox');
        expect(saveMailboxProvider.mock.calls[0][0].settings).toEqual({
            provider: 'microsoft',
            tenantId: 'contoso.onmicrosoft.com',
            clientId: PROVIDER.settings.clientId,
            probeMinutes: 30
        });
    });

    it('asks for a Google service account when the admin switches to Google Workspace', async () => {
        const element = await openScreen({ stats: { ...STATS, provider: null } });
        await change(element, 'mailbox-provider', 'google');
        expect(byId(element, 'google-client-email')).not.toBeNull();
        expect(byId(element, 'google-private-key').required).toBe(true);
        expect(byId(element, 'microsoft-tenant-id')).toBeNull();
    });

    it("shows the service's refusal beside the form", async () => {
        saveMailboxProvider.mockRejectedValue(
            apexError('clientId: must be the numeric OAuth client id')
        );
        const element = await openScreen({ stats: { ...STATS, provider: null } });
        await change(element, 'mailbox-provider', 'google');
        await click(element, 'save-mailbox');
        expect(errorText(element)).toContain('must be the numeric OAuth client id');
    });

    it('tests the connection by checking one user now, and says what the provider said', async () => {
        testAccess.mockResolvedValue({
            userId: USER_ID,
            email: 'grace@example.com',
            outcome: 'error',
            reason: {
                label: 'Not in the authorized group',
                reason: 'The user is outside the mail-enabled security group.',
                fix: 'Add them to the group.'
            },
            provider: { message: 'ErrorAccessDenied' }
        });
        const element = await openScreen();
        byId(element, 'test-user').dispatchEvent(
            new CustomEvent('change', { detail: { value: USER_ID, label: 'Grace Hopper' } })
        );
        await settle();
        await click(element, 'test-connection');
        expect(testAccess).toHaveBeenCalledWith({ userId: USER_ID });
        expect(text(element, 'test-result')).toBe(
            'Roster could not read grace@example.com’s mailbox. Not in the authorized group: The user is outside the mail-enabled security group. Add them to the group. The provider said: ErrorAccessDenied'
        );
    });

    it('is accessible', async () => {
        const element = await openScreen();
        await expect(element).toBeAccessible();
    });

    it('opens with at most two callouts: the probe statistics, then the provider once one is set up', async () => {
        await openScreen();
        expect(calloutsMade()).toEqual([
            'PermissionErrorsController.getMailboxStats',
            'PermissionErrorsController.getMailboxProvider'
        ]);
    });
});
