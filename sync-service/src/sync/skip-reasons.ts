/**
 * Why a Salesforce user is not brought into Roster by a sync run, the mode switch or the role import: the codes the
 * previews and runs report, and what each means to an admin.
 */
export const SKIP_REASONS = {
  inactive: 'Inactive in Salesforce',
  frozen: 'Frozen in Salesforce',
  not_standard: 'Not a standard Salesforce user (Chatter, portal or system user)',
  no_email: 'Has no email in Salesforce',
  email_conflict: 'Their email belongs to another Roster user: see the sync conflicts',
  conflict_open: 'A sync conflict about them is open or was dismissed',
  invalid_rule: 'The User Settings Rule that would decide them is invalid: they wait until it is fixed',
  no_role: 'Has no role in Salesforce',
  role_toggled_off: 'Their role is toggled off for the import',
  already_in_roster: 'Already in Roster (linked, or their email is taken)',
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;
