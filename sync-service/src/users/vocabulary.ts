/** The user vocabulary of SPEC section 2 as data: codes, the labels admins see, and the older names CSV accepts. */
export const ROLES = ['admin', 'manager', 'member', 'data'] as const;
export const VISIBILITIES = ['full', 'team', 'individual'] as const;
export const STATUSES = ['pending', 'onboarding', 'active', 'permission_error', 'suspended'] as const;
export const SOURCES = ['manual', 'csv', 'role_import', 'automatic'] as const;
export const LICENSES = [
  'foundation',
  'engagement_dashboard',
  'forecasting',
  'unified_application_enterprise',
] as const;

export type Role = (typeof ROLES)[number];
export type Visibility = (typeof VISIBILITIES)[number];
export type Status = (typeof STATUSES)[number];
export type Source = (typeof SOURCES)[number];
export type License = (typeof LICENSES)[number];

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', manager: 'Manager', member: 'Member', data: 'Data' };
export const VISIBILITY_LABELS: Record<Visibility, string> = { full: 'Full', team: 'Team', individual: 'Individual' };
export const STATUS_LABELS: Record<Status, string> = {
  pending: 'Pending',
  onboarding: 'Onboarding',
  active: 'Active',
  permission_error: 'Permission Error',
  suspended: 'Suspended',
};
export const LICENSE_LABELS: Record<License, string> = {
  foundation: 'Foundation',
  engagement_dashboard: 'Engagement Dashboard',
  forecasting: 'Forecasting',
  unified_application_enterprise: 'Unified Application Enterprise',
};
/** Older product names still found in customers' spreadsheets. */
export const LICENSE_ALIASES: Record<string, License> = {
  'peopleglass enterprise': 'unified_application_enterprise',
  'unified backstory application enterprise': 'unified_application_enterprise',
};

const lookupTables = new WeakMap<object, Map<string, string>>();

/** Reads a label or a code, any case ("Engagement Dashboard", "engagement_dashboard"), or undefined. */
export function lookupByLabel<T extends string>(
  labels: Record<T, string>,
  text: string,
  aliases: Record<string, T> = {},
): T | undefined {
  let table = lookupTables.get(labels);
  if (!table) {
    table = new Map(
      Object.entries<string>(labels).flatMap(
        ([code, label]) =>
          [
            [code, code],
            [label.toLowerCase(), code],
          ] as [string, string][],
      ),
    );
    lookupTables.set(labels, table);
  }
  const wanted = text.trim().toLowerCase();
  return (table.get(wanted) as T | undefined) ?? aliases[wanted];
}

/** Fields an admin may not edit in Automatic Mode: Salesforce owns them (SPEC section 3). */
export const SALESFORCE_OWNED_FIELDS = ['firstName', 'lastName', 'jobTitle', 'teamId'] as const;
