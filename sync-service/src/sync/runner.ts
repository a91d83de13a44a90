import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import type { SalesforceClients, SalesforceSession } from '../salesforce/connection.js';
import { ApiBudgetError, explainSalesforceError, SalesforceError } from '../salesforce/errors.js';
import { recordAudit, SYNC_ACTOR } from '../shared/audit.js';
import { AppError, ConflictError } from '../shared/errors.js';
import { JobInterrupted, reportProgress } from '../jobs/progress.js';
import { reconcileTeams } from './apply-teams.js';
import { applyUserPlan, planUsers, SYNC_SUSPENSION, type UserCounts, type UserPlan } from './apply-users.js';
import { fetchAll, fetchChanges, fetchRoleIds, type Changes, type SfRole, type SfUser } from './fetch.js';
import { runGate } from './gate.js';
import { loadRoles, loadUsers, missingRoleIds, replaceMirror, upsertRoles, upsertUsers } from './mirror.js';
import { managerHierarchy, roleHierarchy, type HierarchySource } from './projection.js';
import { invalidRuleWarnings, loadAssigner } from './rules.js';
import { customTeamPeople, keepCustomTeamPeople } from './custom-teams.js';
import { settleRedirects } from '../teams/redirects.js';
import { refreshDerivedManagers } from '../teams/managers.js';
import { moveUsersToTeam } from '../users/repo.js';

/** Rows become visible a few seconds after their SystemModstamp: every poll re-reads this much before the cursor. */
export const OVERLAP_MS = 120_000;
/** Without /deleted, the role ids are compared in full this often. */
const ROLE_RECONCILE_MS = 60 * 60_000;
const STALE_RUN_MINUTES = 15;

export type RunKind = 'incremental' | 'full' | 'enable' | 'approved' | 'rejected';
export type Outcome = 'success' | 'blocked' | 'limit_exceeded' | 'failed' | 'awaiting_approval' | 'interrupted';

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
    readonly plan: UserPlan,
    readonly total: number,
  ) {
    super('mass suspension guard');
  }
}

export type Counts = UserCounts & {
  teamsCreated: number;
  teamsRenamed: number;
  teamsMoved: number;
  teamsDeleted: number;
};

