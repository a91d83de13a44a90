/** What every org starts with (SPEC sections 2, 4, 5): created with the org, never by hand. */
export const DEFAULT_PROFILE_NAME = 'Default - Intake Off';
export const TOP_TEAM_NAME = 'Top-level team';
export const UNASSIGNED_TEAM_NAME = 'Unassigned';
export const CATCH_ALL_RULE_NAME = 'Catch-all';

export const ACTIVITY_TOGGLES = [
  'intakeData',
  'transcriptIntake',
  'displayData',
  'pushData',
  'emailSync',
  'meetingSync',
  'contactCreation',
  'contactRoleCreation',
] as const;

export const allTogglesOff = () => Object.fromEntries(ACTIVITY_TOGGLES.map((t) => [t, false]));

export const catchAllAssignments = (defaultProfileId: string) => ({
  profileId: defaultProfileId,
  role: 'member',
  visibility: 'full',
  licenses: ['foundation', 'engagement_dashboard'],
});
