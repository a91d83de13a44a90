import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { builtinTeamId, createUsers, defaultProfileId, getManagementMode } from '../users/repo.js';
import { reportProgress } from '../jobs/progress.js';
import { fetchAll } from './fetch.js';
import { runGate } from './gate.js';
import { loadRoles, loadUsers, replaceMirror, type RoleMirror } from './mirror.js';
import type { SyncDeps } from './runner.js';
import type { ImportPreview } from './schemas.js';

/** Whether the user counts toward a role's "active users": what the import would bring in. */
const importable = (u: { isActive: boolean; userType: string | null }) => u.isActive && u.userType === 'Standard';

/** Depth-first, parents before children, siblings by name: the order the role tree is shown in. */
function treeOrder(roles: RoleMirror[]): { role: RoleMirror; depth: number }[] {
  const ids = new Set(roles.map((r) => r.id));
  const children = new Map<string | null, RoleMirror[]>();
  for (const r of roles) {
    const p = r.parentId && ids.has(r.parentId) ? r.parentId : null;
    const list = children.get(p);
    if (list) list.push(r);
    else children.set(p, [r]);
  }
  const out: { role: RoleMirror; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const r of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push({ role: r, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The mirror is read again in the background when a view finds it older than this. */
export const MIRROR_MAX_AGE_MS = 10 * 60_000;

export interface RoleImportDeps extends SyncDeps {
  /** Starts (or finds running) the background refresh of the mirror; its job id. Without it, views never refresh. */
  refreshInBackground?: (orgId: string) => Promise<string>;
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
      for (const [roleId, n] of counts)
        await trx.table('salesforce_roles').where('sf_role_id', roleId).update({ active_user_count: n });
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
      for (const t of toggles) {
        const n = await scope
          .table('salesforce_roles')
          .where('sf_role_id', t.sfRoleId)
          .whereNull('deleted_at')
          .update({ import_enabled: t.importEnabled });
        if (!n) throw new NotFoundError('Salesforce role', t.sfRoleId);
      }
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

  /** Teams under the nearest enabled ancestor (else the top-level team), users of enabled roles, skips with reasons. */
  async function plan(
    scope: OrgScope,
  ): Promise<ImportPreview & { teamOrder: { sfRoleId: string; name: string; parentSfRoleId: string | null }[] }> {
    const roles = await loadRoles(scope);
    const enabled = new Set([...roles.values()].filter((r) => r.importEnabled && !r.deleted).map((r) => r.id));
    const nearestEnabled = (id: string | null) => {
      const seen = new Set<string>();
      let cur = id;
      while (cur && !seen.has(cur)) {
        seen.add(cur);
        if (enabled.has(cur)) return cur;
        cur = roles.get(cur)?.parentId ?? null;
      }
      return null;
    };
    const existing = new Map<string, string>();
    for (const t of await scope.table('teams').whereNotNull('sf_role_id').select('id', 'sf_role_id', 'name'))
      existing.set(t.sf_role_id, t.name);
    const order = treeOrder([...roles.values()].filter((r) => !r.deleted)).filter(({ role }) => enabled.has(role.id));
    const teamOrder = order.map(({ role }) => ({
      sfRoleId: role.id,
      name: role.name,
      parentSfRoleId: nearestEnabled(role.parentId),
    }));
    const roleName = (id: string | null) =>
      id ? (existing.get(id) ?? roles.get(id)?.name ?? 'Top-level team') : 'Top-level team';

    const linked = new Set<string>(await scope.table('users').whereNotNull('sf_user_id').pluck('sf_user_id'));
    const emails = new Set<string>((await scope.table('users').pluck('email')).map((e: string) => e.toLowerCase()));
    const users: ImportPreview['users'] = [];
    const skipped: ImportPreview['skipped'] = [];
    for (const u of (await loadUsers(scope)).values()) {
      const name = `${u.firstName} ${u.lastName}`.trim();
      const why = !u.isActive
        ? 'inactive'
        : u.userType !== 'Standard'
          ? 'not_standard'
          : !u.roleId || !roles.has(u.roleId)
            ? 'no_role'
            : !enabled.has(u.roleId)
              ? 'role_toggled_off'
              : linked.has(u.id) || emails.has(u.email.toLowerCase())
                ? 'already_in_roster'
                : null;
      if (why) {
        skipped.push({ sfUserId: u.id, name, email: u.email, reason: why });
        continue;
      }
      emails.add(u.email.toLowerCase());
      users.push({ sfUserId: u.id, email: u.email, name, teamName: roleName(u.roleId) });
    }
    return {
      teams: teamOrder.map((t) => ({
        sfRoleId: t.sfRoleId,
        name: t.name,
        parentName: roleName(t.parentSfRoleId),
        exists: existing.has(t.sfRoleId),
      })),
      users,
      skipped,
      teamOrder,
    };
  }

  /** The one-time import is a Manual Mode tool: in Automatic Mode the sync already owns teams and users. */
  async function refuseInAutomaticMode(scope: OrgScope) {
    if ((await getManagementMode(scope)) === 'automatic')
      throw new ConflictError(
        'automatic_mode',
        'Role import is a Manual Mode tool: in Automatic Mode the sync already keeps teams and users in step with Salesforce. Switch to Manual Mode to import roles.',
      );
  }

  async function preview(orgId: string): Promise<ImportPreview> {
    await refuseInAutomaticMode(scoped(deps.db, orgId));
    await refresh(orgId);
    const { teamOrder: _, ...rest } = await plan(scoped(deps.db, orgId));
    return rest;
  }

  /** The one-time import: creates what the preview showed, in one transaction. No later syncing. */
  async function run(orgId: string, actor: Actor) {
    await refuseInAutomaticMode(scoped(deps.db, orgId));
    await refresh(orgId);
    reportProgress({ phase: 'Importing teams and users', done: 0, total: null });
    return inOrgTransaction(deps.db, orgId, async (scope) => {
      // Checked again under the transaction: a mode switch may have landed since.
      await scope.db('orgs').where({ id: orgId }).forUpdate().first('id');
      await refuseInAutomaticMode(scope);
      const p = await plan(scope);
      const top = await builtinTeamId(scope, 'top');
      const teamIds = new Map<string, string>();
      for (const t of await scope.table('teams').whereNotNull('sf_role_id').select('id', 'sf_role_id'))
        teamIds.set(t.sf_role_id, t.id);
      let teamsCreated = 0;
      for (const t of p.teamOrder) {
        if (teamIds.has(t.sfRoleId)) continue;
        const parentId = (t.parentSfRoleId && teamIds.get(t.parentSfRoleId)) || top;
        const [row] = await scope
          .insert('teams', { name: t.name, kind: 'hierarchy', parent_id: parentId, sf_role_id: t.sfRoleId })
          .returning('id');
        teamIds.set(t.sfRoleId, row.id);
        teamsCreated += 1;
        await recordAudit(scope, actor, {
          action: 'team.create',
          targetType: 'team',
          targetId: row.id,
          after: { name: t.name, parentId, sfRoleId: t.sfRoleId, source: 'role_import' },
        });
      }
      const mirror = await loadUsers(
        scope,
        p.users.map((u) => u.sfUserId),
      );
      const profileId = await defaultProfileId(scope);
      const created = await createUsers(
        scope,
        actor,
        p.users.map((u) => {
          const s = mirror.get(u.sfUserId)!;
          return {
            sfUserId: s.id,
            email: s.email,
            firstName: s.firstName,
            lastName: s.lastName,
            jobTitle: s.title,
            teamId: teamIds.get(s.roleId!) ?? top,
            role: 'member' as const,
            objectVisibility: 'full' as const,
            licenses: ['foundation' as const],
            profileId,
          };
        }),
        'role_import',
      );
      await recordAudit(scope, actor, {
        action: 'salesforce.role_import',
        targetType: 'org',
        targetId: orgId,
        after: { teamsCreated, usersCreated: created.length, skipped: p.skipped.length },
      });
      return { teamsCreated, usersCreated: created.length, skipped: p.skipped.length };
    });
  }

  return { list, refresh, setToggles, preview, run };
}