/** One sync run of an org in Automatic Mode, recorded in sync_runs whatever its outcome. */
export async function runSync(deps: SyncDeps, orgId: string, opts: RunOptions = {}): Promise<string> {
  const { db } = deps;
  const scope = scoped(db, orgId);
  const org = await db('orgs').where({ id: orgId }).first();
  if (org.management_mode !== 'automatic' && opts.kind !== 'enable')
    throw new ConflictError('not_automatic', 'Salesforce sync runs only in Automatic Mode.');
  if (!opts.approval && (await scope.table('sync_approvals').where('status', 'pending').first('id'))) {
    throw new ConflictError(
      'awaiting_approval',
      'A sync is waiting for an admin to approve or reject its suspensions.',
    );
  }
  // A run left 'running' by a killed process is marked, so the history does not show it running forever.
  await scope
    .table('sync_runs')
    .where('outcome', 'running')
    .where('started_at', '<', db.raw(`now() - interval '${STALE_RUN_MINUTES} minutes'`))
    .update({ outcome: 'interrupted', finished_at: db.fn.now() });
  const cursors = await readCursors(scope);
  const kind: RunKind = opts.kind ?? (cursors.User ? 'incremental' : 'full');
  const [run] = await scope.insert('sync_runs', { kind }).returning('id');
  let session: SalesforceSession | null = null;
  const finish = (
    outcome: Outcome,
    fields: { counts?: Partial<Counts>; error?: string | null; warnings?: string[] } = {},
  ) =>
    scope
      .table('sync_runs')
      .where('id', run.id)
      .update({
        outcome,
        finished_at: db.fn.now(),
        counts: JSON.stringify(fields.counts ?? {}),
        warnings: JSON.stringify(fields.warnings ?? []),
        error: fields.error ?? null,
        api_calls: session?.apiCalls() ?? 0,
      });

  let warnings: string[] = [];
  try {
    session = await deps.salesforce.forOrg(orgId);
    const gate = await runGate(session.conn);
    warnings = gate.warnings;
    if (gate.blocked) {
      await finish('blocked', { error: gate.message, warnings });
      return run.id;
    }
    const full = kind === 'full' || kind === 'enable' || !cursors.User;
    const since = (c: Date | undefined) => new Date((c?.getTime() ?? 0) - OVERLAP_MS);
    const changes: Changes = full
      ? { ...(await fetchAll(session, gate.filter)), deletedRoleIds: null, deletedCoveredUntil: null }
      : await fetchChanges(
          session,
          {
            user: since(cursors.User),
            role: since(cursors.UserRole),
            deleted: since(cursors['UserRole.deleted'] ?? cursors.UserRole),
          },
          gate.filter,
        );
    let liveRoleIds: string[] | null = null;
    const lastReconcile = cursors['UserRole.reconcile']?.getTime() ?? 0;
    if (!full && changes.deletedRoleIds === null && Date.now() - lastReconcile > ROLE_RECONCILE_MS)
      liveRoleIds = await fetchRoleIds(session);

    reportProgress({ phase: 'Saving the changes', done: 0, total: null });
    const { counts, warnings: applyWarnings } = await inOrgTransaction(db, orgId, async (trx) => {
      // One run per org at a time, whichever replica or route started it.
      await trx.db('orgs').where({ id: orgId }).forUpdate().first('id');
      await opts.beforeApply?.(trx);
      return applyChanges(trx, opts.hierarchySource ?? org.hierarchy_source, Number(org.suspension_guard_share), {
        full,
        changes,
        liveRoleIds,
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
      const suspends = err.plan.suspends;
      await scope.insert('sync_approvals', {
        sync_run_id: run.id,
        suspend_count: suspends.length,
        total_users: err.total,
        plan: JSON.stringify({
          suspend: suspends.slice(0, 1000),
          created: err.plan.creates.length,
          updates: err.plan.updates.length,
        }),
      });
      await finish('awaiting_approval', {
        error: `This run would suspend ${suspends.length} of ${err.total} users, more than the guard allows; an admin must approve or reject it.`,
        counts: { suspended: 0 },
        warnings,
      });
      return run.id;
    }
    // Our own refusals (an invalid rule, say) keep their message; anything else is explained as Salesforce's.
    const own = err instanceof AppError && !(err instanceof SalesforceError);
    const e = own ? null : explainSalesforceError(err);
    const outcome: Outcome = e instanceof ApiBudgetError ? 'limit_exceeded' : 'failed';
    if (outcome === 'failed') deps.log.error({ err, orgId, runId: run.id }, 'salesforce sync failed');
    await finish(outcome, {
      error: own || e?.problem === 'query_failed' ? String((err as Error)?.message ?? err) : e!.message,
      warnings,
    });
  }
  return run.id;
}

export interface ApplyInput {
  full: boolean;
  changes: Changes;
  liveRoleIds: string[] | null;
  approval?: RunOptions['approval'];
  /** Enabling Automatic Mode never suspends anyone (and so needs no guard). */
  enabling?: boolean;
}

/** Mirror, teams, users and cursors in the caller's transaction: all of the run or none of it. */
export async function applyChanges(
  scope: OrgScope,
  source: HierarchySource,
  guardShare: number,
  input: ApplyInput,
): Promise<{ counts: Counts; plan: UserPlan; warnings: string[] }> {
  const { changes } = input;
  let userChanges;
  let deletedRoles: string[];
  if (input.full) {
    const r = await replaceMirror(scope, changes);
    userChanges = r.userChanges;
    deletedRoles = r.roleChanges.deleted;
  } else {
    userChanges = await upsertUsers(scope, changes.users);
    const gone = [
      ...(changes.deletedRoleIds ?? []),
      ...(input.liveRoleIds ? await missingRoleIds(scope, input.liveRoleIds) : []),
    ];
    deletedRoles = (await upsertRoles(scope, changes.roles, gone)).deleted;
  }
  const roles = await loadRoles(scope);
  const needAll = input.full || source === 'manager';
  const mirrorUsers = needAll ? await loadUsers(scope) : null;
  const hierarchy = source === 'role' ? roleHierarchy(roles) : managerHierarchy(mirrorUsers!);
  const customBefore = await customTeamPeople(scope);
  const {
    index,
    counts: teamCounts,
    membersMoved,
    replaced,
  } = await reconcileTeams(scope, SYNC_ACTOR, source, hierarchy.teams);

  // Enabling: users not present in the Salesforce hierarchy (no record in it) wait in the top-level team (SPEC 3),
  // wherever an admin had put them, so a later role deletion in Salesforce never has to move them anywhere.
  if (input.enabling) {
    const strays: string[] = await scope
      .table('users')
      .whereIn('team_id', scope.table('teams').where('kind', 'hierarchy').select('id'))
      .where((q) =>
        q.whereNull('sf_user_id').orWhereNotIn('sf_user_id', scope.table('salesforce_users').select('sf_user_id')),
      )
      .pluck('id');
    if (strays.length) await moveUsersToTeam(scope, SYNC_ACTOR, strays, index.topTeamId);
  }
  // Users to look at: every one on a full run (or in manager mode, where a team depends on others), else those changed.
  let subject: SfUser[];
  const frozen = changes.frozenIds ? new Set(changes.frozenIds.map((id) => id.slice(0, 15))) : null;
  if (mirrorUsers) subject = [...mirrorUsers.values()];
  else {
    const ids = new Set(userChanges.map((c) => c.after.id));
    if (frozen) {
      // Freezing and unfreezing leave the User row alone: look at every frozen user and every one suspended as frozen.
      for (const id of await scope.table('users').whereNotNull('sf_user_id').pluck('sf_user_id'))
        if (frozen.has(String(id).slice(0, 15))) ids.add(id);
      for (const id of await scope
        .table('users')
        .where('suspension_reason', SYNC_SUSPENSION.frozen)
        .whereNotNull('sf_user_id')
        .pluck('sf_user_id'))
        ids.add(id);
    }
    for (const held of await scope.table('sync_held_users').pluck('sf_user_id')) ids.add(held);
    if (deletedRoles.length)
      for (const r of await scope.table('salesforce_users').whereIn('sf_role_id', deletedRoles).pluck('sf_user_id'))
        ids.add(r);
    subject = [...(await loadUsers(scope, [...ids])).values()];
  }
  // Without the frozen set (UserLogin unreadable) a user keeps the frozen state the last run saw.
  for (const u of subject) u.frozen = frozen ? frozen.has(u.id.slice(0, 15)) : undefined;
  const previous = new Map(userChanges.map((c) => [c.after.id, c.before]));
  const assign = await loadAssigner(scope);
  const plan = await planUsers(scope, {
    users: subject,
    previous,
    hierarchy,
    teams: index,
    assign,
    suspend: !input.enabling,
  });

  // The share is of the users Salesforce can suspend: hand-added and CSV users would only dilute it.
  const total = Number(
    (await scope.table('users').whereNotNull('sf_user_id').whereNot('status', 'suspended').count({ n: '*' }).first())
      ?.n ?? 0,
  );
  if (!input.approval && !input.enabling && plan.suspends.length > 1 && plan.suspends.length > guardShare * total)
    throw new GuardPause(plan, total);

  const userCounts = await applyUserPlan(scope, SYNC_ACTOR, plan, {
    rejected: input.approval?.decision === 'rejected' ? { approvalId: input.approval.id } : undefined,
  });
  // A manager-hierarchy team's leader sits in the team above: moving or suspending them changes the team below.
  if (source === 'manager') await refreshDerivedManagers(scope, null, SYNC_ACTOR);
  await settleRedirects(scope, SYNC_ACTOR, replaced);
  const warnings = [
    ...invalidRuleWarnings(assign, plan.skippedUsers.filter((u) => u.reason === 'invalid_rule').length),
    ...(await keepCustomTeamPeople(scope, SYNC_ACTOR, customBefore, {
      enabling: !!input.enabling,
      displaced: replaced.flatMap((r) => r.members),
    })),
  ];
  await advanceCursors(scope, changes, input);
  if (input.approval) {
    await recordAudit(scope, SYNC_ACTOR, {
      action: `sync.approval_${input.approval.decision === 'approved' ? 'applied' : 'rejected_applied'}`,
      targetType: 'sync_approval',
      targetId: input.approval.id,
    });
  }
  return { counts: { ...userCounts, ...teamCounts, moved: userCounts.moved + membersMoved }, plan, warnings };
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
    if (!at) return;
    await scope
      .db('sync_cursors')
      .insert({ org_id: scope.orgId, object, last_modstamp: at, updated_at: scope.db.fn.now() })
      .onConflict(['org_id', 'object'])
      .merge({
        last_modstamp: scope.db.raw('GREATEST(sync_cursors.last_modstamp, excluded.last_modstamp)'),
        updated_at: scope.db.fn.now(),
      });
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
  }
  if (changes.deletedCoveredUntil) await set('UserRole.deleted', new Date(Date.parse(changes.deletedCoveredUntil)));
  if (input.liveRoleIds) await set('UserRole.reconcile', new Date());
}

export async function readCursors(scope: OrgScope): Promise<Record<string, Date | undefined>> {
  const rows = await scope.table('sync_cursors').select('object', 'last_modstamp');
  return Object.fromEntries(
    rows.map((r: { object: string; last_modstamp: Date | null }) => [
      r.object,
      r.last_modstamp ? new Date(r.last_modstamp) : undefined,
    ]),
  );
}
