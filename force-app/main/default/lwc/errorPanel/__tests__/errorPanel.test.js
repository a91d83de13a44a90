import ErrorPanel from 'c/errorPanel';
import { reduceErrors } from 'c/reduceErrors';
import { mount, cleanup, settle, words, apexError } from 'roster-test';

describe('c-error-panel and reduceErrors', () => {
    afterEach(cleanup);

    it('reads every shape of error the screens meet as plain messages', () => {
        expect(
            reduceErrors([
                apexError('The email is already used by ada@example.com.'),
                { body: [{ message: 'Record not found' }] },
                { body: { pageErrors: [{ message: 'Insufficient access' }] } },
                new Error('Network down'),
                'Plain text',
                undefined
            ])
        ).toEqual([
            'The email is already used by ada@example.com.',
            'Record not found',
            'Insufficient access',
            'Network down',
            'Plain text'
        ]);
    });

    it('shows the friendly line and each message, and nothing when there is no error', async () => {
        const element = mount('c-error-panel', ErrorPanel, {
            friendlyMessage: 'The user was not saved.',
            errors: apexError('Role must be Admin, Manager, Member or Data.')
        });
        await settle();
        expect(words(element.shadowRoot)).toBe(
            'The user was not saved. Role must be Admin, Manager, Member or Data.'
        );
        element.errors = undefined;
        await settle();
        expect(words(element.shadowRoot)).toBe('');
    });

    it('is accessible', async () => {
        const element = mount('c-error-panel', ErrorPanel, { errors: apexError('Nope.') });
        await settle();
        await expect(element).toBeAccessible();
    });
});
