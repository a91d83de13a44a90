import type { OrgScope } from '../db/scoped.js';
import { recordAudit, SYNC_ACTOR } from '../shared/audit.js';
import { applySyncPlan } from './apply.js';
import { advanceCursors, type CursorInput } from './cursors.js';
import type { Changes } from './fetch.js';
import { massSuspensionGuard } from './guard.js';
import { loadSyncState, type SyncInput } from './load.js';
import { planSync, type Counts, type SyncPlan } from './plan.js';
import type { HierarchySource } from './projection.js';
import { findApproval, holdSfUsers } from './repo.js';

/** The approval a run carries out: approved skips the guard, rejected holds the suspensions back. */
export interface RunApproval {
  id: string;
  decision: 'approved' | 'rejected';
}

/** The guard paused the run: its plan waits for an admin's approval. */
export class GuardPause extends Error {
  constructor(
    readonly plan: SyncPlan,
    readonly why: string,
  ) {
    super(why);
  }
}

export interface ApplyInput extends CursorInput {
  changes: Changes;
  approval?: RunApproval;
  /** Enabling Automatic Mode never suspends anyone (and so needs no guard). */
  enabling?: boolean;
  /** Refuses (throws) the plan before anything is written, in the run's transaction: enabling compares the preview. */
  checkPlan?: (scope: OrgScope, plan: SyncPlan) => Promise<void>;
}

/**
 * Load, plan, guard, apply and advance the cursors, in the caller's transaction: all of the run or none of it. Throws
 * GuardPause when the run would suspend more than the guard allows.
 */
export async function applyChanges(
  scope: OrgScope,
  source: HierarchySource,
  guardShare: number,
  input: ApplyInput,
): Promise<{ counts: Counts; plan: SyncPlan; warnings: string[] }> {
  const syncInput: SyncInput = {
    source,
    full: input.full,
    changes: input.changes,
    liveRoleIds: input.liveRoleIds,
    enabling: !!input.enabling,
  };
  const plan = planSync(await loadSyncState(scope, syncInput));
  await input.checkPlan?.(scope, plan);
  // The approval is carried out against Salesforce as it is now (this run read it again): of the suspensions the
  // admin approved, those still due are applied; users who came back are not suspended; suspensions that arose since
  // the pause were never shown to the admin, so they face the guard on their own (held for the next run if too many).
  let deferred: string[] = [];
  if (input.approval?.decision === 'approved') {
    const approved = await approvedSuspensions(scope, input.approval.id);
    if (approved) {
      const since = plan.users.suspends.filter((u) => !approved.has(u.sfUserId));
      const own = massSuspensionGuard(
        { suspends: since },
        { activeUsers: plan.state.activeUsers, share: guardShare, decided: false, enabling: false },
      );
      if (own.pause) {
        deferred = since.map((u) => u.sfUserId);
        plan.users.suspends = plan.users.suspends.filter((u) => approved.has(u.sfUserId));
      }
    }
  }
  const guard = massSuspensionGuard(plan.users, {
    activeUsers: plan.state.activeUsers,
    share: guardShare,
    decided: !!input.approval,
    enabling: !!input.enabling,
  });
  if (guard.pause) throw new GuardPause(plan, guard.message);

  const { counts, warnings } = await applySyncPlan(scope, SYNC_ACTOR, plan, {
    rejected: input.approval?.decision === 'rejected' ? { approvalId: input.approval.id } : undefined,
  });
  // Held users are planned again by every run, so the deferred suspensions are seen (and guarded) at the next poll.
  await holdSfUsers(scope, deferred);
  await advanceCursors(scope, input.changes, input);
  if (input.approval) {
    await recordAudit(scope, SYNC_ACTOR, {
      action: `sync.approval_${input.approval.decision === 'approved' ? 'applied' : 'rejected_applied'}`,
      targetType: 'sync_approval',
      targetId: input.approval.id,
    });
  }
  return { counts, plan, warnings };
}

/** The Salesforce user ids an approval covers; null for an approval stored before they were kept (it covers all). */
async function approvedSuspensions(scope: OrgScope, approvalId: string): Promise<Set<string> | null> {
  const row = await findApproval(scope, approvalId);
  const plan = (typeof row?.plan === 'string' ? JSON.parse(row.plan) : row?.plan) as
    { suspendIds?: unknown } | undefined;
  return Array.isArray(plan?.suspendIds) ? new Set<string>(plan.suspendIds) : null;
}
