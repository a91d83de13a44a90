/**
 * How the profile screens read and write conditions on the org's fields (from the service's describe route):
 * which operators a field's type takes, what value input it needs, and the value the service expects. The
 * service checks the same table when a group is saved (sync-service/src/matching/field-types.ts).
 */
import { getObjectFields } from 'c/rosterService';
import { KIND_OF_TYPE, OPERATORS_BY_KIND } from './operators';

/**
 * A lookup's parent name as a field of its own (Owner ID gives Owner Name, Owner.Name), so a condition on the
 * owner or record type reads a name, never an Id the admin would have to look up.
 */
const parentNames = (fields) =>
    fields
        .filter((f) => f.type === 'reference' && f.relationshipName && f.filterable)
        .map((f) => ({
            name: `${f.relationshipName}.Name`,
            label: `${f.label.replace(/ ID$/, '')} Name`,
            type: 'string',
            picklistValues: [],
            filterable: true,
            sortable: true,
            updateable: false,
            relationshipName: null
        }));

/** The org's fields of each object, read through the service's describe: { Account: [...], ... }. */
export async function loadObjectFields(objectTypes) {
    const lists = await Promise.all(
        objectTypes.map((objectType) => getObjectFields({ objectType }))
    );
    return Object.fromEntries(
        lists.map((l) => [
            l.objectType,
            [...l.fields, ...parentNames(l.fields)].sort((x, y) => x.label.localeCompare(y.label))
        ])
    );
}

export const OPERATOR_LABELS = {
    equals: 'equals',
    not_equals: 'does not equal',
    in: 'is one of',
    contains: 'contains',
    greater_than: 'is greater than',
    less_than: 'is less than',
    is_empty: 'is empty'
};

const INPUT_TYPES = { number: 'number', date: 'date', dateTime: 'datetime' };

export const kindOf = (field) => (field && KIND_OF_TYPE[field.type]) || 'text';

export const operatorOptions = (field) =>
    OPERATORS_BY_KIND[kindOf(field)].map((value) => ({ value, label: OPERATOR_LABELS[value] }));

/** The org's fields usable for a purpose: in a condition (filterable) or a sort (sortable), by label. */
export function fieldOptions(fields, use, keep) {
    const usable = (fields || []).filter((f) => (use === 'sort' ? f.sortable : f.filterable));
    const options = usable.map((f) => ({ value: f.name, label: f.label }));
    // A path such as Owner.Name, saved before, stays choosable as it is.
    if (keep && !options.some((o) => o.value === keep)) options.push({ value: keep, label: keep });
    return options;
}

export const findField = (fields, name) => (fields || []).find((f) => f.name === name);

/** How the value of a condition is entered for this field and operator. */
export function valueInput(field, operator) {
    if (operator === 'is_empty') return { kind: 'none' };
    const kind = kindOf(field);
    const picklist = field && field.picklistValues && field.picklistValues.length > 0;
    if (kind === 'boolean') return { kind: 'boolean' };
    if (picklist && (operator === 'equals' || operator === 'not_equals'))
        return { kind: 'picklist', options: field.picklistValues };
    if (picklist && operator === 'in')
        return { kind: 'picklistMany', options: field.picklistValues };
    if (operator === 'in') return { kind: 'list' };
    return { kind: 'input', type: INPUT_TYPES[kind] || 'text' };
}

const one = (kind, text) => {
    if (kind === 'number') return Number(text);
    if (kind === 'date') return { date: text };
    if (kind === 'dateTime') return { dateTime: text };
    return text;
};

/** The service's value from what the admin entered (text, or the ticked picklist values); undefined for none. */
export function toValue(field, operator, raw) {
    const input = valueInput(field, operator);
    if (input.kind === 'none') return undefined;
    if (input.kind === 'boolean') return raw === 'true';
    const kind = kindOf(field);
    if (input.kind === 'picklistMany') return [...(raw || [])];
    if (input.kind === 'list')
        return String(raw || '')
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean)
            .map((v) => one(kind, v));
    return one(kind, String(raw === undefined || raw === null ? '' : raw).trim());
}

const rawOne = (v) =>
    v !== null && typeof v === 'object'
        ? v.date || v.dateTime || ''
        : v === undefined
          ? ''
          : String(v);

/** What the value input shows for a saved value. */
export function toRaw(field, operator, value) {
    const input = valueInput(field, operator);
    if (input.kind === 'none') return '';
    if (input.kind === 'picklistMany') return Array.isArray(value) ? value.map(rawOne) : [];
    if (Array.isArray(value)) return value.map(rawOne).join(', ');
    return rawOne(value);
}

