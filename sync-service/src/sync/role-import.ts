import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { findOrg, getManagementMode, markMirrorRefreshed } from '../orgs/repo.js';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../shared/audit.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { defaultProfileId } from '../profiles/repo.js';
import { requireSamePlan } from '../shared/preview-token.js';
import { builtinTeamId, hierarchyTeams } from '../teams/repo.js';
import { allEmails, linkedSfUserIds } from '../users/lookups.js';
import { reportProgress } from '../jobs/progress.js';
import type { JobRunner } from '../jobs/runner.js';
import { fetchAll } from './fetch.js';
import { runGate } from './gate.js';
import { loadRoles, loadUsers, replaceMirror, setActiveUserCounts, setImportToggles } from './mirror.js';
import { applyRoleImport } from './role-import-apply.js';
import {
  describeRoleImport,
  planRoleImport,
  ROLE_IMPORT,
  roleImportCategories,
  treeOrder,
  type RoleImportState,
} from './role-import-plan.js';
import { lastSuccessAt } from './runs-repo.js';
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

/** Reads what planning an import needs (pass the transaction's scope to apply what is planned). Writes nothing. */
export async function loadRoleImportState(scope: OrgScope): Promise<RoleImportState> {
  const roleTeams = new Map<string, { id: string; name: string }>();
  for (const t of await hierarchyTeams(scope))
    if (t.sf_role_id) roleTeams.set(t.sf_role_id, { id: t.id, name: t.name });
  return {
    roles: await loadRoles(scope),
    mirrorUsers: [...(await loadUsers(scope)).values()],
    roleTeams,
    linked: new Set(await linkedSfUserIds(scope)),
    emails: new Set((await allEmails(scope)).map((e) => e.toLowerCase())),
    topTeamId: await builtinTeamId(scope, 'top'),
    defaultProfileId: await defaultProfileId(scope),
  };
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
      await setActiveUserCounts(trx, counts);
      await markMirrorRefreshed(trx.db, orgId);
    });
    return session.apiCalls();
  }

  /** When the mirror was last read: by the role import's refresh, or in Automatic Mode by the latest sync. */
  async function refreshedAt(orgId: string): Promise<Date | null> {
    const org = (await findOrg(deps.db, orgId))!;
    if (org.management_mode !== 'automatic')
      return org.salesforce_mirror_refreshed_at ? new Date(org.salesforce_mirror_refreshed_at) : null;
    return lastSuccessAt(scoped(deps.db, orgId));
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
      // A role that is not (or no longer) in the mirror is a 404; the last toggle of a role wins, as when they were
      // saved one by one.
      const found = await setImportToggles(scope, new Map(toggles.map((t) => [t.sfRoleId, t.importEnabled])));
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
   * creates is what a preview now would show), and writes exactly that. With the preview's token, a plan other than
   * the previewed one writes nothing: 409 preview_stale says what changed and carries the new preview. No later
   * syncing.
   */
  async function run(orgId: string, actor: Actor, previewToken?: string) {
    await refuseInAutomaticMode(scoped(deps.db, orgId));
    await refresh(orgId);
    reportProgress({ phase: 'Importing teams and users', done: 0, total: null });
    return inOrgTransaction(deps.db, orgId, async (scope) => {
      // Checked again under the transaction: a mode switch may have landed since.
      await findOrg(scope.db, orgId, true);
      await refuseInAutomaticMode(scope);
      const state = await loadRoleImportState(scope);
      const plan = planRoleImport(state);
      const preview = describeRoleImport(state, plan);
      await requireSamePlan(
        previewToken,
        ROLE_IMPORT,
        roleImportCategories(preview),
        'Salesforce or Roster',
        () => preview,
      );
      return applyRoleImport(scope, actor, plan);
    });
  }

  return { list, refresh, setToggles, preview, run };
}
