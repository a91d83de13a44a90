import RosterTime from 'c/rosterTime';
import { mount, cleanup, settle } from 'roster-test';

describe('c-roster-time', () => {
    afterEach(cleanup);

    const shown = (element) => element.shadowRoot.querySelector('lightning-formatted-date-time');

    it('shows the day, month, year and time of the moment it is given', async () => {
        const element = mount('c-roster-time', RosterTime, { value: '2026-12-02T08:15:00.000Z' });
        await settle();
        expect(shown(element).value).toBe('2026-12-02T08:15:00.000Z');
        expect(shown(element).year).toBe('numeric');
        expect(shown(element).minute).toBe('2-digit');
    });

    it('leaves the year out where a table asks it to', async () => {
        const element = mount('c-roster-time', RosterTime, {
            value: '2026-12-02T08:15:00.000Z',
            withoutYear: true
        });
        await settle();
        expect(shown(element).year).toBeUndefined();
        expect(shown(element).month).toBe('short');
    });
});
