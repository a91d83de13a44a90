/**
 * What each Apex controller method sends to the service, mirrored from force-app/main/default/classes so
 * the preview's Apex stand-in makes the same HTTP calls. `apexRoutes.test.ts` checks this table against the
 * Apex source (every @AuraEnabled method present, same HTTP verb and path), so the two cannot drift apart.
 */
export interface ServiceCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** The Apex method returns the response body as a String (CSV downloads). */
  text?: boolean;
  /** Sent with the admin's Salesforce user id (X-Roster-Actor-Id), as Apex sends UserInfo.getUserId(). */
  asSalesforceUser?: boolean;
  /** A job start: refused because the admin's very same request runs, it answers with that job (alreadyRunning). */
  startsJob?: boolean;
}

type Params = Record<string, any>;
const e = encodeURIComponent;
const profile = (p: Params, rest = '') => `/profiles/${e(p.profileId)}${rest}`;
/** Sent only when chosen, as ModeController does (blank: the service keeps the org's current source). */
const hierarchySource = (p: Params) => (p.hierarchySource ? { hierarchySource: p.hierarchySource } : {});
/** The preview's token, as Apex sends it: only when not blank. */
const token = (p: Params) => (p.previewToken ? { previewToken: p.previewToken } : {});
/**
 * RosterServiceClient.startJob: long operations start a service job and answer with it at once (or with the admin's
 * same request already running). Sent with the admin's Salesforce user id, as Apex always sends it: a job's file (an
 * export, an import's result) is shared with them.
 */
const startJob = (kind: string, params: object = {}): ServiceCall => ({
  method: 'POST',
  path: '/jobs',
  body: { kind, params },
  asSalesforceUser: true,
  startsJob: true,
});

