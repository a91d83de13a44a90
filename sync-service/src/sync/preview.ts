import { scoped } from '../db/scoped.js';
import { ConflictError } from '../shared/errors.js';
import { fetchAll } from './fetch.js';
import { runGate } from './gate.js';
import type { HierarchySource } from './projection.js';
import { applyChanges, type SyncDeps } from './runner.js';
import type { ModePreview } from './schemas.js';

class Rollback extends Error {
  constructor(readonly result: ModePreview) {
    super('preview rollback');
  }
}

const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, any> | null;

/**
 * What enabling Automatic Mode would do, exactly: the real enable is run inside a transaction that is then rolled
 * back, and the audit entries it wrote are read out as the preview. Nothing is kept.
 */
export async function previewAutomatic(deps: SyncDeps, orgId: string, source: HierarchySource): Promise<ModePreview> {
  const session = await deps.salesforce.forOrg(orgId);
  const gate = await runGate(session.conn);
  if (gate.blocked) throw new ConflictError('sync_blocked', gate.message!);
  const snapshot = await fetchAll(session, gate.filter);
  try {
    await deps.db.transaction(async (trx) => {
      const scope = scoped(trx, orgId);
      const mark = Number((await scope.table('audit_log').max({ m: 'id' }).first())?.m ?? 0);
      const { counts, plan } = await applyChanges(scope, source, 1, {
        full: true,
        changes: { ...snapshot, deletedRoleIds: null, deletedCoveredUntil: null },
        liveRoleIds: null,
        enabling: true,
      });
      const audits: { action: string; target_id: string; before: unknown; after: unknown }[] = await scope
        .table('audit_log')
        .where('id', '>', mark)
        .orderBy('id');
      const teamNames = new Map<string, string>();
      for (const t of await scope.db('teams').where('org_id', orgId).select('id', 'name')) teamNames.set(t.id, t.name);
      for (const a of audits) if (a.action === 'team.delete') teamNames.set(a.target_id, parse(a.before)?.name);
      const users = new Map<string, { email: string; name: string; sf: string | null; team: string | null }>();
      for (const u of await scope
        .table('users')
        .select('id', 'email', 'first_name', 'last_name', 'sf_user_id', 'team_id')) {
        users.set(u.id, {
          email: u.email,
          name: `${u.first_name} ${u.last_name}`.trim(),
          sf: u.sf_user_id,
          team: u.team_id,
        });
      }
      const name = (id: unknown) => (typeof id === 'string' ? (teamNames.get(id) ?? null) : null);
      const of = (action: string) => audits.filter((a) => a.action === action);
      const mirror = new Set<string>(await scope.table('salesforce_users').pluck('sf_user_id'));
      throw new Rollback({
        mode: 'automatic',
        hierarchySource: source,
        counts: { ...counts } as Record<string, number>,
        teams: {
          create: of('team.create').map((a) => ({
            name: parse(a.after)?.name,
            parentName: name(parse(a.after)?.parentId),
          })),
          rename: of('team.rename').map((a) => ({ from: parse(a.before)?.name, to: parse(a.after)?.name })),
          move: of('team.move').map((a) => ({
            name: name(a.target_id) ?? '',
            fromParent: name(parse(a.before)?.parentId),
            toParent: name(parse(a.after)?.parentId),
          })),
          delete: of('team.delete').map((a) => ({
            name: parse(a.before)?.name,
            redirectTo: name(parse(a.after)?.redirectTo),
          })),
        },
        users: {
          create: of('user.create').map((a) => ({
            email: parse(a.after)?.email,
            name: `${parse(a.after)?.firstName ?? ''} ${parse(a.after)?.lastName ?? ''}`.trim(),
            teamName: name(parse(a.after)?.teamId),
          })),
          move: of('user.move').map((a) => ({
            email: users.get(a.target_id)?.email ?? '',
            fromTeam: name(parse(a.before)?.teamId),
            toTeam: name(parse(a.after)?.teamId),
          })),
          suspend: of('user.suspend').map((a) => ({
            email: users.get(a.target_id)?.email ?? '',
            reason: parse(a.after)?.reason ?? '',
          })),
          unmatched: [...users.values()]
            .filter((u) => !u.sf || !mirror.has(u.sf))
            .map((u) => ({ email: u.email, teamName: name(u.team) })),
        },
        skipped: plan.skippedUsers,
        conflicts: plan.conflicts.map((c) => ({ kind: c.kind, email: c.email, sfUserId: c.sfUserId })),
        apiCalls: session.apiCalls(),
      });
    });
  } catch (err) {
    if (err instanceof Rollback) return err.result;
    throw err;
  }
  throw new Error('unreachable');
}
