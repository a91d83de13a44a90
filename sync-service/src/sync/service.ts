import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { findOrg, setManagementMode } from '../orgs/repo.js';
import { recordAudit, SYNC_ACTOR, type Actor, type SalesforceActor } from '../shared/audit.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { builtinTeamId, hierarchyTeams } from '../teams/repo.js';
import { linkedToOther } from '../users/lookups.js';
import { findUserRow } from '../users/repo.js';
import { linkSalesforceUser } from '../users/write-repo.js';
import { applyUserPlan } from './apply.js';
import { refuseAdminLockOut } from './admin-lock-out.js';
import { requireEnablePrerequisites } from './enable.js';
import { loadRoles, loadUsers } from './mirror.js';
import { loadRosterUsers } from './load.js';
import { planUsers } from './plan-users.js';
import { manualPreview, previewAutomatic, requirePreviewedPlan } from './preview.js';
import { managerHierarchy, roleHierarchy, type HierarchySource } from './projection.js';
import { loadAssigner } from './rules.js';
import * as repo from './repo.js';
import * as runs from './runs-repo.js';
import { runSync, type SyncDeps } from './runner.js';
import type { SyncConflictRow } from './rows.js';
import type { ModePreview, ModeState, SyncRun } from './schemas.js';
import { readDrift, readModeState, toApproval, toConflict, toRun } from './status.js';

