import Notice from 'c/notice';
import { mount, cleanup, settle } from 'roster-test';

describe('c-notice', () => {
    afterEach(cleanup);

    it('is an info notice that screen readers announce politely, around its content', async () => {
        const element = mount('c-notice', Notice);
        await settle();
        const box = element.shadowRoot.querySelector('div');
        expect(box.getAttribute('role')).toBe('status');
        expect(box.classList).toContain('slds-alert_info');
        expect(box.querySelector('slot')).not.toBeNull();
    });

    it('is a warning when asked, read out at once when it stops the admin', async () => {
        const element = mount('c-notice', Notice, { variant: 'warning', assertive: true });
        await settle();
        const box = element.shadowRoot.querySelector('div');
        expect(box.classList).toContain('slds-alert_warning');
        expect(box.classList).not.toContain('slds-alert_info');
        expect(box.getAttribute('role')).toBe('alert');
    });

    it('is accessible', async () => {
        const element = mount('c-notice', Notice);
        await settle();
        await expect(element).toBeAccessible();
    });
});
