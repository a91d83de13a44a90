/** Audit log actions in the admin's words (the service's codes are shown only for an action not listed here). */
export const ACTION_LABELS = {
    'user.create': 'User added',
    'user.update': 'User edited',
    'user.suspend': 'User suspended',
    'user.reactivate': 'User reactivated',
    'user.delete': 'User deleted',
    'user.move': 'User moved to another team',
    'user.profile_assign': 'Configuration profile assigned',
    'user.rules_reapplied': 'Rules re-applied to a user',
    'user.link_salesforce': 'User linked to Salesforce',
    'user.mailbox_status': 'Mailbox access changed',
    'team.create': 'Team added',
    'team.update': 'Team edited',
    'team.rename': 'Team renamed',
    'team.move': 'Team moved',
    'team.delete': 'Team deleted',
    'team.manager_derived': 'Team manager derived from the Manager role',
    'custom_team.create': 'Custom team added',
    'custom_team.update': 'Custom team edited',
    'custom_team.delete': 'Custom team deleted',
    'custom_team.keep_people': 'Custom team kept its people',
    'rule.create': 'Rule added',
    'rule.update': 'Rule edited',
    'rule.delete': 'Rule deleted',
    'rule.order': 'Rules reordered',
    'rules.reapply': 'Rules re-applied to existing users',
    'profile.create': 'Configuration profile added',
    'profile.update': 'Configuration profile edited',
    'profile.notifications': 'Profile notifications changed',
    'profile.delete': 'Configuration profile deleted',
    'org.mode': 'Manage Mode changed',
    'org.settings.update': 'Settings changed',
    'org.create': 'Org created',
    'salesforce.connection.save': 'Salesforce connection saved',
    'salesforce.role.toggle': 'Role import turned on or off',
    'salesforce.role_import': 'Roles imported',
    'sync.conflict_dismiss': 'Sync conflict dismissed',
    'sync.approval_approved': 'Paused suspensions approved',
    'sync.approval_rejected': 'Paused suspensions rejected',
    'mailbox.org_condition': 'Mailbox provider problem found',
    'mailbox.org_condition_cleared': 'Mailbox provider problem cleared'
};

/** Who made a change, when it was not an admin. */
export const SERVICE_ACTORS = { sync: 'Salesforce sync', system: 'Roster' };

/** What an unlisted code says, readable: "user.mailbox_status" -> "User mailbox status". */
export function actionLabel(code) {
    if (ACTION_LABELS[code]) return ACTION_LABELS[code];
    const words = String(code || '')
        .replace(/[._]+/g, ' ')
        .trim();
    return words ? words[0].toUpperCase() + words.slice(1) : '';
}

const show = (value) => {
    if (value === null || value === undefined || value === '') return 'none';
    if (Array.isArray(value)) return value.map(show).join(', ') || 'none';
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
};

/** Before and after as one line: "jobTitle: Rep → Senior Rep; status: pending → suspended". */
export function describeChange(before, after) {
    const b = before && typeof before === 'object' ? before : {};
    const a = after && typeof after === 'object' ? after : {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return keys
        .map((key) => {
            if (!(key in b)) return `${key}: ${show(a[key])}`;
            if (!(key in a)) return `${key}: ${show(b[key])} → none`;
            return `${key}: ${show(b[key])} → ${show(a[key])}`;
        })
        .join('; ');
}
