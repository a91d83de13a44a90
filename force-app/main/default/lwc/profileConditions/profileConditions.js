import { LightningElement, api } from 'lwc';
import {
    fieldOptions,
    findField,
    hasValue,
    operatorOptions,
    toRaw,
    toValue,
    valueInput
} from 'c/profileFields';

let nextKey = 0;
const DIRECTIONS = [
    { value: 'asc', label: 'Ascending' },
    { value: 'desc', label: 'Descending' }
];
const BOOLEANS = [
    { value: 'true', label: 'True' },
    { value: 'false', label: 'False' }
];

/**
 * The conditions of one group, each picked from the org's fields: a field, then the operators its type takes
 * (or a direction, for sort-based ranking) and a value input to match (picklist values offered). Sends `conditionschange`
 * with the conditions as the service takes them and whether every one is complete.
 */
export default class ProfileConditions extends LightningElement {
    /** filter: eligibility; select or sort: a ranking group's kind. */
    @api kind = 'filter';
    @api disabled = false;
    /** The service's refusal per condition: [{ index, message }]. */
    @api errors = [];
    _fields = [];
    rows = [];

    @api
    get fields() {
        return this._fields;
    }
    set fields(value) {
        this._fields = value || [];
        // Fields that arrive after the conditions decide how their values are shown (ticked picklist values).
        if (this._initial && !this._edited) this.load(this._initial);
    }

    @api
    get conditions() {
        return this.rows.map((r) => this.toCondition(r));
    }
    set conditions(value) {
        this._initial = value;
        this.load(value);
    }
    load(value) {
        const list = value && value.length ? value : [{}];
        this.rows = list.map((c) => {
            const field = findField(this._fields, c.field);
            const operator = c.operator || 'equals';
            return {
                key: `condition-${(nextKey += 1)}`,
                field: c.field || '',
                operator,
                direction: c.direction || 'desc',
                raw: c.field ? toRaw(field, operator, c.value) : ''
            };
        });
    }

    connectedCallback() {
        if (!this.rows.length) this.load([]);
    }

    get isSort() {
        return this.kind === 'sort';
    }
    get removeDisabled() {
        return this.disabled || this.rows.length < 2;
    }
    get view() {
        const errors = this.errors || [];
        return this.rows.map((row, index) => {
            const field = findField(this._fields, row.field);
            const input = row.field ? valueInput(field, row.operator) : { kind: 'none' };
            const n = index + 1;
            const error = errors.find((e) => e.index === index);
            return {
                ...row,
                index,
                fieldLabel: `Condition ${n} field`,
                operatorLabel: `Condition ${n} operator`,
                valueLabel: `Condition ${n} value`,
                directionLabel: `Condition ${n} direction`,
                removeLabel: `Remove condition ${n}`,
                fieldOptions: fieldOptions(
                    this._fields,
                    this.isSort ? 'sort' : 'filter',
                    row.field
                ),
                operatorOptions: operatorOptions(field),
                noField: !row.field,
                // One value from a list: a picklist's values, or true/false for a checkbox.
                showChoice: input.kind === 'picklist' || input.kind === 'boolean',
                showPicklistMany: input.kind === 'picklistMany',
                showInput: input.kind === 'input' || input.kind === 'list',
                valueOptions:
                    input.kind === 'boolean'
                        ? BOOLEANS
                        : (input.options || []).map((p) => ({ value: p.value, label: p.label })),
                inputType: input.type || 'text',
                placeholder: input.kind === 'list' ? 'Values separated by commas' : '',
                error: error && error.message,
                rowClass: `slds-grid slds-wrap slds-gutters_x-small slds-grid_vertical-align-end slds-m-bottom_x-small${error ? ' slds-has-error' : ''}`,
                dataId: `condition-${index}`,
                fieldId: `condition-field-${index}`,
                operatorId: `condition-operator-${index}`,
                valueId: `condition-value-${index}`,
                directionId: `condition-direction-${index}`,
                errorId: `condition-error-${index}`,
                removeId: `condition-remove-${index}`
            };
        });
    }
    directionOptions = DIRECTIONS;

    toCondition(row) {
        if (this.isSort) return { kind: 'sort', field: row.field, direction: row.direction };
        const field = findField(this._fields, row.field);
        const condition = { field: row.field, operator: row.operator };
        const value = toValue(field, row.operator, row.raw);
        if (value !== undefined) condition.value = value;
        return this.kind === 'select' ? { kind: 'select', ...condition } : condition;
    }
    isComplete(row) {
        if (!row.field) return false;
        if (this.isSort) return true;
        return hasValue(findField(this._fields, row.field), row.operator, row.raw);
    }

    handlePart(event) {
        const index = Number(event.target.dataset.index);
        const part = event.target.dataset.part;
        const value = event.detail.value;
        this.rows = this.rows.map((row, i) => {
            if (i !== index) return row;
            if (part !== 'field') return { ...row, [part]: value };
            // A new field starts over: its type decides the operators and the value input.
            const options = operatorOptions(findField(this._fields, value));
            const operator = options.some((o) => o.value === row.operator)
                ? row.operator
                : options[0].value;
            return { ...row, field: value, operator, raw: '' };
        });
        if (part === 'operator') {
            const row = this.rows[index];
            const kind = valueInput(findField(this._fields, row.field), row.operator).kind;
            if (kind === 'picklistMany' && !Array.isArray(row.raw))
                this.rows = this.rows.map((r, i) => (i === index ? { ...r, raw: [] } : r));
            if (kind !== 'picklistMany' && Array.isArray(row.raw))
                this.rows = this.rows.map((r, i) => (i === index ? { ...r, raw: '' } : r));
        }
        this.notify();
    }
    addCondition() {
        this.rows = [
            ...this.rows,
            {
                key: `condition-${(nextKey += 1)}`,
                field: '',
                operator: 'equals',
                direction: 'desc',
                raw: ''
            }
        ];
        this.notify();
    }
    removeCondition(event) {
        const index = Number(event.currentTarget.dataset.index);
        this.rows = this.rows.filter((r, i) => i !== index);
        this.notify();
    }
    notify() {
        this._edited = true;
        this.dispatchEvent(
            new CustomEvent('conditionschange', {
                detail: {
                    conditions: this.rows.map((r) => this.toCondition(r)),
                    complete: this.rows.every((r) => this.isComplete(r))
                }
            })
        );
    }
}
