import AuditLog from 'c/auditLog';
import listAuditLog from '@salesforce/apex/AuditController.listAuditLog';
import listUsers from '@salesforce/apex/UsersController.listUsers';
import {
    mount,
    cleanup,
    settle,
    byId,
    text,
    change,
    click,
    apexError,
    clone,
    words,
    calloutsMade
} from 'roster-test';

const LOG = require('./data/listAuditLog.json');
const USERS = require('./data/listUsers.json');
const [SUSPENDED, MOVED, RENAMED] = LOG.items;
const [ADA, GRACE] = USERS.items;

async function openScreen(log = LOG) {
    listAuditLog.mockResolvedValue(clone(log));
    listUsers.mockResolvedValue(clone(USERS));
    const element = mount('c-audit-log', AuditLog);
    await settle();
    return element;
}

/** What the last call asked the service for, without the filters left empty. */
const lastQuery = () => {
    const { query } = listAuditLog.mock.calls[listAuditLog.mock.calls.length - 1][0];
    return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== null));
};
const cells = (element, entry) =>
    [...byId(element, `entry-${entry.id}`).querySelectorAll('td')].map((td) => words(td));

/** What a c-roster-lookup reports when the admin picks someone in it. */
async function pickIn(element, id, user) {
    byId(element, id).dispatchEvent(
        new CustomEvent('change', {
            detail: { value: user.id, label: `${user.firstName} ${user.lastName}` }
        })
    );
    await settle();
}

describe('c-audit-log', () => {
    afterEach(cleanup);

    it('lists the newest changes first: who, what, about whom, before and after, people by name', async () => {
        const element = await openScreen();
        expect(lastQuery()).toEqual({ limit: 50 });
        expect(listUsers).toHaveBeenCalledWith({
            query: { ids: [ADA.id, GRACE.id, USERS.items[2].id].join(','), limit: 3 }
        });
        expect(cells(element, SUSPENDED).slice(1)).toEqual([
            'Ada Lovelace (ada@example.com)',
            'User suspended',
            'Grace Hopper (grace@example.com)',
            'status: active → suspended; reason: Parental leave'
        ]);
        expect(byId(element, `entry-${SUSPENDED.id}`).querySelector('c-roster-time').value).toBe(
            SUSPENDED.at
        );
        expect(cells(element, MOVED).slice(1, 3)).toEqual([
            'Salesforce sync',
            'User moved to another team'
        ]);
        expect(cells(element, RENAMED).slice(2, 4)).toEqual(['Team renamed', 'team']);
    });

    it('shows the full value of a truncated cell on hover and on keyboard focus', async () => {
        const element = await openScreen();
        const details = byId(element, `entry-${SUSPENDED.id}`).querySelectorAll('.slds-truncate');
        const last = details[details.length - 1];
        expect(last.title).toBe('status: active → suspended; reason: Parental leave');
        expect(last.getAttribute('tabindex')).toBe('0');
    });

    it('filters by who made the change, the action, the user it was about and the days', async () => {
        const element = await openScreen();
        await change(element, 'filter-actor', 'sync');
        expect(lastQuery()).toMatchObject({ actor: 'sync' });
        await change(element, 'filter-actor', 'person');
        await pickIn(element, 'filter-actor-user', ADA);
        expect(lastQuery()).toMatchObject({ actor: ADA.id });
        await change(element, 'filter-action', 'user.suspend');
        await pickIn(element, 'filter-user', GRACE);
        await change(element, 'filter-from', '2026-11-20');
        await change(element, 'filter-to', '2026-11-22');
        expect(lastQuery()).toEqual({
            actor: ADA.id,
            action: 'user.suspend',
            targetType: 'user',
            targetId: GRACE.id,
            // The admin's own days: local midnight of the first, and of the day after the last.
            from: new Date(2026, 10, 20).toISOString(),
            to: new Date(2026, 10, 23).toISOString(),
            limit: 50
        });
        await click(element, 'clear-filters');
        expect(lastQuery()).toEqual({ limit: 50 });
    });

    it('says the days are the wrong way round instead of asking the service', async () => {
        const element = await openScreen();
        const calls = listAuditLog.mock.calls.length;
        await change(element, 'filter-from', '2026-11-22');
        await change(element, 'filter-to', '2026-11-20');
        expect(text(element, 'filter-error')).toBe('The first day must not be after the last day.');
        expect(listAuditLog.mock.calls.length).toBe(calls + 1);
    });

    it('pages to older entries and back to newer ones', async () => {
        const element = await openScreen();
        expect(byId(element, 'page-newer').disabled).toBe(true);
        listAuditLog.mockResolvedValue({ items: [], nextCursor: null });
        await click(element, 'page-older');
        expect(lastQuery()).toEqual({ limit: 50, cursor: LOG.nextCursor });
        expect(text(element, 'page-number')).toBe('Page 2');
        expect(byId(element, 'page-older').disabled).toBe(true);
        expect(text(element, 'empty-audit-log')).toBe('No changes match these filters.');
        listAuditLog.mockResolvedValue(clone(LOG));
        await click(element, 'page-newer');
        expect(lastQuery()).toEqual({ limit: 50 });
        expect(text(element, 'page-number')).toBe('Page 1');
    });

    it("shows the service's message when the log cannot be read", async () => {
        listAuditLog.mockRejectedValue(apexError('The Roster service could not be reached.'));
        listUsers.mockResolvedValue(clone(USERS));
        const element = mount('c-audit-log', AuditLog);
        await settle();
        const page = element.shadowRoot.querySelector('c-roster-page');
        expect(page.errors.body.message).toBe('The Roster service could not be reached.');
        expect(byId(element, 'empty-audit-log')).toBeNull();
    });

    it('is accessible', async () => {
        const element = await openScreen();
        await expect(element).toBeAccessible();
    });

    it('opens with at most two callouts: the page of entries, then the names it shows', async () => {
        await openScreen();
        expect(calloutsMade()).toEqual([
            'AuditController.listAuditLog',
            'UsersController.listUsers'
        ]);
    });
});
