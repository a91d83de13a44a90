import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../shared/audit.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { getManagementMode } from '../users/repo.js';
import { reportProgress } from '../jobs/progress.js';
import type { JobRunner } from '../jobs/runner.js';
import { fetchAll } from './fetch.js';
import { runGate } from './gate.js';
import { loadRoles, replaceMirror } from './mirror.js';
import { applyRoleImport } from './role-import-apply.js';
import { describeRoleImport, loadRoleImportState, planRoleImport, treeOrder } from './role-import-plan.js';
import type { SyncDeps } from './runner.js';
import type { ImportPreview } from './schemas.js';

/** Whether the user counts toward a role's "active users": what the import would bring in. */
const importable = (u: { isActive: boolean; userType: string | null }) => u.isActive && u.userType === 'Standard';

/** The mirror is read again in the background when a view finds it older than this. */
export const MIRROR_MAX_AGE_MS = 10 * 60_000;

export interface RoleImportDeps extends SyncDeps {
  /** Starts (or finds running) the background refresh of the mirror; its job id. Without it, views never refresh. */
  refreshInBackground?: (orgId: string) => Promise<string>;
}

/** The views' background refresh: a roles.refresh job started by the service, or the one already running. */
export function refreshThroughJobs(jobs: Pick<JobRunner, 'startOrFollow'>) {
  return async (orgId: string) => (await jobs.startOrFollow(orgId, SYSTEM_ACTOR, 'roles.refresh', {})).id;
}

