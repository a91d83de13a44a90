import { scoped } from '../db/scoped.js';
import { ConflictError } from '../shared/errors.js';
import { teamNamesAndKinds } from '../teams/repo.js';
import { allPlacements, type UserPlacement } from '../users/lookups.js';
import { fetchAll } from './fetch.js';
import { runGate } from './gate.js';
import { loadSyncState } from './load.js';
import { planCounts, planSync, type SyncPlan } from './plan.js';
import type { HierarchySource } from './projection.js';
import type { SyncDeps } from './runner.js';
import type { ModePreview } from './schemas.js';

/**
 * What enabling Automatic Mode would do: the plan the enable computes from the same reads, shown without writing
 * anything. Enabling applies a plan made the same way, so what it does is what this shows unless Salesforce or Roster
 * changed in between.
 */
export async function previewAutomatic(deps: SyncDeps, orgId: string, source: HierarchySource): Promise<ModePreview> {
  const session = await deps.salesforce.forOrg(orgId);
  const gate = await runGate(session.conn);
  if (gate.blocked) throw new ConflictError('sync_blocked', gate.message!);
  const snapshot = await fetchAll(session, gate.filter);
  const scope = scoped(deps.db, orgId);
  const plan = planSync(
    await loadSyncState(scope, {
      source,
      full: true,
      changes: { ...snapshot, deletedRoleIds: null, deletedCoveredUntil: null },
      liveRoleIds: null,
      enabling: true,
    }),
  );
  const roster: PreviewRoster = {
    teamNames: new Map([...(await teamNamesAndKinds(scope))].map(([id, t]) => [id, t.name])),
    users: await allPlacements(scope),
  };
  return {
    ...describePlan(plan, roster),
    mode: 'automatic',
    hierarchySource: source,
    apiCalls: session.apiCalls(),
  };
}

/** The Roster side a preview names: every team's name by id, and where every user sits. */
export interface PreviewRoster {
  teamNames: ReadonlyMap<string, string>;
  users: readonly UserPlacement[];
}

/** A plan in the admin's words: team and user names instead of ids (pure). */
export function describePlan(
  plan: SyncPlan,
  roster: PreviewRoster,
): Omit<ModePreview, 'mode' | 'hierarchySource' | 'apiCalls'> {
  const names = new Map(roster.teamNames);
  for (const c of plan.teams.creates) names.set(c.id, c.name);
  const before = new Map(names);
  for (const r of plan.teams.renames) names.set(r.id, r.to);
  const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  const movedTo = new Map(plan.users.moves.map((m) => [m.id, m.to]));
  const mirror = plan.state.mirrorUsers;
  const unmatched: ModePreview['users']['unmatched'] = [];
  for (const u of roster.users) {
    if (u.sf_user_id && mirror?.has(u.sf_user_id)) continue;
    unmatched.push({ email: u.email, teamName: name(movedTo.get(u.id) ?? u.team_id) });
  }
  return {
    counts: { ...planCounts(plan) },
    teams: {
      create: plan.teams.creates.map((c) => ({ name: c.name, parentName: name(c.parentId) })),
      rename: plan.teams.renames.map((r) => ({ from: r.from, to: r.to })),
      move: plan.teams.moves.map((m) => ({
        name: m.name,
        fromParent: name(m.fromParentId),
        toParent: name(m.toParentId),
      })),
      delete: plan.replaced.map((d) => ({ name: d.name, redirectTo: name(d.redirectTo) })),
    },
    users: {
      create: plan.users.creates.map((c) => ({
        email: c.email,
        name: `${c.firstName} ${c.lastName}`.trim(),
        teamName: name(c.teamId),
      })),
      move: plan.users.moves.map((m) => ({
        email: m.email,
        fromTeam: m.from ? (before.get(m.from) ?? null) : null,
        toTeam: name(m.to),
      })),
      suspend: plan.users.suspends.map((s) => ({ email: s.email, reason: s.reason })),
      unmatched,
    },
    skipped: plan.users.skippedUsers,
    conflicts: plan.users.conflicts.map((c) => ({ kind: c.kind, email: c.email, sfUserId: c.sfUserId })),
  };
}
