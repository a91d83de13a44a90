import { LightningElement, api } from 'lwc';
import { listUsers } from 'c/rosterService';

const DEBOUNCE_MS = 300;
const MAX_RESULTS = 10;
let instances = 0;

export const userName = (u) => [u.firstName, u.lastName].filter(Boolean).join(' ') || u.email;

/** A user as a lookup shows them: name, then email and team, so two Alex Kims can be told apart. */
const userOption = (u) => ({
    id: u.id,
    label: userName(u),
    meta: [u.email, u.teamName].filter(Boolean).join(' · '),
    record: u
});
const teamOption = (t) => ({ id: t.id, label: t.name, meta: t.path, record: t });

/**
 * The one way to pick a user or a team, at any org size: a type-ahead (SLDS lookup) that asks the service
 * as the admin types (debounced), shows email and team, and works by keyboard (arrows, Enter, Escape).
 * Users are searched by the service; teams are searched in the team list the page already holds.
 * Single: `value` is an id and `change` carries { value, record }. Multiple: `value` is a list of ids shown
 * as pills (labels from `selections`), and `change` carries { value, selections }.
 */
export default class RosterLookup extends LightningElement {
    @api label;
    @api kind = 'user';
    @api placeholder;
    @api required = false;
    @api disabled = false;
    @api multiple = false;
    @api variant = 'standard';
    /** For kind="team": the teams to search (c/teamTreeUtils flattenTeams). */
    @api teams = [];
    /** Users or teams never offered (e.g. members already chosen elsewhere). */
    @api excludeIds = [];
    /** Labels of the selected ids: [{ id, label }] (multiple), or the selected label (single). */
    @api
    get selections() {
        return this._selections;
    }
    set selections(value) {
        this._selections = Array.isArray(value) ? value : [];
    }
    @api
    get selectedLabel() {
        return this._label;
    }
    set selectedLabel(value) {
        this._label = value || '';
    }
    @api
    get value() {
        return this._value;
    }
    set value(v) {
        this._value = v;
    }

    _value;
    _label = '';
    _selections = [];
    searchText = '';
    results = [];
    activeIndex = -1;
    open = false;
    searching = false;
    searchError;
    uid = `lookup-${++instances}`;

    get listboxId() {
        return `${this.uid}-listbox`;
    }
    get inputId() {
        return `${this.uid}-input`;
    }
    get hasSingleSelection() {
        return !this.multiple && !!this._value;
    }
    get singleLabel() {
        return this._label || this._value;
    }
    get pills() {
        if (!this.multiple) return [];
        const ids = Array.isArray(this._value) ? this._value : [];
        const labels = new Map(this._selections.map((s) => [s.id, s.label]));
        return ids.map((id) => ({ name: id, label: labels.get(id) || id }));
    }
    get hasPills() {
        return this.pills.length > 0;
    }
    get comboboxClass() {
        return `slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click${this.open ? ' slds-is-open' : ''}`;
    }
    get formElementClass() {
        return `slds-form-element${this.searchError ? ' slds-has-error' : ''}`;
    }
    get labelClass() {
        return this.variant === 'label-hidden' ? 'slds-assistive-text' : 'slds-form-element__label';
    }
    get expanded() {
        return this.open ? 'true' : 'false';
    }
    get activeDescendant() {
        const option = this.options[this.activeIndex];
        return option ? option.optionId : undefined;
    }
    get options() {
        return this.results.map((r, i) => ({
            ...r,
            optionId: `${this.uid}-option-${i}`,
            selected: i === this.activeIndex ? 'true' : 'false',
            className: `slds-media slds-listbox__option slds-listbox__option_entity slds-listbox__option_has-meta${i === this.activeIndex ? ' slds-has-focus' : ''}`,
            index: i
        }));
    }
    get showNoResults() {
        return this.open && !this.searching && this.searchText.trim() && this.results.length === 0;
    }
    get iconName() {
        return this.kind === 'team' ? 'standard:groups' : 'standard:user';
    }
    get searchPlaceholder() {
        return (
            this.placeholder ||
            (this.kind === 'team' ? 'Search teams…' : 'Search by name or email…')
        );
    }

