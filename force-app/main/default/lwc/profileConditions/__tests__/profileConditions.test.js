import ProfileConditions from 'c/profileConditions';
import { mount, cleanup, settle, byId, click, change, clone, text } from 'roster-test';

const FIELDS = require('../../configurationProfiles/__tests__/data/getObjectFields.json').fields;

const open = (props = {}) => {
    const element = mount('c-profile-conditions', ProfileConditions, {
        fields: clone(FIELDS),
        ...props
    });
    const changes = [];
    element.addEventListener('conditionschange', (event) => changes.push(event.detail));
    return settle().then(() => ({ element, last: () => changes[changes.length - 1] }));
};

describe('c-profile-conditions', () => {
    afterEach(cleanup);

    it("offers the org's fields by label, only those a condition can use", async () => {
        const { element } = await open();
        const labels = byId(element, 'condition-field-0').options.map((o) => o.label);
        expect(labels).toContain('Type');
        expect(labels).toContain('Annual Revenue');
        expect(labels).not.toContain('Description');
        expect(byId(element, 'condition-operator-0').disabled).toBe(true);
    });

    it('offers the picklist values of a picklist field, and ticks several for "is one of"', async () => {
        const { element, last } = await open();
        await change(element, 'condition-field-0', 'Type');
        expect(byId(element, 'condition-value-0').options.map((o) => o.value)).toEqual([
            'Customer',
            'Partner',
            'Prospect'
        ]);
        await change(element, 'condition-value-0', 'Partner');
        expect(last()).toEqual({
            conditions: [{ field: 'Type', operator: 'equals', value: 'Partner' }],
            complete: true
        });
        await change(element, 'condition-operator-0', 'in');
        expect(byId(element, 'condition-value-0').tagName).toBe('LIGHTNING-CHECKBOX-GROUP');
        expect(last().complete).toBe(false);
        await change(element, 'condition-value-0', ['Partner', 'Customer']);
        expect(last().conditions).toEqual([
            { field: 'Type', operator: 'in', value: ['Partner', 'Customer'] }
        ]);
    });

    it("offers only the operators a field's type takes, with a number input for a number", async () => {
        const { element, last } = await open();
        await change(element, 'condition-field-0', 'AnnualRevenue');
        const operators = byId(element, 'condition-operator-0').options.map((o) => o.label);
        expect(operators).toEqual([
            'equals',
            'does not equal',
            'is one of',
            'is greater than',
            'is less than',
            'is empty'
        ]);
        await change(element, 'condition-operator-0', 'greater_than');
        expect(byId(element, 'condition-value-0').type).toBe('number');
        await change(element, 'condition-value-0', '50000');
        expect(last().conditions).toEqual([
            { field: 'AnnualRevenue', operator: 'greater_than', value: 50000 }
        ]);
        await change(element, 'condition-operator-0', 'is_empty');
        expect(byId(element, 'condition-value-0')).toBeNull();
        expect(last()).toEqual({
            conditions: [{ field: 'AnnualRevenue', operator: 'is_empty' }],
            complete: true
        });
    });

    it('holds several conditions: adds one, removes one, never the last', async () => {
        const { element, last } = await open();
        expect(byId(element, 'condition-remove-0').disabled).toBe(true);
        await change(element, 'condition-field-0', 'Name');
        await change(element, 'condition-operator-0', 'contains');
        await change(element, 'condition-value-0', 'Bank');
        await click(element, 'add-condition');
        expect(last().complete).toBe(false);
        await change(element, 'condition-field-1', 'CreatedDate');
        await change(element, 'condition-operator-1', 'greater_than');
        expect(byId(element, 'condition-value-1').type).toBe('datetime');
        await change(element, 'condition-value-1', '2026-01-31T09:00:00.000Z');
        expect(last()).toEqual({
            conditions: [
                { field: 'Name', operator: 'contains', value: 'Bank' },
                {
                    field: 'CreatedDate',
                    operator: 'greater_than',
                    value: { dateTime: '2026-01-31T09:00:00.000Z' }
                }
            ],
            complete: true
        });
        await click(element, 'condition-remove-0');
        expect(last().conditions).toEqual([
            {
                field: 'CreatedDate',
                operator: 'greater_than',
                value: { dateTime: '2026-01-31T09:00:00.000Z' }
            }
        ]);
    });

    it('shows saved conditions for editing, the ticked values included', async () => {
        const { element } = await open({
            conditions: [
                { field: 'Industry', operator: 'in', value: ['Banking', 'Retail'] },
                { field: 'Owner.Name', operator: 'equals', value: 'Ann' }
            ]
        });
        expect(byId(element, 'condition-value-0').value).toEqual(['Banking', 'Retail']);
        expect(byId(element, 'condition-field-1').value).toBe('Owner.Name');
        expect(byId(element, 'condition-value-1').value).toBe('Ann');
    });

    it('sorts by a sortable field with a direction for sort-based ranking', async () => {
        const { element, last } = await open({ kind: 'sort' });
        await change(element, 'condition-field-0', 'CreatedDate');
        await change(element, 'condition-direction-0', 'asc');
        expect(byId(element, 'condition-operator-0')).toBeNull();
        expect(last().conditions).toEqual([
            { kind: 'sort', field: 'CreatedDate', direction: 'asc' }
        ]);
    });

    it("shows the service's refusal on the condition it names", async () => {
        const { element } = await open({
            conditions: [
                { field: 'Type', operator: 'equals', value: 'Partner' },
                { field: 'Name', operator: 'equals', value: 'x' }
            ],
            errors: [
                { index: 1, message: 'Account has no field "Tier__c" in this Salesforce org.' }
            ]
        });
        expect(text(element, 'condition-error-1')).toBe(
            'Account has no field "Tier__c" in this Salesforce org.'
        );
        expect(byId(element, 'condition-error-0')).toBeNull();
    });

    it('is accessible', async () => {
        const { element } = await open({
            conditions: [{ field: 'Type', operator: 'equals', value: 'Partner' }]
        });
        await expect(element).toBeAccessible();
    });
});
