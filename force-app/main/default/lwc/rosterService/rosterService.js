/**
 * The one way the Roster screens call the service: every Apex method of the proxy
 * (`callout:Roster_Service/api/v1/...`), imported here and called imperatively, so each screen loads when it
 * opens, reloads after every change it makes, and handles failures in one place. No screen wires Apex: a
 * wired (cacheable) read would be stale after the screen's own writes, and two ways to call one controller
 * are one too many.
 */
import listUsers from '@salesforce/apex/UsersController.listUsers';
import createUser from '@salesforce/apex/UsersController.createUser';
import updateUser from '@salesforce/apex/UsersController.updateUser';
import deleteUser from '@salesforce/apex/UsersController.deleteUser';
import suspendUser from '@salesforce/apex/UsersController.suspendUser';
import reactivateUser from '@salesforce/apex/UsersController.reactivateUser';
import bulkUpdateUsers from '@salesforce/apex/UsersController.bulkUpdateUsers';
import startBulkUpdate from '@salesforce/apex/UsersController.startBulkUpdate';
import downloadImportResult from '@salesforce/apex/UsersController.downloadImportResult';
import importUsersFromFile from '@salesforce/apex/UsersController.importUsersFromFile';
import exportUsersToFile from '@salesforce/apex/UsersController.exportUsersToFile';
import listAuditLog from '@salesforce/apex/AuditController.listAuditLog';
import listPermissionErrors from '@salesforce/apex/PermissionErrorsController.listPermissionErrors';
import exportPermissionErrorsToFile from '@salesforce/apex/PermissionErrorsController.exportPermissionErrorsToFile';
import testAccess from '@salesforce/apex/PermissionErrorsController.testAccess';
import getMailboxStats from '@salesforce/apex/PermissionErrorsController.getMailboxStats';
import getMailboxProvider from '@salesforce/apex/PermissionErrorsController.getMailboxProvider';
import saveMailboxProvider from '@salesforce/apex/PermissionErrorsController.saveMailboxProvider';
import previewMode from '@salesforce/apex/ModeController.previewMode';
import setMode from '@salesforce/apex/ModeController.setMode';
import getTeamHistory from '@salesforce/apex/TeamsController.getTeamHistory';
import createTeam from '@salesforce/apex/TeamsController.createTeam';
import updateTeam from '@salesforce/apex/TeamsController.updateTeam';
import deleteTeam from '@salesforce/apex/TeamsController.deleteTeam';
import listCustomTeams from '@salesforce/apex/TeamsController.listCustomTeams';
import createCustomTeam from '@salesforce/apex/TeamsController.createCustomTeam';
import updateCustomTeam from '@salesforce/apex/TeamsController.updateCustomTeam';
import deleteCustomTeam from '@salesforce/apex/TeamsController.deleteCustomTeam';
import setRoleImport from '@salesforce/apex/RolesController.setRoleImport';
import previewRoleImport from '@salesforce/apex/RolesController.previewRoleImport';
import importRoles from '@salesforce/apex/RolesController.importRoles';
import listRules from '@salesforce/apex/RulesController.listRules';
import createRule from '@salesforce/apex/RulesController.createRule';
import updateRule from '@salesforce/apex/RulesController.updateRule';
import deleteRule from '@salesforce/apex/RulesController.deleteRule';
import reorderRules from '@salesforce/apex/RulesController.reorderRules';
import simulateRules from '@salesforce/apex/RulesController.simulateRules';
import previewReapply from '@salesforce/apex/RulesController.previewReapply';
import reapplyRules from '@salesforce/apex/RulesController.reapplyRules';
import listProfiles from '@salesforce/apex/ProfilesController.listProfiles';
import getProfile from '@salesforce/apex/ProfilesController.getProfile';
import getProfileSummary from '@salesforce/apex/ProfilesController.getProfileSummary';
import createProfile from '@salesforce/apex/ProfilesController.createProfile';
import updateProfile from '@salesforce/apex/ProfilesController.updateProfile';
import deleteProfile from '@salesforce/apex/ProfilesController.deleteProfile';
import setActivity from '@salesforce/apex/ProfilesController.setActivity';
import setNotifications from '@salesforce/apex/ProfilesController.setNotifications';
import addEligibilityGroup from '@salesforce/apex/ProfilesController.addEligibilityGroup';
import updateEligibilityGroup from '@salesforce/apex/ProfilesController.updateEligibilityGroup';
import deleteEligibilityGroup from '@salesforce/apex/ProfilesController.deleteEligibilityGroup';
import resetEligibility from '@salesforce/apex/ProfilesController.resetEligibility';
import getEligibilityPreview from '@salesforce/apex/ProfilesController.getEligibilityPreview';
import previewMatching from '@salesforce/apex/ProfilesController.previewMatching';
import getObjectFields from '@salesforce/apex/ProfilesController.getObjectFields';
import addRankingGroup from '@salesforce/apex/ProfilesController.addRankingGroup';
import updateRankingGroup from '@salesforce/apex/ProfilesController.updateRankingGroup';
import deleteRankingGroup from '@salesforce/apex/ProfilesController.deleteRankingGroup';
import reorderRankingGroups from '@salesforce/apex/ProfilesController.reorderRankingGroups';
import runIntegrationHealth from '@salesforce/apex/HealthController.runIntegrationHealth';
import listSyncRuns from '@salesforce/apex/HealthController.listSyncRuns';
import listApprovals from '@salesforce/apex/SyncController.listApprovals';
import approveSuspensions from '@salesforce/apex/SyncController.approveSuspensions';
import rejectSuspensions from '@salesforce/apex/SyncController.rejectSuspensions';
import listOpenConflicts from '@salesforce/apex/SyncController.listOpenConflicts';
import resolveConflict from '@salesforce/apex/SyncController.resolveConflict';
import getJob from '@salesforce/apex/JobsController.getJob';
import listRunningJobs from '@salesforce/apex/JobsController.listRunningJobs';
// Each screen's first load in one callout (Apex allows few per page load); its parts take their data from it.
import getUsersAndTeamsScreen from '@salesforce/apex/ScreensController.getUsersAndTeamsScreen';
import getTeamHierarchyScreen from '@salesforce/apex/ScreensController.getTeamHierarchyScreen';
import getRoleHierarchyScreen from '@salesforce/apex/ScreensController.getRoleHierarchyScreen';
import getIntegrationHealthScreen from '@salesforce/apex/ScreensController.getIntegrationHealthScreen';
import getUserSettingsRulesScreen from '@salesforce/apex/ScreensController.getUserSettingsRulesScreen';