export const apexRoutes: Record<string, (p: Params) => ServiceCall> = {
  'UsersController.listUsers': (p) => ({ method: 'GET', path: '/users', query: p.query }),
  'UsersController.getUserCounts': () => ({ method: 'GET', path: '/users/counts' }),
  'UsersController.createUser': (p) => ({ method: 'POST', path: '/users', body: p.user }),
  'UsersController.updateUser': (p) => ({ method: 'PATCH', path: `/users/${e(p.userId)}`, body: p.changes }),
  'UsersController.deleteUser': (p) => ({
    method: 'DELETE',
    path: `/users/${e(p.userId)}`,
    query: { confirm: p.confirmEmail },
  }),
  'UsersController.suspendUser': (p) => ({
    method: 'POST',
    path: `/users/${e(p.userId)}/suspend`,
    body: { reason: p.reason },
  }),
  'UsersController.reactivateUser': (p) => ({ method: 'POST', path: `/users/${e(p.userId)}/reactivate` }),
  'UsersController.bulkUpdateUsers': (p) => ({ method: 'POST', path: '/users/bulk', body: p.request }),
  'UsersController.startBulkUpdate': (p) => startJob('users.bulk', p.request),
  'UsersController.importUsersFromFile': (p) =>
    startJob('users.import.file', { contentVersionId: p.contentVersionId, dryRun: p.dryRun === true }),
  'UsersController.exportUsersToFile': () => startJob('users.export.file'),
  'UsersController.downloadImportResult': (p) => ({
    method: 'GET',
    path: `/users/import/${e(p.importId)}/result.csv`,
    text: true,
  }),

  'AuditController.listAuditLog': (p) => ({ method: 'GET', path: '/audit-log', query: p.query }),

  'TeamsController.getTeamTree': () => ({ method: 'GET', path: '/teams' }),
  'TeamsController.getTeamHistory': (p) => ({
    method: 'GET',
    path: `/teams/${e(p.teamId)}/history`,
    query: { cursor: p.cursor },
  }),
  'TeamsController.createTeam': (p) => ({
    method: 'POST',
    path: '/teams',
    body: { name: p.name, ...(p.parentId ? { parentId: p.parentId } : {}) },
  }),
  'TeamsController.updateTeam': (p) => ({ method: 'PATCH', path: `/teams/${e(p.teamId)}`, body: p.changes }),
  'TeamsController.deleteTeam': (p) => ({
    method: 'DELETE',
    path: `/teams/${e(p.teamId)}`,
    query: { moveMembersTo: p.moveMembersTo },
  }),
  'TeamsController.listCustomTeams': () => ({ method: 'GET', path: '/custom-teams' }),
  'TeamsController.createCustomTeam': (p) => ({ method: 'POST', path: '/custom-teams', body: p.customTeam }),
  'TeamsController.updateCustomTeam': (p) => ({
    method: 'PATCH',
    path: `/custom-teams/${e(p.customTeamId)}`,
    body: p.changes,
  }),
  'TeamsController.deleteCustomTeam': (p) => ({ method: 'DELETE', path: `/custom-teams/${e(p.customTeamId)}` }),

  'RolesController.listRoles': () => ({ method: 'GET', path: '/salesforce/roles' }),
  'RolesController.setRoleImport': (p) => ({
    method: 'PUT',
    path: `/salesforce/roles/${e(p.sfRoleId)}`,
    body: { importEnabled: p.importEnabled === true },
  }),
  'RolesController.previewRoleImport': () => startJob('roles.import.preview'),
  'RolesController.importRoles': (p) => startJob('roles.import', token(p)),

  'ModeController.getMode': () => ({ method: 'GET', path: '/mode' }),
  'ModeController.previewMode': (p) => startJob('mode.preview', { mode: p.mode, ...hierarchySource(p) }),
  'ModeController.setMode': (p) =>
    startJob('mode.change', { mode: p.mode, confirm: true, ...hierarchySource(p), ...token(p) }),

  'PermissionErrorsController.listPermissionErrors': () => ({ method: 'GET', path: '/permission-errors' }),
  'PermissionErrorsController.exportPermissionErrorsToFile': () => startJob('permission-errors.export.file'),
  'PermissionErrorsController.testAccess': (p) => ({ method: 'POST', path: `/users/${e(p.userId)}/test-access` }),
  'PermissionErrorsController.getMailboxStats': () => ({ method: 'GET', path: '/mailbox/stats' }),
  'PermissionErrorsController.getMailboxProvider': () => ({ method: 'GET', path: '/mailbox/provider' }),
  'PermissionErrorsController.saveMailboxProvider': (p) => ({
    method: 'PUT',
    path: '/mailbox/provider',
    body: p.settings,
  }),

  'RulesController.listRules': () => ({ method: 'GET', path: '/rules' }),
  'RulesController.createRule': (p) => ({ method: 'POST', path: '/rules', body: p.rule }),
  'RulesController.updateRule': (p) => ({ method: 'PATCH', path: `/rules/${e(p.ruleId)}`, body: p.changes }),
  'RulesController.deleteRule': (p) => ({ method: 'DELETE', path: `/rules/${e(p.ruleId)}` }),
  'RulesController.reorderRules': (p) => ({ method: 'PUT', path: '/rules/order', body: { ids: p.ruleIds } }),
  'RulesController.simulateRules': (p) => ({ method: 'POST', path: '/rules/simulate', body: p.request }),
  'RulesController.previewReapply': () => startJob('rules.reapply.preview'),
  'RulesController.reapplyRules': (p) =>
    startJob('rules.reapply', {
      confirm: true,
      ...token(p),
      ...(p.excludeUserIds?.length ? { excludeUserIds: p.excludeUserIds } : {}),
    }),

  'ProfilesController.listProfiles': () => ({ method: 'GET', path: '/profiles' }),
  'ProfilesController.getProfile': (p) => ({ method: 'GET', path: profile(p) }),
  'ProfilesController.getProfileSummary': (p) => ({ method: 'GET', path: profile(p, '/summary') }),
  'ProfilesController.createProfile': (p) => ({
    method: 'POST',
    path: '/profiles',
    body: { name: p.name, ...(p.copyFromId ? { copyFromId: p.copyFromId } : {}) },
  }),
  'ProfilesController.updateProfile': (p) => ({ method: 'PATCH', path: profile(p), body: p.changes }),
  'ProfilesController.deleteProfile': (p) => ({ method: 'DELETE', path: profile(p) }),
  'ProfilesController.setActivity': (p) => ({ method: 'PUT', path: profile(p, '/activity'), body: p.toggles }),
  'ProfilesController.setNotifications': (p) => ({
    method: 'PUT',
    path: profile(p, '/notifications'),
    body: p.notifications,
  }),
  'ProfilesController.addEligibilityGroup': (p) => ({
    method: 'POST',
    path: profile(p, '/eligibility-groups'),
    body: p.eligibilityGroup,
  }),
  'ProfilesController.updateEligibilityGroup': (p) => ({
    method: 'PATCH',
    path: profile(p, `/eligibility-groups/${e(p.groupId)}`),
    body: p.changes,
  }),
  'ProfilesController.deleteEligibilityGroup': (p) => ({
    method: 'DELETE',
    path: profile(p, `/eligibility-groups/${e(p.groupId)}`),
  }),
  'ProfilesController.resetEligibility': (p) => ({
    method: 'POST',
    path: profile(p, `/eligibility/${e(p.objectType)}/reset`),
  }),
  'ProfilesController.getEligibilityPreview': (p) => ({ method: 'GET', path: profile(p, '/eligibility-preview') }),
  'ProfilesController.previewMatching': (p) => ({
    method: 'POST',
    path: profile(p, '/matching-preview'),
    body: {
      participants: p.participants,
      ...(p.subject?.trim() ? { subject: p.subject } : {}),
      ...(p.activity ? { activity: p.activity } : {}),
    },
  }),
  'ProfilesController.getObjectFields': (p) => ({
    method: 'GET',
    path: `/salesforce/objects/${e(p.objectType)}/fields`,
  }),
  'ProfilesController.addRankingGroup': (p) => ({
    method: 'POST',
    path: profile(p, '/ranking-groups'),
    body: p.rankingGroup,
  }),
  'ProfilesController.updateRankingGroup': (p) => ({
    method: 'PATCH',
    path: profile(p, `/ranking-groups/${e(p.groupId)}`),
    body: p.changes,
  }),
  'ProfilesController.deleteRankingGroup': (p) => ({
    method: 'DELETE',
    path: profile(p, `/ranking-groups/${e(p.groupId)}`),
  }),
  'ProfilesController.reorderRankingGroups': (p) => ({
    method: 'PUT',
    path: profile(p, '/ranking-groups/order'),
    body: { ids: p.groupIds },
  }),

  'HealthController.getIntegrationHealth': () => ({ method: 'GET', path: '/integration-health' }),
  'HealthController.runIntegrationHealth': () => startJob('health.check'),
  'HealthController.listSyncRuns': () => ({ method: 'GET', path: '/sync/runs' }),

  'JobsController.getJob': (p) => ({ method: 'GET', path: `/jobs/${e(p.jobId)}` }),
  'JobsController.listRunningJobs': () => ({ method: 'GET', path: '/jobs' }),

  'ScreensController.getUsersAndTeamsScreen': (p) => ({
    method: 'GET',
    path: '/screens/users-and-teams',
    query: p.query,
  }),
  'ScreensController.getTeamHierarchyScreen': () => ({ method: 'GET', path: '/screens/team-hierarchy' }),
  'ScreensController.getRoleHierarchyScreen': () => ({ method: 'GET', path: '/screens/role-hierarchy' }),
  'ScreensController.getIntegrationHealthScreen': () => ({ method: 'GET', path: '/screens/integration-health' }),
  'ScreensController.getUserSettingsRulesScreen': () => ({ method: 'GET', path: '/screens/user-settings-rules' }),

  'SyncController.listApprovals': () => ({ method: 'GET', path: '/sync/approvals' }),
  'SyncController.approveSuspensions': (p) =>
    startJob('sync.decision', { approvalId: p.approvalId, decision: 'approved' }),
  'SyncController.rejectSuspensions': (p) =>
    startJob('sync.decision', { approvalId: p.approvalId, decision: 'rejected' }),
  'SyncController.listOpenConflicts': () => ({ method: 'GET', path: '/sync/conflicts', query: { status: 'open' } }),
  'SyncController.resolveConflict': (p) => ({
    method: 'POST',
    path: `/sync/conflicts/${e(p.conflictId)}/resolve`,
    body: { action: p.action },
  }),
};
