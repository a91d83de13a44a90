/** The filter fields of User Settings Rules and the operators each allows (SPEC section 4), as data. */
export const FILTER_FIELDS = {
    team_name: {
        label: 'Team Name',
        valueKind: 'team',
        operators: { is: 'is', is_not: 'is not', is_under: 'is under' }
    },
    team_manager: {
        label: 'Team Manager',
        valueKind: 'user',
        operators: { is: 'is', is_not: 'is not' }
    },
    job_title: {
        label: 'Job Title',
        valueKind: 'text',
        operators: {
            equals: 'equals',
            not_equals: 'not equals',
            contains: 'contains',
            does_not_contain: 'does not contain',
            starts_with: 'starts with'
        }
    }
};

export const PERMISSION_LABELS = { admin: 'Admin', manager: 'Manager', member: 'Member' };
export const RULE_VISIBILITY_LABELS = {
    full: 'Full Visibility',
    team: 'Team Ownership',
    individual: 'Individual'
};

export const fieldOptions = Object.entries(FILTER_FIELDS).map(([value, f]) => ({
    value,
    label: f.label
}));
export const operatorOptions = (field) =>
    Object.entries(FILTER_FIELDS[field].operators).map(([value, label]) => ({ value, label }));
export const firstOperator = (field) => Object.keys(FILTER_FIELDS[field].operators)[0];
