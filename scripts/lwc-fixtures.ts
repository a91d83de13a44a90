/**
 * The LWC jest fixtures (force-app/.../__tests__/data/<apexMethod>.json), generated from data that is
 * parsed with the service's own zod response schemas, so a fixture cannot drift from what the service
 * sends. `--check` fails when a committed fixture differs from what this script would write.
 *   npx tsx scripts/lwc-fixtures.ts [--check]
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { StoredHealthReport } from '../sync-service/src/health/schemas.js';
import { PermissionErrorList, TestAccessResult } from '../sync-service/src/mailbox/schemas.js';
import { ObjectFields } from '../sync-service/src/describe/schemas.js';
import {
  EligibilityPreview,
  MatchingPreview,
  Profile,
  ProfileList,
  ProfileSummary,
} from '../sync-service/src/profiles/schemas.js';
import { ReapplyPreview, ReapplyResult, RuleList, Simulation } from '../sync-service/src/rules/schemas.js';
import { CustomTeamList, TeamTree } from '../sync-service/src/teams/schemas.js';
import { StatusCounts, UserPage } from '../sync-service/src/users/schemas.js';
import { ImportReport } from '../sync-service/src/csv/schemas.js';
import { AuditPage } from '../sync-service/src/audit/schemas.js';
import {
  ApprovalDecision,
  ApprovalList,
  Conflict,
  ConflictList,
  ImportPreview,
  ImportResult,
  ModePreview,
  ModeState,
  RoleTree,
  SyncRunList,
} from '../sync-service/src/sync/schemas.js';
import {
  IntegrationHealthScreen,
  RoleHierarchyScreen,
  TeamHierarchyScreen,
  UserSettingsRulesScreen,
  UsersAndTeamsScreen,
} from '../sync-service/src/screens/schemas.js';
import * as data from './lwc-fixtures.data.js';

const lwcDir = path.resolve(import.meta.dirname, '../force-app/main/default/lwc');

/** fixture name (the Apex method it stands for) -> [schema or null while the service has none, data, components]. */
const fixtures: Record<string, [z.ZodType | null, unknown, string[]]> = {
  listUsers: [UserPage, data.userPage, ['usersAndTeams', 'teamHierarchy', 'auditLog']],
  getUserCounts: [StatusCounts, data.counts, ['usersAndTeams']],
  getTeamTree: [TeamTree, data.teamTree, ['usersAndTeams', 'teamHierarchy', 'userSettingsRules']],
  listCustomTeams: [CustomTeamList, data.customTeams, ['teamHierarchy']],
  listProfiles: [ProfileList, data.profileList, ['usersAndTeams', 'userSettingsRules', 'configurationProfiles']],
  getProfile: [Profile, data.profile, ['configurationProfiles']],
  getProfileSummary: [ProfileSummary, data.profileSummary, ['usersAndTeams', 'configurationProfiles']],
  getEligibilityPreview: [EligibilityPreview, data.eligibilityPreview, ['configurationProfiles']],
  previewMatching: [MatchingPreview, data.matchingPreview, ['configurationProfiles']],
  getObjectFields: [ObjectFields, data.objectFields, ['configurationProfiles']],
  listRules: [RuleList, data.ruleList, ['userSettingsRules']],
  simulateRules: [Simulation, data.simulation, ['userSettingsRules']],
  previewReapply: [ReapplyPreview, data.reapplyPreview, ['userSettingsRules']],
  reapplyRules: [ReapplyResult, data.reapplyResult, ['userSettingsRules']],
  listPermissionErrors: [PermissionErrorList, data.permissionErrors, ['permissionErrors']],
  testAccess: [TestAccessResult, data.testAccess, ['permissionErrors']],
  getIntegrationHealth: [StoredHealthReport, data.healthReport, ['integrationHealth']],
  getMode: [ModeState, data.mode, ['usersAndTeams', 'modeSwitch']],
  previewMode: [ModePreview, data.modePreview, ['modeSwitch']],
  listRoles: [RoleTree, data.roles, ['roleHierarchy']],
  previewRoleImport: [ImportPreview, data.roleImportPreview, ['roleHierarchy']],
  importRoles: [ImportResult, data.roleImportResult, ['roleHierarchy']],
  importUsersFromFile: [ImportReport, data.importDryRun, ['csvImport']],
  listSyncRuns: [SyncRunList, data.syncRuns, ['integrationHealth']],
  listApprovals: [ApprovalList, data.syncApprovals, ['syncReview']],
  approveSuspensions: [ApprovalDecision, data.approvalDecision, ['syncReview']],
  listOpenConflicts: [ConflictList, data.syncConflicts, ['syncReview']],
  resolveConflict: [Conflict, data.resolvedConflict, ['syncReview']],
  listAuditLog: [AuditPage, data.auditLog, ['auditLog']],
  getUsersAndTeamsScreen: [UsersAndTeamsScreen, data.usersAndTeamsScreen, ['usersAndTeams']],
  getTeamHierarchyScreen: [TeamHierarchyScreen, data.teamHierarchyScreen, ['teamHierarchy']],
  getRoleHierarchyScreen: [RoleHierarchyScreen, data.roleHierarchyScreen, ['roleHierarchy']],
  getIntegrationHealthScreen: [IntegrationHealthScreen, data.integrationHealthScreen, ['integrationHealth']],
  getUserSettingsRulesScreen: [UserSettingsRulesScreen, data.userSettingsRulesScreen, ['userSettingsRules']],
};

const check = process.argv.includes('--check');
const problems: string[] = [];
for (const [name, [schema, value, components]] of Object.entries(fixtures)) {
  if (schema) {
    const parsed = schema.safeParse(value);
    if (!parsed.success) problems.push(`${name} does not match the service's schema: ${parsed.error.message}`);
    // Zod drops unknown keys silently; a fixture with keys the service never sends would mislead the tests.
    else if (!isDeepStrictEqual(JSON.parse(JSON.stringify(parsed.data)), value))
      problems.push(`${name} has fields the service does not send`);
  }
  const text = `${JSON.stringify(value, null, 4)}\n`;
  for (const component of components) {
    const file = path.join(lwcDir, component, '__tests__', 'data', `${name}.json`);
    if (check) {
      if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text)
        problems.push(`${path.relative('.', file)} is stale: run npx tsx scripts/lwc-fixtures.ts`);
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(check ? 'LWC fixtures match the service schemas.' : `Wrote ${Object.keys(fixtures).length} LWC fixtures.`);
