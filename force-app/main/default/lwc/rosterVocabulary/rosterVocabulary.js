/**
 * The words admins see for the service's codes (sync-service/src/users/vocabulary.ts and
 * profiles/schemas.ts), as combobox options. Labels only: the service owns the rules.
 */
const options = (labels) => Object.entries(labels).map(([value, label]) => ({ value, label }));

export const ROLE_LABELS = { admin: 'Admin', manager: 'Manager', member: 'Member', data: 'Data' };
export const VISIBILITY_LABELS = { full: 'Full', team: 'Team', individual: 'Individual' };
export const STATUS_LABELS = {
    pending: 'Pending',
    onboarding: 'Onboarding',
    active: 'Active',
    permission_error: 'Permission Error',
    suspended: 'Suspended'
};
export const LICENSE_LABELS = {
    foundation: 'Foundation',
    engagement_dashboard: 'Engagement Dashboard',
    forecasting: 'Forecasting',
    unified_application_enterprise: 'Unified Application Enterprise'
};
export const TOGGLE_LABELS = {
    intakeData: 'Intake Data',
    transcriptIntake: 'Transcript Intake',
    displayData: 'Display Data',
    pushData: 'Push Data',
    emailSync: 'Email Sync',
    meetingSync: 'Meeting Sync',
    contactCreation: 'Contact Creation',
    contactRoleCreation: 'Contact Role Creation'
};
export const RECIPIENT_LABELS = { owner_only: 'Owner Only', all_participants: 'All Participants' };
export const OBJECT_TYPES = ['Opportunity', 'Account', 'Lead'];
/** Why a Salesforce user is not imported or synced (sync-service/src/sync/role-import.ts and projection.ts). */
export const SKIP_REASONS = {
    inactive: 'inactive in Salesforce',
    not_standard: 'not a standard user',
    no_role: 'no role',
    role_toggled_off: 'role toggled off',
    already_in_roster: 'already in Roster',
    license_revoked: 'Salesforce license revoked'
};

export const roleOptions = options(ROLE_LABELS);
export const visibilityOptions = options(VISIBILITY_LABELS);
export const statusOptions = options(STATUS_LABELS);
export const licenseOptions = options(LICENSE_LABELS);
export const recipientOptions = options(RECIPIENT_LABELS);

export const label = (labels, code) => labels[code] ?? code ?? '';

/** Local date and time for an ISO timestamp, or '' when there is none. */
export function formatDateTime(iso) {
    if (!iso) return '';
    return (
        new Date(iso).toLocaleString('en-US', {
            dateStyle: 'medium',
            timeStyle: 'short',
            timeZone: 'UTC'
        }) + ' UTC'
    );
}

/** Starts a browser download of text the service produced (CSV exports). */
export function downloadText(text, fileName, type = 'text/csv') {
    const link = document.createElement('a');
    link.href = `data:${type};charset=utf-8,${encodeURIComponent(text ?? '')}`;
    link.download = fileName;
    link.style.display = 'none';
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
}

/** Why the sync could not link a Salesforce user by itself, in the admin's words. */
export const CONFLICT_KINDS = {
    email_matches_unlinked_user: 'Email matches a Roster user not linked to Salesforce',
    email_in_use: 'Email already used by another Roster user'
};
