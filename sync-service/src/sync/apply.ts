import type { OrgScope } from '../db/scoped.js';
import type { Actor } from '../shared/audit.js';
import { touchManagers } from '../teams/managers.js';
import { settleRedirects } from '../teams/redirects.js';
import { createHierarchyTeams, deleteTeams, renameAndMoveTeams, reparentTeams } from '../teams/write-repo.js';
import { createUsers, moveUsersToTeam, updateUsers } from '../users/write-repo.js';
import { reactivateUsers, suspendUsers } from '../users/status.js';
import { customTeamPeople, keepCustomTeamPeople } from '../teams/custom-people.js';
import { dropUsers, writeRoleChanges, writeUserChanges } from './mirror.js';
import type { SyncPlan, Counts } from './plan.js';
import { endDrift, holdSfUsers, recordConflicts, recordDrift, releaseHeldSfUsers } from './repo.js';
import { invalidRuleWarnings } from './rules.js';
import { teamCounts, type TeamPlan } from './plan-teams.js';
import type { UserPlan } from './plan-users.js';

const keyColumn = (plan: TeamPlan) => (plan.source === 'role' ? 'sf_role_id' : 'sf_manager_id');

/**
 * Writes exactly `plan`, in the caller's transaction: mirror, teams, users, then the deleted teams (after their
 * members moved) and where their ids point. Returns the counts of what was written and the run's warnings.
 * `rejected` holds back suspensions an admin rejected (those users become drift).
 */
export async function applySyncPlan(
  scope: OrgScope,
  actor: Actor,
  plan: SyncPlan,
  opts: { rejected?: { approvalId: string } } = {},
): Promise<{ counts: Counts; warnings: string[] }> {
  const { state } = plan;
  const customBefore = await customTeamPeople(scope);
  await writeUserChanges(scope, state.userChanges);
  await dropUsers(scope, state.staleUserIds);
  await writeRoleChanges(scope, state.roleChanges);
  await applyTeamChanges(scope, actor, plan.teams);
  const users = await applyUserPlan(scope, actor, plan.users, opts);
  if (plan.teams.deletes.length) {
    // Their custom-team memberships go with them (ON DELETE CASCADE); keepCustomTeamPeople keeps their people.
    await deleteTeams(
      scope,
      plan.teams.deletes.map((d) => d.id),
    );
    await settleRedirects(scope, actor, plan.replaced);
  }
  // A manager-hierarchy team's leader sits in the team above: moving or suspending them changes the team below.
  if (plan.teams.source === 'manager') await touchManagers(scope, null, actor);
  const warnings = [
    ...invalidRuleWarnings(plan.assign, plan.users.skippedUsers.filter((u) => u.reason === 'invalid_rule').length),
    ...(await keepCustomTeamPeople(scope, actor, customBefore, {
      enabling: state.input.enabling,
      displaced: plan.replaced.flatMap((r) => r.members),
    })),
  ];
  return { counts: { ...users, ...teamCounts(plan.teams) }, warnings };
}

/** Creates, renames and moves hierarchy teams (in bulk), and detaches the ones to delete. */
async function applyTeamChanges(scope: OrgScope, actor: Actor, plan: TeamPlan): Promise<void> {
  const col = keyColumn(plan);
  await createHierarchyTeams(
    scope,
    actor,
    plan.creates.map((c) => ({
      id: c.id,
      name: c.name,
      parentId: c.parentId,
      [plan.source === 'role' ? 'sfRoleId' : 'sfManagerId']: c.key,
      audited: { name: c.name, parentId: c.parentId, [col]: c.key },
    })),
  );
  await renameAndMoveTeams(scope, actor, plan.renames, plan.moves);
  // Detach first: teams to delete may be each other's parents (FK RESTRICT).
  await reparentTeams(
    scope,
    plan.deletes.map((d) => d.id),
    plan.topTeamId,
  );
  if (plan.creates.length + plan.deletes.length > 0) await touchManagers(scope, null, actor);
}

/**
 * Writes a user plan (inside the run's transaction), set by set; returns what was written. `rejected` holds back
 * suspensions an admin rejected: those users become drift (listed on Integration Health), which later runs leave to
 * the admin until Salesforce brings them back.
 */
export async function applyUserPlan(
  scope: OrgScope,
  actor: Actor,
  plan: UserPlan,
  opts: { rejected?: { approvalId: string } } = {},
) {
  const created = plan.creates.length ? await createUsers(scope, actor, plan.creates, 'automatic') : [];
  const updated = plan.updates.length ? await updateUsers(scope, actor, plan.updates) : [];
  let moved = 0;
  const byTeam = new Map<string, string[]>();
  for (const m of plan.moves) (byTeam.get(m.to) ?? byTeam.set(m.to, []).get(m.to)!).push(m.id);
  for (const [teamId, ids] of byTeam) moved += (await moveUsersToTeam(scope, actor, ids, teamId)).length;
  let suspended = 0;
  if (opts.rejected) {
    await recordDrift(scope, plan.suspends, opts.rejected.approvalId);
  } else {
    const byReason = new Map<string, string[]>();
    for (const s of plan.suspends) (byReason.get(s.reason) ?? byReason.set(s.reason, []).get(s.reason)!).push(s.id);
    for (const [reason, ids] of byReason) suspended += (await suspendUsers(scope, actor, ids, reason)).length;
  }
  // Users an invalid rule holds back are looked at again on every run; created or gone, they leave the list.
  const held = plan.skippedUsers.filter((u) => u.reason === 'invalid_rule').map((u) => u.sfUserId);
  const heldSet = new Set(held);
  const settled = [
    ...plan.creates.map((c) => c.sfUserId),
    ...plan.skippedUsers.map((u) => u.sfUserId),
    ...plan.suspends.map((u) => u.sfUserId),
  ].filter((id) => !heldSet.has(id));
  await releaseHeldSfUsers(scope, settled);
  await holdSfUsers(scope, held);
  await endDrift(scope, plan.driftEnded);
  const reactivated = plan.reactivates.length ? (await reactivateUsers(scope, actor, plan.reactivates)).length : 0;
  await recordConflicts(scope, plan.conflicts);
  return {
    created: created.length,
    updated: updated.length,
    moved,
    suspended,
    reactivated,
    unchanged: plan.unchanged,
    skipped: plan.skipped,
    conflicts: plan.conflicts.length,
  };
}