export {
    listUsers,
    createUser,
    updateUser,
    deleteUser,
    suspendUser,
    reactivateUser,
    bulkUpdateUsers,
    startBulkUpdate,
    downloadImportResult,
    importUsersFromFile,
    exportUsersToFile,
    listAuditLog,
    listPermissionErrors,
    exportPermissionErrorsToFile,
    testAccess,
    getMailboxStats,
    getMailboxProvider,
    saveMailboxProvider,
    previewMode,
    setMode,
    getTeamHistory,
    createTeam,
    updateTeam,
    deleteTeam,
    listCustomTeams,
    createCustomTeam,
    updateCustomTeam,
    deleteCustomTeam,
    setRoleImport,
    previewRoleImport,
    importRoles,
    listRules,
    createRule,
    updateRule,
    deleteRule,
    reorderRules,
    simulateRules,
    previewReapply,
    reapplyRules,
    listProfiles,
    getProfile,
    getProfileSummary,
    createProfile,
    updateProfile,
    deleteProfile,
    setActivity,
    setNotifications,
    addEligibilityGroup,
    updateEligibilityGroup,
    deleteEligibilityGroup,
    resetEligibility,
    getEligibilityPreview,
    previewMatching,
    getObjectFields,
    addRankingGroup,
    updateRankingGroup,
    deleteRankingGroup,
    reorderRankingGroups,
    runIntegrationHealth,
    listSyncRuns,
    listApprovals,
    approveSuspensions,
    rejectSuspensions,
    listOpenConflicts,
    resolveConflict,
    getJob,
    listRunningJobs,
    getUsersAndTeamsScreen,
    getTeamHierarchyScreen,
    getRoleHierarchyScreen,
    getIntegrationHealthScreen,
    getUserSettingsRulesScreen
};