/** Whether the entered value is there (and a number where a number is needed). */
export function hasValue(field, operator, raw) {
    const input = valueInput(field, operator);
    if (input.kind === 'none') return true;
    if (input.kind === 'picklistMany') return Array.isArray(raw) && raw.length > 0;
    const value = toValue(field, operator, raw);
    if (Array.isArray(value)) return value.length > 0 && !value.some((v) => Number.isNaN(v));
    if (typeof value === 'number') return String(raw).trim() !== '' && !Number.isNaN(value);
    if (value && typeof value === 'object') return !!(value.date || value.dateTime);
    return value !== '';
}

/** A condition as the admin reads it, with the field's label when the org's fields are known. */
export function conditionText(c, fields) {
    const f = findField(fields, c.field);
    const name = f ? f.label : c.field;
    if (c.kind === 'sort') return `${name} ${c.direction === 'asc' ? 'ascending' : 'descending'}`;
    if (c.operator === 'is_empty') return `${name} is empty`;
    const shown = (v) => (v !== null && typeof v === 'object' ? v.date || v.dateTime : v);
    const value = Array.isArray(c.value) ? c.value.map(shown).join(', ') : shown(c.value);
    return `${name} ${OPERATOR_LABELS[c.operator] || c.operator} "${value}"`;
}

/** The org's fields of several objects as one list (a ranking group for All): each field once, by name. */
export function mergeFields(lists) {
    const seen = new Map();
    lists.flat().forEach((f) => {
        if (!seen.has(f.name)) seen.set(f.name, f);
    });
    return [...seen.values()].sort((a, b) => a.label.localeCompare(b.label));
}

const TYPES = 'Opportunity|Account|Lead';
/**
 * Which conditions a refusal from the service names, so each is shown on its condition: "This Account group,
 * condition 2: ..." (a save), 'The Account group "Gold", condition 2: ...' and 'Ranking group 1 "Soonest close",
 * condition 1: ...' (a preview), or 'The condition "Regions__c contains ..." of the Account eligibility ...'.
 */
export function namedConditions(message) {
    const text = message || '';
    const found = [];
    const part =
        /(?:This (?:(Opportunity|Account|Lead) group|ranking group)|The (Opportunity|Account|Lead) group "(.*?)"|Ranking group (\d+)(?: "(.*?)")?), condition (\d+): (.*?)(?=\s*(?:This (?:\w+ group|ranking group)|The (?:Opportunity|Account|Lead) group "|Ranking group \d+)|$)/g;
    let m;
    while ((m = part.exec(text))) {
        found.push({
            objectType: m[1] || m[2] || null,
            groupName: m[3] === undefined ? (m[5] === undefined ? null : m[5]) : m[3],
            rankingPosition: m[4] ? Number(m[4]) : null,
            index: Number(m[6]) - 1,
            message: m[7].trim()
        });
    }
    const refused = new RegExp(`^The condition "(\\S+) .*" of the (${TYPES}) eligibility`).exec(
        text
    );
    if (refused) found.push({ objectType: refused[2], field: refused[1], message: text });
    return found;
}

/**
 * The fields Roster can write to on some of these objects (a notification setting), each once: the label says
 * where it exists when not on every object ("Location (Event)"). A saved name the org lacks stays, marked.
 */
export function writableFieldOptions(described, keep) {
    const byName = new Map();
    described.forEach(({ objectType, fields }) =>
        (fields || [])
            .filter((f) => f.updateable)
            .forEach((f) => {
                const entry = byName.get(f.name) || { field: f, objects: [] };
                entry.objects.push(objectType);
                byName.set(f.name, entry);
            })
    );
    const all = described.length;
    const options = [...byName.values()]
        .sort((a, b) => a.field.label.localeCompare(b.field.label))
        .map(({ field, objects }) => ({
            value: field.name,
            label:
                objects.length === all || all === 1
                    ? field.label
                    : `${field.label} (${objects.join(', ')})`
        }));
    if (keep && !byName.has(keep))
        options.push({ value: keep, label: `${keep} (not in this org)` });
    return options;
}

/** "Meeting category field: ..." and "Follow-up question 2: ..." parts of a refused save, by setting. */
export function namedSettings(message) {
    const found = {};
    const part =
        /(Meeting category field|Follow-up question (\d+)): (.*?)(?=\s*(?:Meeting category field:|Follow-up question \d+:)|$)/g;
    let m;
    while ((m = part.exec(message || ''))) {
        found[m[2] ? `question-${Number(m[2]) - 1}` : 'meetingCategoryField'] = m[3].trim();
    }
    return found;
}