    handleInput(event) {
        this.searchText = event.target.value;
        this.open = true;
        clearTimeout(this.timer);
        if (!this.searchText.trim()) {
            this.results = [];
            this.activeIndex = -1;
            return;
        }
        this.searching = true;
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.timer = setTimeout(() => this.search(this.searchText.trim()), DEBOUNCE_MS);
    }

    async search(text) {
        const excluded = new Set(this.excludeIds || []);
        try {
            let found;
            if (this.kind === 'team') {
                const needle = text.toLowerCase();
                found = (this.teams || [])
                    .filter((t) => (t.path || t.name).toLowerCase().includes(needle))
                    .map(teamOption);
            } else {
                const page = await listUsers({
                    query: { search: text, sort: 'name', limit: MAX_RESULTS + excluded.size }
                });
                found = page.items.map(userOption);
            }
            // An answer to an older search arriving late must not replace the newer one.
            if (text !== this.searchText.trim()) return;
            this.results = found.filter((r) => !excluded.has(r.id)).slice(0, MAX_RESULTS);
            this.activeIndex = this.results.length ? 0 : -1;
            this.searchError = undefined;
        } catch {
            this.searchError = 'Search failed: try again.';
            this.results = [];
        } finally {
            this.searching = false;
        }
    }

    handleKeydown(event) {
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            if (!this.results.length) return;
            this.open = true;
            const step = event.key === 'ArrowDown' ? 1 : -1;
            this.activeIndex =
                (this.activeIndex + step + this.results.length) % this.results.length;
        } else if (event.key === 'Enter') {
            if (this.open && this.activeIndex >= 0) {
                event.preventDefault();
                this.choose(this.results[this.activeIndex]);
            }
        } else if (event.key === 'Escape' && this.open) {
            // Closes the list only; a second Escape reaches the dialog around it.
            event.stopPropagation();
            this.open = false;
        }
    }

    handleBlur() {
        // Late enough for a click on an option to land first.
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        setTimeout(() => {
            this.open = false;
        }, 200);
    }

    handleOptionClick(event) {
        this.choose(this.results[Number(event.currentTarget.dataset.index)]);
    }

    handleOptionMouseDown(event) {
        event.preventDefault(); // keeps focus in the input
    }

    choose(option) {
        if (!option) return;
        this.open = false;
        this.searchText = '';
        this.results = [];
        this.activeIndex = -1;
        if (this.multiple) {
            const ids = Array.isArray(this._value) ? this._value : [];
            if (ids.includes(option.id)) return;
            this._value = [...ids, option.id];
            this._selections = [...this._selections, { id: option.id, label: option.label }];
            this.notify({
                value: this._value,
                selections: this._selections,
                record: option.record
            });
        } else {
            this._value = option.id;
            this._label = option.label;
            this.notify({ value: option.id, record: option.record, label: option.label });
        }
    }

    handleRemovePill(event) {
        const id = event.detail.item ? event.detail.item.name : event.target.name;
        this._value = (this._value || []).filter((v) => v !== id);
        this._selections = this._selections.filter((s) => s.id !== id);
        this.notify({ value: this._value, selections: this._selections });
    }

    clearSelection() {
        this._value = null;
        this._label = '';
        this.notify({ value: null, record: null, label: '' });
        Promise.resolve().then(() => {
            const input = this.template.querySelector('input');
            if (input) input.focus();
        });
    }

    notify(detail) {
        this.dispatchEvent(new CustomEvent('change', { detail }));
    }

    @api
    focus() {
        const target = this.template.querySelector('input, button');
        if (target) target.focus();
    }

    disconnectedCallback() {
        clearTimeout(this.timer);
    }
}
