import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { findOrg, setManagementMode } from '../orgs/repo.js';
import { listProfileRows } from '../profiles/repo.js';
import { probe } from '../salesforce/service.js';
import { recordAudit, SYNC_ACTOR, type Actor } from '../shared/audit.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { hierarchyTeams } from '../teams/repo.js';
import { linkedToOther } from '../users/lookups.js';
import { builtinTeamId, findUserRow } from '../users/repo.js';
import { linkSalesforceUser } from '../users/write-repo.js';
import { applyUserPlan } from './apply.js';
import { dailyLimitResumesAt } from './limit-wait.js';
import { currentHealth, syncStopState } from './stop.js';
import { loadRoles, loadUsers } from './mirror.js';
import { loadRosterUsers } from './load.js';
import { planUsers } from './plan-users.js';
import { previewAutomatic } from './preview.js';
import { managerHierarchy, roleHierarchy, type HierarchySource } from './projection.js';
import { loadAssigner } from './rules.js';
import * as repo from './repo.js';
import { runSync, type SyncDeps } from './runner.js';
import type { SyncApprovalRow, SyncConflictRow, SyncRunRow } from './rows.js';
import type { ModePreview, ModeState, SyncRun } from './schemas.js';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

export const toRun = (r: SyncRunRow): SyncRun => ({
  id: r.id,
  kind: r.kind,
  outcome: r.outcome,
  startedAt: iso(r.started_at)!,
  finishedAt: iso(r.finished_at),
  counts: json(r.counts) ?? {},
  apiCalls: r.api_calls,
  warnings: json(r.warnings) ?? [],
  error: r.error,
});

const toConflict = (r: SyncConflictRow) => ({
  id: r.id,
  kind: r.kind,
  sfUserId: r.sf_user_id,
  userId: r.user_id,
  email: r.email,
  details: json(r.details) ?? {},
  status: r.status,
  createdAt: iso(r.created_at)!,
  resolvedAt: iso(r.resolved_at),
});

const toApproval = (r: SyncApprovalRow) => ({
  id: r.id,
  syncRunId: r.sync_run_id,
  suspendCount: r.suspend_count,
  totalUsers: r.total_users,
  // suspendIds is the service's own record of what the approval covers (every id): not for the screen.
  plan: (({ suspendIds: _ids, ...shown }) => shown)(json(r.plan) ?? {}),
  status: r.status,
  createdAt: iso(r.created_at)!,
  decidedAt: iso(r.decided_at),
});

/** The sync's stop, in Automatic Mode only (in Manual Mode nothing syncs anyway). */
export async function stoppedState(scope: OrgScope, mode: string) {
  if (mode !== 'automatic') return null;
  const stop = await syncStopState(scope);
  return stop.stopped ? { message: stop.message!, missing: stop.missing, checkedAt: stop.checkedAt } : null;
}

/** Management mode, sync runs, conflicts and approvals: what the admin sees and decides about the sync. */
export function createSyncService(deps: SyncDeps) {
  const { db } = deps;
  const getRun = async (orgId: string, id: string) => toRun(await repo.getRun(scoped(db, orgId), id));

  async function modeState(orgId: string): Promise<ModeState> {
    const scope = scoped(db, orgId);
    const org = (await findOrg(db, orgId))!;
    const last = await repo.latestRun(scope);
    return {
      mode: org.management_mode,
      hierarchySource: org.hierarchy_source,
      pollSeconds: org.sync_poll_seconds,
      lastRun: last
        ? {
            id: last.id,
            kind: last.kind,
            outcome: last.outcome,
            startedAt: iso(last.started_at)!,
            finishedAt: iso(last.finished_at),
          }
        : null,
      pendingApprovals: await repo.pendingApprovalCount(scope),
      openConflicts: await repo.openConflictCount(scope),
      limitWaitUntil: iso(await dailyLimitResumesAt(scope)),
      stopped: await stoppedState(scope, org.management_mode),
    };
  }

  async function requireEnablePrerequisites(orgId: string) {
    const scope = scoped(db, orgId);
    if (!(await listProfileRows(scope)).some((p) => !p.is_builtin)) {
      throw new ConflictError(
        'profile_required',
        'Create at least one configuration profile besides "Default - Intake Off" before enabling Automatic Mode.',
      );
    }
    const session = await deps.salesforce.forOrg(orgId);
    const test = await probe(session);
    if (!test.ok)
      throw new ConflictError(
        'salesforce_connection_failing',
        `The Salesforce connection does not work: ${test.message}`,
        { problem: test.problem },
      );
    // A fresh Integration Health check: without a required system permission (View All Users above all) the org
    // silently returns fewer users, and those would be missed for good.
    const { report } = await currentHealth(scope, session.conn, { force: true });
    const missing = report.items.filter(
      (i) => i.category === 'systemPermission' && i.severity === 'required' && i.status === 'missing',
    );
    if (missing.length)
      throw new ConflictError(
        'required_permission_missing',
        `Automatic Mode cannot be enabled while the integration user lacks ${missing.map((i) => i.label).join(', ')}: ` +
          `without it Salesforce silently returns fewer users, and they would be missed. ${missing[0]!.fix ?? ''} ` +
          'Then run the Integration Health check again.',
        { missing: missing.map((i) => i.id), healthCheckId: report.id },
      );
  }

  async function preview(
    orgId: string,
    body: { mode: 'manual' | 'automatic'; hierarchySource?: HierarchySource },
  ): Promise<ModePreview> {
    const org = (await findOrg(db, orgId))!;
    const source = body.hierarchySource ?? org.hierarchy_source;
    if (body.mode === 'automatic') {
      await requireEnablePrerequisites(orgId);
      return previewAutomatic(deps, orgId, source);
    }
    // Back to Manual Mode: nothing moves; the hierarchy stays as manual teams and syncing stops.
    return {
      mode: 'manual',
      hierarchySource: source,
      counts: {},
      teams: { create: [], rename: [], move: [], delete: [] },
      users: { create: [], move: [], suspend: [], unmatched: [] },
      skipped: [],
      conflicts: [],
      apiCalls: 0,
    };
  }

  async function setMode(
    orgId: string,
    actor: Actor,
    body: { mode: 'manual' | 'automatic'; hierarchySource?: HierarchySource },
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
    await requireEnablePrerequisites(orgId);
    const runId = await runSync(deps, orgId, {
      kind: 'enable',
      hierarchySource: source,
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
    return { items: (await repo.listRuns(scoped(db, orgId), limit)).map(toRun) };
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
  async function drift(orgId: string) {
    const rows = await repo.listDrift(scoped(db, orgId));
    return {
      count: rows.length,
      items: rows.map((r) => ({
        userId: r.user_id,
        email: r.email,
        name: `${r.first_name} ${r.last_name}`.trim(),
        sfUserId: r.sf_user_id,
        reason: r.reason,
        since: iso(r.since)!,
        approvalId: r.approval_id,
      })),
    };
  }

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
