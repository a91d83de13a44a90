import type { OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { refuseCustomTeamsPastCap } from '../teams/custom-cap.js';
import { createHierarchyTeams } from '../teams/write-repo.js';
import { createUsers } from '../users/write-repo.js';
import type { RoleImportPlan } from './role-import-plan.js';

/**
 * Writes exactly `plan` in the caller's transaction: the new teams (parents first), then the users, each audited.
 */
export async function applyRoleImport(scope: OrgScope, actor: Actor, plan: RoleImportPlan) {
  const creates = plan.teams.filter((t) => !t.exists);
  await createHierarchyTeams(
    scope,
    actor,
    creates.map((t) => ({
      id: t.id,
      name: t.name,
      parentId: t.parentId,
      sfRoleId: t.sfRoleId,
      audited: { name: t.name, parentId: t.parentId, sfRoleId: t.sfRoleId, source: 'role_import' },
    })),
  );
  const created = plan.users.length
    ? await createUsers(
        scope,
        actor,
        plan.users.map(({ name: _shown, ...fields }) => fields),
        'role_import',
      )
    : [];
  await refuseCustomTeamsPastCap(scope, new Set(plan.users.map((u) => u.teamId)));
  const counts = { teamsCreated: creates.length, usersCreated: created.length, skipped: plan.skipped.length };
  await recordAudit(scope, actor, {
    action: 'salesforce.role_import',
    targetType: 'org',
    targetId: scope.orgId,
    after: counts,
  });
  return counts;
}