export function createRoleImportService(deps: RoleImportDeps) {
  /** Reads the roles and users from Salesforce into the mirror (Manual Mode only: in Automatic Mode the sync owns it). */
  async function refresh(orgId: string): Promise<number> {
    const scope = scoped(deps.db, orgId);
    if ((await getManagementMode(scope)) === 'automatic') return 0;
    const session = await deps.salesforce.forOrg(orgId);
    // Through the field gate like the sync: a field hidden by field-level security is left out of the queries.
    const gate = await runGate(session.conn);
    if (gate.blocked) throw new ConflictError('sync_blocked', gate.message!);
    const snapshot = await fetchAll(session, gate.filter);
    reportProgress({ phase: 'Saving the Salesforce roles and users', done: 0, total: null });
    await inOrgTransaction(deps.db, orgId, async (trx) => {
      await replaceMirror(trx, snapshot);
      const counts = new Map<string, number>();
      for (const u of snapshot.users)
        if (u.roleId && importable(u)) counts.set(u.roleId, (counts.get(u.roleId) ?? 0) + 1);
      await trx.table('salesforce_roles').update({ active_user_count: 0 });
      await trx.db.raw(
        `UPDATE salesforce_roles r SET active_user_count = v.n
           FROM jsonb_to_recordset(?::jsonb) AS v(id text, n int)
          WHERE r.org_id = ? AND r.sf_role_id = v.id`,
        [JSON.stringify([...counts].map(([id, n]) => ({ id, n }))), orgId],
      );
      await trx.db('orgs').where({ id: orgId }).update({ salesforce_mirror_refreshed_at: trx.db.fn.now() });
    });
    return session.apiCalls();
  }

  /** When the mirror was last read: by the role import's refresh, or in Automatic Mode by the latest sync. */
  async function refreshedAt(orgId: string): Promise<Date | null> {
    const org = await deps.db('orgs').where({ id: orgId }).first('management_mode', 'salesforce_mirror_refreshed_at');
    if (org.management_mode !== 'automatic')
      return org.salesforce_mirror_refreshed_at ? new Date(org.salesforce_mirror_refreshed_at) : null;
    const run = await scoped(deps.db, orgId)
      .table('sync_runs')
      .where('outcome', 'success')
      .orderBy('finished_at', 'desc')
      .first('finished_at');
    return run?.finished_at ? new Date(run.finished_at) : null;
  }

  /**
   * The role tree from the mirror, never from Salesforce: a 100k-user org is not read on every view. A mirror older
   * than MIRROR_MAX_AGE_MS (or never read) is refreshed in the background; the answer names that job.
   */
  async function list(orgId: string) {
    const at = await refreshedAt(orgId);
    const stale = !at || Date.now() - at.getTime() > MIRROR_MAX_AGE_MS;
    const automatic = (await getManagementMode(scoped(deps.db, orgId))) === 'automatic';
    const refreshJobId = stale && !automatic && deps.refreshInBackground ? await deps.refreshInBackground(orgId) : null;
    const roles = [...(await loadRoles(scoped(deps.db, orgId))).values()].filter((r) => !r.deleted);
    return {
      roles: treeOrder(roles).map(({ role, depth }) => ({
        sfRoleId: role.id,
        name: role.name,
        parentSfRoleId: role.parentId,
        depth,
        activeUserCount: role.activeUserCount,
        importEnabled: role.importEnabled,
      })),
      refreshedAt: at ? at.toISOString() : null,
      refreshJobId,
      refreshedFromSalesforce: false,
      apiCalls: 0,
    };
  }

  async function setToggles(orgId: string, actor: Actor, toggles: { sfRoleId: string; importEnabled: boolean }[]) {
    await inOrgTransaction(deps.db, orgId, async (scope) => {
      // One statement for any number of toggles; a role that is not (or no longer) in the mirror is a 404.
      const { rows } = await scope.db.raw(
        `UPDATE salesforce_roles r SET import_enabled = v.enabled
           FROM jsonb_to_recordset(?::jsonb) AS v(id text, enabled boolean)
          WHERE r.org_id = ? AND r.sf_role_id = v.id AND r.deleted_at IS NULL
          RETURNING r.sf_role_id`,
        // The last toggle of a role wins, as when they were saved one by one.
        [
          JSON.stringify(
            [...new Map(toggles.map((t) => [t.sfRoleId, t.importEnabled]))].map(([id, enabled]) => ({ id, enabled })),
          ),
          orgId,
        ],
      );
      const found = new Set((rows as { sf_role_id: string }[]).map((r) => r.sf_role_id));
      const missing = toggles.find((t) => !found.has(t.sfRoleId));
      if (missing) throw new NotFoundError('Salesforce role', missing.sfRoleId);
      await recordAudit(
        scope,
        actor,
        toggles.map((t) => ({
          action: 'salesforce.role.toggle',
          targetType: 'salesforce_role',
          targetId: t.sfRoleId,
          after: { importEnabled: t.importEnabled },
        })),
      );
    });
    return list(orgId);
  }

  /** The one-time import is a Manual Mode tool: in Automatic Mode the sync already owns teams and users. */
  async function refuseInAutomaticMode(scope: OrgScope) {
    if ((await getManagementMode(scope)) === 'automatic')
      throw new ConflictError(
        'automatic_mode',
        'Role import is a Manual Mode tool: in Automatic Mode the sync already keeps teams and users in step with Salesforce. Switch to Manual Mode to import roles.',
      );
  }

  /** What the import would create and skip: the plan the import makes, from the mirror just read. */
  async function preview(orgId: string): Promise<ImportPreview> {
    await refuseInAutomaticMode(scoped(deps.db, orgId));
    await refresh(orgId);
    const state = await loadRoleImportState(scoped(deps.db, orgId));
    return describeRoleImport(state, planRoleImport(state));
  }

  /**
   * The one-time import: plans again from the mirror just read, under the transaction that writes it (so what it
   * creates is what a preview now would show), and writes exactly that. No later syncing.
   */
  async function run(orgId: string, actor: Actor) {
    await refuseInAutomaticMode(scoped(deps.db, orgId));
    await refresh(orgId);
    reportProgress({ phase: 'Importing teams and users', done: 0, total: null });
    return inOrgTransaction(deps.db, orgId, async (scope) => {
      // Checked again under the transaction: a mode switch may have landed since.
      await scope.db('orgs').where({ id: orgId }).forUpdate().first('id');
      await refuseInAutomaticMode(scope);
      return applyRoleImport(scope, actor, planRoleImport(await loadRoleImportState(scope)));
    });
  }

  return { list, refresh, setToggles, preview, run };
}