/** Management mode, sync runs, conflicts and approvals: what the admin sees and decides about the sync. */
export function createSyncService(deps: SyncDeps) {
  const { db } = deps;
  const getRun = async (orgId: string, id: string) => toRun(await runs.getRun(scoped(db, orgId), id));

  const modeState = (orgId: string): Promise<ModeState> => readModeState(db, orgId);

  async function preview(
    orgId: string,
    body: { mode: 'manual' | 'automatic'; hierarchySource?: HierarchySource },
    admin?: SalesforceActor,
  ): Promise<ModePreview> {
    const org = (await findOrg(db, orgId))!;
    const source = body.hierarchySource ?? org.hierarchy_source;
    if (body.mode === 'automatic') {
      await requireEnablePrerequisites(deps, orgId);
      return previewAutomatic(deps, orgId, source, admin);
    }
    return manualPreview(source);
  }

  async function setMode(
    orgId: string,
    actor: SalesforceActor,
    body: { mode: 'manual' | 'automatic'; hierarchySource?: HierarchySource; previewToken?: string },
  ) {
    const org = (await findOrg(db, orgId))!;
    const source: HierarchySource = body.hierarchySource ?? org.hierarchy_source;
    if (body.mode === 'manual') {
      if (org.management_mode === 'manual') return modeState(orgId);
      await inOrgTransaction(db, orgId, async (scope) => {
        await setManagementMode(scope.db, orgId, 'manual');
        await repo.rejectPendingApprovals(scope, actor.id);
        await recordAudit(scope, actor, {
          action: 'org.mode',
          targetType: 'org',
          targetId: orgId,
          before: { mode: 'automatic' },
          after: { mode: 'manual' },
        });
      });
      return modeState(orgId);
    }
    if (org.management_mode === 'automatic' && source === org.hierarchy_source) return modeState(orgId);
    await requireEnablePrerequisites(deps, orgId);
    const runId = await runSync(deps, orgId, {
      kind: 'enable',
      hierarchySource: source,
      // A plan other than the one previewed, or one that locks the admin out, is refused in the run's transaction
      // (409 preview_stale or admin_lock_out, thrown here).
      checkPlan: async (scope, plan) => {
        await requirePreviewedPlan(body.previewToken, source, actor.sfUserId)?.(scope, plan);
        refuseAdminLockOut(plan, actor.sfUserId);
      },
      beforeApply: async (scope) => {
        await setManagementMode(scope.db, orgId, 'automatic', source);
        await recordAudit(scope, actor, {
          action: 'org.mode',
          targetType: 'org',
          targetId: orgId,
          before: { mode: org.management_mode, hierarchySource: org.hierarchy_source },
          after: { mode: 'automatic', hierarchySource: source },
        });
      },
    });
    const run = await getRun(orgId, runId);
    if (run.outcome !== 'success')
      throw new ConflictError(`enable_${run.outcome}`, `Automatic Mode was not enabled: ${run.error ?? run.outcome}`, {
        runId,
      });
    return modeState(orgId);
  }

  async function runNow(orgId: string): Promise<SyncRun> {
    return getRun(orgId, await runSync(deps, orgId));
  }

  async function listRuns(orgId: string, limit: number) {
    return { items: (await runs.listRuns(scoped(db, orgId), limit)).map(toRun) };
  }

  async function listConflicts(orgId: string, status: SyncConflictRow['status'] | 'all') {
    return { items: (await repo.listConflicts(scoped(db, orgId), status)).map(toConflict) };
  }

  /** link: the Roster user with that email becomes the Salesforce user (and is brought in step now); dismiss: keep apart. */
  async function resolveConflict(orgId: string, actor: Actor, id: string, action: 'link' | 'dismiss') {
    return inOrgTransaction(db, orgId, async (scope) => {
      const c = await repo.findConflict(scope, id, true);
      if (!c) throw new NotFoundError('Sync conflict', id);
      if (c.status !== 'open') throw new ConflictError('conflict_closed', `This conflict is already ${c.status}.`);
      if (action === 'link') {
        if (!c.user_id)
          throw new ConflictError(
            'nothing_to_link',
            'No Roster user to link: change the email in Salesforce or in Roster, then dismiss this conflict.',
          );
        const user = await findUserRow(scope, c.user_id);
        if (user?.sf_user_id && user.sf_user_id !== c.sf_user_id) {
          throw new ConflictError(
            'already_linked',
            'That Roster user is already linked to another Salesforce user; fix the email in Salesforce instead.',
          );
        }
        if (await linkedToOther(scope, c.sf_user_id!, c.user_id)) {
          throw new ConflictError('already_linked', 'This Salesforce user is already linked to another Roster user.');
        }
        await linkSalesforceUser(scope, actor, c.user_id, c.sf_user_id!);
        await repo.closeConflict(scope, id, 'resolved', actor.id);
        await bringInStep(scope, c.sf_user_id!);
      } else {
        await repo.closeConflict(scope, id, 'dismissed', actor.id);
        await recordAudit(scope, actor, { action: 'sync.conflict_dismiss', targetType: 'sync_conflict', targetId: id });
      }
      return toConflict((await repo.findConflict(scope, id))!);
    });
  }

  /** A newly linked user takes Salesforce's name, title, team and status now, in Automatic Mode. */
  async function bringInStep(scope: OrgScope, sfUserId: string) {
    const org = (await findOrg(scope.db, scope.orgId))!;
    if (org.management_mode !== 'automatic') return;
    const u = (await loadUsers(scope, [sfUserId])).get(sfUserId);
    if (!u) return;
    const hierarchy =
      org.hierarchy_source === 'role'
        ? roleHierarchy(await loadRoles(scope))
        : managerHierarchy(await loadUsers(scope));
    const teams = new Map<string, string>();
    const col = org.hierarchy_source === 'role' ? 'sf_role_id' : 'sf_manager_id';
    for (const t of await hierarchyTeams(scope)) if (t[col]) teams.set(t[col], t.id);
    const top = await builtinTeamId(scope, 'top');
    const plan = planUsers(await loadRosterUsers(scope, [u]), {
      users: [u],
      previous: new Map(),
      hierarchy,
      teams: { topTeamId: top, idOf: (k: string | null) => (k ? (teams.get(k) ?? top) : top) },
      assign: await loadAssigner(scope),
      suspend: true,
    });
    await applyUserPlan(scope, SYNC_ACTOR, plan);
  }

  /** Drift: still inactive in Salesforce, kept active by an admin's rejection, until suspended or back in Salesforce. */
  const drift = (orgId: string) => readDrift(scoped(db, orgId));

  async function listApprovals(orgId: string) {
    return { items: (await repo.listApprovals(scoped(db, orgId))).map(toApproval) };
  }

  /** Approve: the paused run is carried out with its suspensions; reject: carried out without them. */
  async function decide(orgId: string, actor: Actor, id: string, decision: 'approved' | 'rejected') {
    const scope = scoped(db, orgId);
    if (!(await repo.decideApproval(scope, id, decision, actor.id))) {
      if (!(await repo.findApproval(scope, id))) throw new NotFoundError('Sync approval', id);
      throw new ConflictError('approval_decided', 'This approval was already decided.');
    }
    await recordAudit(scope, actor, { action: `sync.approval_${decision}`, targetType: 'sync_approval', targetId: id });
    const runId = await runSync(deps, orgId, { kind: decision, approval: { id, decision } });
    return {
      approval: toApproval((await repo.findApproval(scope, id))!),
      run: await getRun(orgId, runId),
    };
  }

  return {
    modeState,
    preview,
    setMode,
    runNow,
    listRuns,
    listConflicts,
    resolveConflict,
    drift,
    listApprovals,
    decide,
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
