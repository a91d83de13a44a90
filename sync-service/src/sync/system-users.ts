/**
 * Users Salesforce creates for itself, which a sync must never turn into people (salesforce-facts.md): the
 * Automated Process and platform integration users, the integration and security users of CRM Analytics and Data
 * Cloud, and the like. They are recognised by their license, their profile, or the username Salesforce gives them
 * (`<kind>@00D<org id>.<domain>`), besides the user type a full read already filters on. Data, not branches.
 */
export const SALESFORCE_SYSTEM_USERS = {
  licenses: ['Salesforce Integration', 'Analytics Cloud Integration User', 'Cloud Integration User'],
  profiles: [
    'Minimum Access - API Only Integrations',
    'Analytics Cloud Integration User',
    'Analytics Cloud Security User',
    'Salesforce API Only System Integrations',
    'Data Cloud Integration User',
  ],
  usernames:
    /^(autoproc|integration|insightssecurity|platformintegration|cdpintegration|noreply)@00d[a-z0-9]{12,15}\./i,
  userTypes: ['AutomatedProcess'],
} as const;

interface UserRow {
  Id: string;
  Username?: string | null;
  UserType?: string | null;
  Profile?: { Name?: string | null; UserLicense?: { Name?: string | null } | null } | null;
}

/** True for the integration user itself and for Salesforce's own automation and integration users. */
export function isSystemUser(row: UserRow, integrationUserId: string | null): boolean {
  if (integrationUserId && row.Id.slice(0, 15) === integrationUserId.slice(0, 15)) return true;
  const s = SALESFORCE_SYSTEM_USERS;
  if (row.UserType && (s.userTypes as readonly string[]).includes(row.UserType)) return true;
  const license = row.Profile?.UserLicense?.Name;
  if (license && (s.licenses as readonly string[]).includes(license)) return true;
  const profile = row.Profile?.Name;
  if (profile && (s.profiles as readonly string[]).includes(profile)) return true;
  return !!row.Username && s.usernames.test(row.Username);
}
