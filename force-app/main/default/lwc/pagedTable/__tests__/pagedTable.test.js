import PagedTable from 'c/pagedTable';
import { mount, cleanup, settle, byId, text, click, words } from 'roster-test';

const COLUMNS = [
    { key: 'email', label: 'User' },
    { key: 'change', label: 'What changes' }
];
const rows = (n) =>
    Array.from({ length: n }, (_, i) => ({
        key: `u${i + 1}`,
        label: `user${i + 1}@example.com`,
        cells: {
            email: `user${i + 1}@example.com`,
            change: `Profile: Default - Intake Off → Sales - Full Sync (${i + 1})`
        }
    }));
const bodyRows = (element) =>
    [...byId(element, 'table').querySelectorAll('tbody tr')].map((tr) => words(tr));

describe('c-paged-table', () => {
    afterEach(cleanup);

    it('shows ten rows a page, with where the admin is and Previous and Next', async () => {
        const element = mount('c-paged-table', PagedTable, { columns: COLUMNS, rows: rows(23) });
        await settle();
        expect(bodyRows(element)).toHaveLength(10);
        expect(text(element, 'page-range')).toBe('1–10 of 23');
        expect(byId(element, 'page-previous').disabled).toBe(true);
        await click(element, 'page-next');
        await click(element, 'page-next');
        expect(text(element, 'page-range')).toBe('21–23 of 23');
        expect(bodyRows(element)[2]).toBe(
            'user23@example.com Profile: Default - Intake Off → Sales - Full Sync (23)'
        );
        expect(byId(element, 'page-next').disabled).toBe(true);
    });

    it('needs no paging for a short list', async () => {
        const element = mount('c-paged-table', PagedTable, { columns: COLUMNS, rows: rows(3) });
        await settle();
        expect(bodyRows(element)).toHaveLength(3);
        expect(byId(element, 'page-range')).toBeNull();
    });

    it('gives every cell its full value as a title, reachable by keyboard, for when it is cut off', async () => {
        const element = mount('c-paged-table', PagedTable, { columns: COLUMNS, rows: rows(1) });
        await settle();
        const cells = [...byId(element, 'row-u1').querySelectorAll('.slds-truncate')];
        expect(cells.map((c) => c.title)).toEqual([
            'user1@example.com',
            'Profile: Default - Intake Off → Sales - Full Sync (1)'
        ]);
        expect(cells.every((c) => c.getAttribute('tabindex') === '0')).toBe(true);
    });

    it('reports which rows the admin unchecked, when rows can be left out', async () => {
        const element = mount('c-paged-table', PagedTable, {
            columns: COLUMNS,
            rows: rows(2),
            selectable: true
        });
        const changes = [];
        element.addEventListener('excludechange', (e) => changes.push(e.detail.keys));
        await settle();
        const box = byId(element, 'row-u2').querySelector('input[type="checkbox"]');
        expect(box.checked).toBe(true);
        box.checked = false;
        box.dispatchEvent(new CustomEvent('change'));
        expect(changes).toEqual([['u2']]);
        element.excludedKeys = ['u2'];
        await settle();
        expect(byId(element, 'row-u2').querySelector('input').checked).toBe(false);
    });

    it('is accessible', async () => {
        const element = mount('c-paged-table', PagedTable, {
            columns: COLUMNS,
            rows: rows(12),
            selectable: true,
            caption: 'What would change'
        });
        await settle();
        await expect(element).toBeAccessible();
    });
});
