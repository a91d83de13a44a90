import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { findOrg } from '../orgs/repo.js';
import type { SalesforceClients, SalesforceSession } from '../salesforce/connection.js';
import { ApiBudgetError, ConcurrentLimitError, explainSalesforceError, SalesforceError } from '../salesforce/errors.js';
import { recordAudit, SYNC_ACTOR } from '../shared/audit.js';
import { AppError, ConflictError } from '../shared/errors.js';
import { JobInterrupted, reportProgress } from '../jobs/progress.js';
import { applySyncPlan } from './apply.js';
import {
  DELETED_KEPT_MS,
  fetchAll,
  fetchChanges,
  fetchRoleIds,
  fetchUserIds,
  fetchUsersById,
  type Changes,
  type SfRole,
} from './fetch.js';
import { cachedGate } from './gate.js';
import { massSuspensionGuard } from './guard.js';
import { loadSyncState, type SyncInput } from './load.js';
import { mirroredUserIds } from './mirror.js';
import { planSync, type Counts, type SyncPlan } from './plan.js';
import { currentHealth, stopOf } from './stop.js';
import type { HierarchySource } from './projection.js';
import {
  advanceCursor,
  createApproval,
  findApproval,
  finishRun,
  hasPendingApproval,
  holdSfUsers,
  interruptStaleRuns,
  latestFinishedRun,
  readCursors,
  startRun,
} from './repo.js';

/** Rows become visible a few seconds after their SystemModstamp: every poll re-reads this much before the cursor. */
export const OVERLAP_MS = 120_000;
/**
 * The user ids are compared in full this often: a user who became visible without a SystemModstamp change (a sharing
 * change, View All Users granted) is never in an incremental read. One call per 2,000 users, four times a day.
 */
export const USER_RECONCILE_MS = 6 * 60 * 60_000;
/** Without /deleted, the role ids are compared in full this often. */
const ROLE_RECONCILE_MS = 60 * 60_000;
const STALE_RUN_MINUTES = 15;

export type RunKind = 'incremental' | 'full' | 'enable' | 'approved' | 'rejected';
export type Outcome =
  'success' | 'blocked' | 'limit_exceeded' | 'concurrent_limit' | 'failed' | 'awaiting_approval' | 'interrupted';

export interface SyncDeps {
  db: Knex;
  salesforce: SalesforceClients;
  log: FastifyBaseLogger;
}

export interface RunOptions {
  kind?: RunKind;
  /** The approval this run carries out: approved skips the guard, rejected holds the suspensions back. */
  approval?: { id: string; decision: 'approved' | 'rejected' };
  /** Enabling: the hierarchy source chosen, and the mode switch written in the run's own transaction. */
  hierarchySource?: HierarchySource;
  beforeApply?: (scope: OrgScope) => Promise<void>;
}

class GuardPause extends Error {
  constructor(
    readonly plan: SyncPlan,
    readonly why: string,
  ) {
    super(why);
  }
}

export type { Counts };

