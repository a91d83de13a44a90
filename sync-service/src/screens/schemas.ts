import { z } from 'zod';
import { StoredHealthReport } from '../health/schemas.js';
import { JobList } from '../jobs/schemas.js';
import { MailboxStats, PermissionErrorList } from '../mailbox/schemas.js';
import { ProfileList } from '../profiles/schemas.js';
import { RuleList } from '../rules/schemas.js';
import { ApprovalList, ConflictList, DriftList, ModeState, RoleTree, SyncRunList } from '../sync/schemas.js';
import { CustomTeamList, MembershipHistory, TeamTree } from '../teams/schemas.js';
import { StatusCounts, User, UserListQuery, UserPage } from '../users/schemas.js';

/**
 * What each admin screen needs when it opens, in one answer: Salesforce allows few callouts per page load, so
 * a screen makes one request for everything it shows first. Each part is exactly what its own endpoint answers.
 */
const runningJobs = JobList.describe(
  'The org’s queued and running jobs: a reloaded screen resumes their progress bars.',
);
const named = z.array(User).describe('Only the users the other parts name by id (never every user).');

/** The user list's own query (search, filters, sort, page size) picks the first page the screen shows. */
export const UsersAndTeamsQuery = UserListQuery.omit({ ids: true, cursor: true });

const usersAndTeamsParts = {
  users: UserPage,
  counts: StatusCounts,
  teams: TeamTree,
  profiles: ProfileList,
  mode: ModeState,
  approvals: ApprovalList,
  conflicts: ConflictList.describe('Open conflicts only.'),
  health: StoredHealthReport.nullable().describe('Null also before the first check.'),
  permissionErrors: PermissionErrorList,
  mailbox: MailboxStats,
  runningJobs,
};
const UsersAndTeamsPart = z.enum(Object.keys(usersAndTeamsParts) as [keyof typeof usersAndTeamsParts]);

/** Each part on its own: one the service could not read is null and named in failedParts, the rest still answer. */
export const UsersAndTeamsScreen = z.object({
  ...(Object.fromEntries(Object.entries(usersAndTeamsParts).map(([k, v]) => [k, v.nullable()])) as {
    [K in keyof typeof usersAndTeamsParts]: z.ZodNullable<(typeof usersAndTeamsParts)[K]>;
  }),
  failedParts: z
    .array(UsersAndTeamsPart)
    .describe(
      'The parts that could not be read this time (each null): the screen says so for each, and shows the rest.',
    ),
});

export const TeamHierarchyScreen = z.object({
  teams: TeamTree,
  managers: named.describe('The users the tree names as team managers.'),
  customTeams: CustomTeamList,
  topTeamHistory: MembershipHistory.describe('The first page of the top team’s membership history (selected first).'),
  mode: ModeState.describe('The management mode: in Automatic Mode Salesforce owns the hierarchy.'),
});

export const RoleHierarchyScreen = z.object({ roles: RoleTree, runningJobs });

export const IntegrationHealthScreen = z.object({
  health: StoredHealthReport.nullable(),
  runs: SyncRunList,
  approvals: ApprovalList,
  conflicts: ConflictList.describe('Open conflicts only.'),
  conflictUsers: named.describe('The Roster users the conflicts point at.'),
  drift: DriftList.describe('Users an admin kept active (a rejected suspension) while Salesforce has them inactive.'),
  mode: ModeState.describe('The management mode; `stopped` is set while the sync is stopped on a Blocked check.'),
  runningJobs,
});

export const UserSettingsRulesScreen = z.object({
  rules: RuleList,
  teams: TeamTree,
  profiles: ProfileList,
  ruleUsers: named.describe('The users the rules’ Team Manager filters name.'),
  runningJobs,
});
