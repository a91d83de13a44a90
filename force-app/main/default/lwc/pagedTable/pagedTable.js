import { LightningElement, api } from 'lwc';

/**
 * A plain SLDS table shown a page at a time, for previews that can list thousands of rows. Each cell carries its
 * full value as a title, so a truncated value shows on hover (and, focusable, on focus). With `selectable`, each
 * row has a checkbox, checked = included; `excludechange` reports the keys the admin unchecked.
 *
 *   columns: [{ key, label }]   rows: [{ key, cells: { [columnKey]: text }, label? }]
 */
export default class PagedTable extends LightningElement {
    @api columns = [];
    @api pageSize = 10;
    @api caption;
    @api selectable = false;
    @api excludedKeys = [];
    page = 0;
    _rows = [];

    @api
    get rows() {
        return this._rows;
    }
    set rows(value) {
        this._rows = value || [];
        // A new list starts at its first page; a shorter one never leaves the page past its end.
        if (this.page * this.pageSize >= this._rows.length) this.page = 0;
    }

    get pageCount() {
        return Math.max(1, Math.ceil(this._rows.length / this.pageSize));
    }
    get visibleRows() {
        const excluded = new Set(this.excludedKeys || []);
        const start = this.page * this.pageSize;
        return this._rows.slice(start, start + this.pageSize).map((row) => ({
            key: row.key,
            dataId: `row-${row.key}`,
            included: !excluded.has(row.key),
            checkboxLabel: `Include ${row.label || row.key}`,
            cells: this.columns.map((column) => {
                const value = row.cells[column.key];
                const shown = value === undefined || value === null ? '' : String(value);
                return { key: column.key, value: shown };
            })
        }));
    }
    get hasRows() {
        return this._rows.length > 0;
    }
    get range() {
        const start = this.page * this.pageSize;
        const end = Math.min(start + this.pageSize, this._rows.length);
        return `${(start + 1).toLocaleString()}–${end.toLocaleString()} of ${this._rows.length.toLocaleString()}`;
    }
    get isPaged() {
        return this._rows.length > this.pageSize;
    }
    get previousDisabled() {
        return this.page === 0;
    }
    get nextDisabled() {
        return this.page >= this.pageCount - 1;
    }

    previous() {
        if (this.page > 0) this.page -= 1;
    }
    next() {
        if (this.page < this.pageCount - 1) this.page += 1;
    }

    handleInclude(event) {
        const key = event.target.dataset.key;
        const excluded = new Set(this.excludedKeys || []);
        if (event.target.checked) excluded.delete(key);
        else excluded.add(key);
        this.dispatchEvent(new CustomEvent('excludechange', { detail: { keys: [...excluded] } }));
    }
}