/** One sync run of an org in Automatic Mode, recorded in sync_runs whatever its outcome. */
export async function runSync(deps: SyncDeps, orgId: string, opts: RunOptions = {}): Promise<string> {
  const { db } = deps;
  const scope = scoped(db, orgId);
  const org = (await findOrg(db, orgId))!;
  if (org.management_mode !== 'automatic' && opts.kind !== 'enable')
    throw new ConflictError('not_automatic', 'Salesforce sync runs only in Automatic Mode.');
  if (!opts.approval && (await hasPendingApproval(scope))) {
    throw new ConflictError(
      'awaiting_approval',
      'A sync is waiting for an admin to approve or reject its suspensions.',
    );
  }
  // A run left 'running' by a killed process is marked, so the history does not show it running forever.
  await interruptStaleRuns(scope, STALE_RUN_MINUTES);
  const cursors = await readCursors(scope);
  const kind: RunKind = opts.kind ?? (cursors.User ? 'incremental' : 'full');
  const runId = await startRun(scope, kind);
  let session: SalesforceSession | null = null;
  const finish = (
    outcome: Outcome,
    fields: { counts?: Partial<Counts>; error?: string | null; warnings?: string[] } = {},
  ) =>
    finishRun(scope, runId, {
      outcome,
      counts: fields.counts ?? {},
      warnings: fields.warnings ?? [],
      error: fields.error ?? null,
      apiCalls: session?.apiCalls() ?? 0,
    });

  let warnings: string[] = [];
  try {
    session = await deps.salesforce.forOrg(orgId);
    // One truth about stopping: the latest integration-health check (re-run when 15 minutes old, and right after a
    // blocked run so a fix is seen at the next poll). Blocked stops the run, naming each missing item. This run is
    // still running, so it is not the previous one.
    const previous = await latestFinishedRun(scope);
    const health = await currentHealth(scope, session.conn, {
      blockedRunAt: previous?.outcome === 'blocked' ? new Date(previous.started_at) : null,
    });
    const stop = stopOf(health.report);
    if (stop.stopped) {
      await finish('blocked', { error: stop.message, warnings });
      return runId;
    }
    const s = session;
    // The field gate's describes are kept between polls and described again with each full check.
    let gate = await cachedGate(orgId, s.conn, { fresh: health.ran || kind === 'enable' });
    warnings = gate.warnings;
    if (gate.blocked) {
      await finish('blocked', { error: gate.message, warnings });
      return runId;
    }
    const full = kind === 'full' || kind === 'enable' || !cursors.User;
    const since = (c: Date | undefined) => new Date((c?.getTime() ?? 0) - OVERLAP_MS);
    // /deleted keeps 15 days: a window older than that (the service was off) is answered by comparing role ids.
    const deletedSince = since(cursors['UserRole.deleted'] ?? cursors.UserRole);
    const deletedTooOld = Date.now() - deletedSince.getTime() > DELETED_KEPT_MS - 60 * 60_000;
    const readStartedAt = new Date();
    const read = async (): Promise<Changes> =>
      full
        ? { ...(await fetchAll(s, gate.filter)), deletedRoleIds: null, deletedCoveredUntil: null }
        : fetchChanges(
            s,
            {
              user: since(cursors.User),
              role: since(cursors.UserRole),
              deleted: deletedTooOld ? null : deletedSince,
            },
            gate.filter,
          );
    let changes: Changes;
    try {
      changes = await read();
    } catch (err) {
      // A field hidden since the describes were kept: describe again and read once more with what is readable.
      const code = (err as { sfCode?: string; errorCode?: string }).sfCode ?? (err as { errorCode?: string }).errorCode;
      if (code !== 'INVALID_FIELD') throw err;
      gate = await cachedGate(orgId, s.conn, { fresh: true });
      warnings = gate.warnings;
      if (gate.blocked) {
        await finish('blocked', { error: gate.message, warnings });
        return runId;
      }
      changes = await read();
    }
    let liveRoleIds: string[] | null = null;
    const lastReconcile = cursors['UserRole.reconcile']?.getTime() ?? 0;
    if (!full && changes.deletedRoleIds === null && (deletedTooOld || Date.now() - lastReconcile > ROLE_RECONCILE_MS))
      liveRoleIds = await fetchRoleIds(session);

    let userReconciled = false;
    const lastUserReconcile = cursors['User.reconcile']?.getTime() ?? 0;
    // Within the API budget: the compare waits (for a later poll) while usage is past three quarters of Roster's share.
    const usage = s.limitInfo();
    const roomy = !usage || usage.used < 0.75 * Number(org.api_budget_share ?? 0.8) * usage.max;
    if (!full && roomy && Date.now() - lastUserReconcile > USER_RECONCILE_MS) {
      const known = new Set<string>(await mirroredUserIds(scope));
      for (const u of changes.users) known.add(u.id);
      const unseen = (await fetchUserIds(s)).filter((id) => !known.has(id));
      if (unseen.length)
        changes = { ...changes, users: [...changes.users, ...(await fetchUsersById(s, unseen, gate.filter))] };
      userReconciled = true;
    }

    reportProgress({ phase: 'Saving the changes', done: 0, total: null });
    const { counts, warnings: applyWarnings } = await inOrgTransaction(db, orgId, async (trx) => {
      // One run per org at a time, whichever replica or route started it.
      await findOrg(trx.db, orgId, true);
      await opts.beforeApply?.(trx);
      return applyChanges(trx, opts.hierarchySource ?? org.hierarchy_source, Number(org.suspension_guard_share), {
        full,
        changes,
        liveRoleIds,
        readStartedAt,
        userReconciled,
        approval: opts.approval,
        enabling: kind === 'enable',
      });
    });
    warnings = [...warnings, ...applyWarnings];
    await finish('success', { counts, warnings });
  } catch (err) {
    if (err instanceof JobInterrupted) {
      // The service is stopping: nothing was written; the job runs again after the restart.
      await finish('interrupted', { error: err.message, warnings });
      throw err;
    }
    if (err instanceof GuardPause) {
      const users = err.plan.users;
      await createApproval(scope, {
        syncRunId: runId,
        suspendCount: users.suspends.length,
        totalUsers: err.plan.state.activeUsers,
        plan: {
          suspend: users.suspends.slice(0, 1000),
          // Every suspension the admin is asked about: an approval covers these and no others.
          suspendIds: users.suspends.map((u) => u.sfUserId),
          created: users.creates.length,
          updates: users.updates.length,
        },
      });
      await finish('awaiting_approval', {
        error: err.why,
        counts: { suspended: 0 },
        warnings,
      });
      return runId;
    }
    // Our own refusals (an invalid rule, say) keep their message; anything else is explained as Salesforce's.
    const own = err instanceof AppError && !(err instanceof SalesforceError);
    const e = own ? null : explainSalesforceError(err);
    // The daily allowance waits for room (scheduled polls pause); the concurrent limit was already retried within
    // seconds and the next poll simply runs.
    const outcome: Outcome =
      e instanceof ApiBudgetError
        ? 'limit_exceeded'
        : e instanceof ConcurrentLimitError
          ? 'concurrent_limit'
          : 'failed';
    if (outcome === 'failed') deps.log.error({ err, orgId, runId }, 'salesforce sync failed');
    await finish(outcome, {
      error: own || e?.problem === 'query_failed' ? String((err as Error)?.message ?? err) : e!.message,
      warnings,
    });
  }
  return runId;
}

