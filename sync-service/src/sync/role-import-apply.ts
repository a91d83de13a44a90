import type { OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { createUsers } from '../users/repo.js';
import type { RoleImportPlan } from './role-import-plan.js';

/**
 * Writes exactly `plan` in the caller's transaction: the new teams in one statement (PostgreSQL checks a new team's
 * parent at the statement's end, so it may sit under another new one), then the users, each audited.
 */
export async function applyRoleImport(scope: OrgScope, actor: Actor, plan: RoleImportPlan) {
  const creates = plan.teams.filter((t) => !t.exists);
  for (let i = 0; i < creates.length; i += 5000)
    await scope.insert(
      'teams',
      creates.slice(i, i + 5000).map((t) => ({
        id: t.id,
        name: t.name,
        kind: 'hierarchy',
        parent_id: t.parentId,
        sf_role_id: t.sfRoleId,
      })),
    );
  await recordAudit(
    scope,
    actor,
    creates.map((t) => ({
      action: 'team.create',
      targetType: 'team',
      targetId: t.id,
      after: { name: t.name, parentId: t.parentId, sfRoleId: t.sfRoleId, source: 'role_import' },
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
  const counts = { teamsCreated: creates.length, usersCreated: created.length, skipped: plan.skipped.length };
  await recordAudit(scope, actor, {
    action: 'salesforce.role_import',
    targetType: 'org',
    targetId: scope.orgId,
    after: counts,
  });
  return counts;
}
