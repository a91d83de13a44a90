/**
 * Which operators each kind of field takes: the same table as the service's sync-service/src/matching/field-types.ts
 * (a unit test there compares the two), kept free of imports so that test can read it.
 */
export const KIND_OF_TYPE = {
    int: 'number',
    double: 'number',
    currency: 'number',
    percent: 'number',
    long: 'number',
    date: 'date',
    datetime: 'dateTime',
    boolean: 'boolean',
    multipicklist: 'multiText'
};
export const OPERATORS_BY_KIND = {
    text: ['equals', 'not_equals', 'in', 'contains', 'is_empty'],
    multiText: ['equals', 'not_equals', 'is_empty'],
    number: ['equals', 'not_equals', 'in', 'greater_than', 'less_than', 'is_empty'],
    date: ['equals', 'not_equals', 'in', 'greater_than', 'less_than', 'is_empty'],
    dateTime: ['equals', 'not_equals', 'greater_than', 'less_than', 'is_empty'],
    boolean: ['equals', 'not_equals']
};