export interface ApplyInput {
  full: boolean;
  changes: Changes;
  liveRoleIds: string[] | null;
  /** When this run began reading Salesforce: role deletions up to then are reflected by a full id compare. */
  readStartedAt?: Date;
  /** This run compared every user id with the mirror. */
  userReconciled?: boolean;
  approval?: RunOptions['approval'];
  /** Enabling Automatic Mode never suspends anyone (and so needs no guard). */
  enabling?: boolean;
}

/** Load, plan, guard, apply and advance the cursors, in the caller's transaction: all of the run or none of it. */
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

const newest = (rows: { modstamp: string | null }[]): Date | null => {
  let max: number | null = null;
  for (const r of rows) {
    const t = r.modstamp ? Date.parse(r.modstamp) : NaN;
    if (!Number.isNaN(t) && (max === null || t > max)) max = t;
  }
  return max === null ? null : new Date(max);
};

/**
 * The cursor moves to the newest SystemModstamp actually read, never to "now" after an empty read. One exception keeps
 * an idle poll from re-reading a burst of old rows forever: Salesforce's own clock (latestDateCovered of /deleted)
 * minus the overlap. A row still invisible at that time has a later SystemModstamp, and the next query starts another
 * overlap earlier still, so it is read.
 */
async function advanceCursors(scope: OrgScope, changes: Changes, input: ApplyInput) {
  const set = async (object: string, at: Date | null) => {
    if (at) await advanceCursor(scope, object, at);
  };
  await set('User', newest(changes.users));
  await set('UserRole', newest(changes.roles as SfRole[]));
  if (changes.deletedCoveredUntil) {
    const settled = new Date(Date.parse(changes.deletedCoveredUntil) - OVERLAP_MS);
    await set('User', settled);
    await set('UserRole', settled);
  }
  if (input.full) {
    // A full read covers everything up to now: deletions before it are already reflected.
    await set('User', new Date(0));
    await set('UserRole', new Date(0));
    await set('UserRole.deleted', new Date());
    await set('UserRole.reconcile', new Date());
    await set('User.reconcile', new Date());
  }
  if (input.userReconciled) await set('User.reconcile', new Date());
  if (changes.deletedCoveredUntil) await set('UserRole.deleted', new Date(Date.parse(changes.deletedCoveredUntil)));
  if (input.liveRoleIds) {
    await set('UserRole.reconcile', new Date());
    // Every deletion before the compare is reflected: /deleted starts from there (and within its 15 days) again.
    if (input.readStartedAt) await set('UserRole.deleted', input.readStartedAt);
  }
}
