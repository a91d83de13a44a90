import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { runAlone, runInTurn } from '../db/run-alone.js';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { findOrg } from '../orgs/repo.js';
import type { SalesforceClients, SalesforceSession } from '../salesforce/connection.js';
import { ApiBudgetError, ConcurrentLimitError, explainSalesforceError, SalesforceError } from '../salesforce/errors.js';
import { AppError, ConflictError } from '../shared/errors.js';
import { PreviewStaleError } from '../shared/preview-token.js';
import { JobInterrupted, reportProgress } from '../jobs/progress.js';
import { AdminLockOutError } from './admin-lock-out.js';
import { applyChanges, GuardPause, type ApplyInput, type RunApproval } from './apply-changes.js';
import { OVERLAP_MS } from './cursors.js';
import {
  DELETED_KEPT_MS,
  fetchAll,
  fetchChanges,
  fetchRoleIds,
  fetchUserIds,
  fetchUsersById,
  FROZEN_UNKNOWN,
  type Changes,
} from './fetch.js';
import { cachedGate } from './gate.js';
import { mirroredUserIds } from './mirror.js';
import type { Counts } from './plan.js';
import { currentHealth, stopOf } from './stop.js';
import type { HierarchySource } from './projection.js';
import type { RunKind } from './rows.js';
import { createApproval, hasPendingApproval } from './repo.js';
import { finishRun, interruptDeadRuns, latestFinishedRun, readCursors, startRun, type RunResult } from './runs-repo.js';

/**
 * The user ids are compared in full this often: a user who became visible without a SystemModstamp change (a sharing
 * change, View All Users granted) is never in an incremental read. One call per 2,000 users, four times a day.
 */
export const USER_RECONCILE_MS = 6 * 60 * 60_000;
/** Without /deleted, the role ids are compared in full this often. */
const ROLE_RECONCILE_MS = 60 * 60_000;

/** How a run ends. */
export type Outcome = RunResult['outcome'];

export interface SyncDeps {
  db: Knex;
  salesforce: SalesforceClients;
  log: FastifyBaseLogger;
}

export interface RunOptions {
  kind?: RunKind;
  /** The approval this run carries out: approved skips the guard, rejected holds the suspensions back. */
  approval?: RunApproval;
  /** Enabling: the hierarchy source chosen, and the mode switch written in the run's own transaction. */
  hierarchySource?: HierarchySource;
  beforeApply?: (scope: OrgScope) => Promise<void>;
  /** Enabling compares the plan with the admin's preview: a PreviewStaleError ends the run preview_stale, rethrown. */
  checkPlan?: ApplyInput['checkPlan'];
}

export type { Counts };

/**
 * The org's run lock (db/run-alone.ts): every run holds it, so one run per org at a time whichever replica or route
 * started it, and a replica killed mid-run gives it back as its connection drops.
 */
const runLock = (orgId: string) => `salesforce-sync:${orgId}`;

/** One sync run of an org in Automatic Mode, once the org's run in progress (if any) has ended; its id. */
export const runSync = (deps: SyncDeps, orgId: string, opts: RunOptions = {}): Promise<string> =>
  runInTurn(deps.db, runLock(orgId), () => run(deps, orgId, opts));

/** A scheduled poll's run, skipped (false) while another run of the org, here or in another replica, is going. */
export const pollSync = (deps: SyncDeps, orgId: string): Promise<boolean> =>
  runAlone(deps.db, runLock(orgId), () => run(deps, orgId));

/** One sync run, recorded in sync_runs whatever its outcome; the caller holds the org's run lock. */
async function run(deps: SyncDeps, orgId: string, opts: RunOptions = {}): Promise<string> {
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
  // Holding the org's run lock, no other run of the org is alive: one left 'running' died with its process, and is
  // ended now so the screens stop saying a sync is running.
  const ended = await interruptDeadRuns(scope);
  if (ended) deps.log.warn({ orgId, ended }, 'sync runs left running by a stopped service ended as interrupted');
  const cursors = await readCursors(scope);
  const kind: RunKind = opts.kind ?? (cursors.User ? 'incremental' : 'full');
  const runId = await startRun(scope, kind);
  // Which replica ran which org's sync, and when (pino's pid and hostname on each line name the replica).
  deps.log.debug({ orgId, runId, kind }, 'salesforce sync started');
  let session: SalesforceSession | null = null;
  const finish = async (
    outcome: Outcome,
    fields: { counts?: Partial<Counts>; error?: string | null; warnings?: string[] } = {},
  ) => {
    await finishRun(scope, runId, {
      outcome,
      counts: fields.counts ?? {},
      warnings: fields.warnings ?? [],
      error: fields.error ?? null,
      apiCalls: session?.apiCalls() ?? 0,
    });
    deps.log.debug({ orgId, runId, outcome }, 'salesforce sync finished');
  };

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
    if (changes.frozenIds === null) warnings = [...warnings, FROZEN_UNKNOWN];
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
        checkPlan: opts.checkPlan,
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
    if (err instanceof PreviewStaleError) {
      // Not a failure: Salesforce or Roster changed since the admin's preview, so nothing was applied; the caller
      // answers with the new preview.
      await finish('preview_stale', { error: err.message, warnings });
      throw err;
    }
    if (err instanceof AdminLockOutError) {
      // The admin's own refusal to make, nothing applied: recorded with its reason, answered as a 409.
      await finish('failed', { error: err.message, warnings });
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
