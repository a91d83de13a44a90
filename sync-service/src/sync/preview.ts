import { scoped, type OrgScope } from '../db/scoped.js';
import { ConflictError } from '../shared/errors.js';
import { previewTokenOf, requireSamePlan, type PlanCategory } from '../shared/preview-token.js';
import { teamNamesAndKinds } from '../teams/repo.js';
import { allPlacements, type UserPlacement } from '../users/lookups.js';
import type { SalesforceActor } from '../shared/audit.js';
import { adminLockOut } from './admin-lock-out.js';
import { fetchAll } from './fetch.js';
import { runGate } from './gate.js';
import { loadSyncState } from './load.js';
import { planCounts, planSync, type SyncPlan } from './plan.js';
import type { HierarchySource } from './projection.js';
import type { SyncDeps } from './runner.js';
import type { ModePreview } from './schemas.js';

const MODE = 'mode1';
type Described = ReturnType<typeof describePlan>;

/**
 * What enabling Automatic Mode would do: the plan the enable computes from the same reads, shown without writing
 * anything. Enabling makes a plan the same way and applies it only if it is this one (its previewToken); if Salesforce
 * or Roster changed in between, it applies nothing and answers with the new preview.
 */
export async function previewAutomatic(
  deps: SyncDeps,
  orgId: string,
  source: HierarchySource,
  admin?: SalesforceActor,
): Promise<ModePreview> {
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
  return automaticPreview(plan, await previewRoster(scope), source, session.apiCalls(), admin?.sfUserId);
}

/** The enabling preview of `plan`: in the admin's words, with its token and summary counts (pure). */
export function automaticPreview(
  plan: SyncPlan,
  roster: PreviewRoster,
  source: HierarchySource,
  apiCalls: number,
  adminSfUserId?: string | null,
): ModePreview {
  const lockOut = adminLockOut(plan, adminSfUserId);
  const described = describePlan(plan, roster);
  return {
    ...described,
    ...previewTokenOf(MODE, modeCategories(described, plan)),
    mode: 'automatic',
    hierarchySource: source,
    apiCalls,
    blockers: lockOut ? [lockOut] : [],
  };
}

/** Switching back to Manual Mode moves nothing: the hierarchy stays as manual teams and syncing stops. */
export function manualPreview(source: HierarchySource): ModePreview {
  const described: Described = {
    counts: {},
    teams: { create: [], rename: [], move: [], delete: [] },
    users: { create: [], move: [], suspend: [], unmatched: [] },
    skipped: [],
    conflicts: [],
  };
  return {
    ...described,
    ...previewTokenOf(MODE, modeCategories(described, null)),
    mode: 'manual',
    hierarchySource: source,
    apiCalls: 0,
    blockers: [],
  };
}

/**
 * The plan by category, in the admin's words. Items name teams and users as the preview shows them (a new team's id
 * is made afresh by every plan); updates and reactivations are not listed by the preview but are written too.
 */
function modeCategories(d: Described, plan: SyncPlan | null): PlanCategory[] {
  const updates = (plan?.users.updates ?? []).map((u) => [u.id, { ...u.after, teamId: null }]);
  return [
    { key: 'teamsCreate', label: 'teams to create', items: d.teams.create },
    { key: 'teamsRename', label: 'teams to rename', items: d.teams.rename },
    { key: 'teamsMove', label: 'teams to move', items: d.teams.move },
    { key: 'teamsReplace', label: 'teams to replace', items: d.teams.delete },
    { key: 'usersCreate', label: 'users to create', items: d.users.create },
    { key: 'usersUpdate', label: 'users to update', items: updates },
    { key: 'usersMove', label: 'users to move', items: d.users.move },
    { key: 'usersSuspend', label: 'users to suspend', items: d.users.suspend },
    { key: 'usersReactivate', label: 'users to reactivate', items: plan?.users.reactivates ?? [] },
    { key: 'usersUnmatched', label: 'users not in the Salesforce hierarchy', items: d.users.unmatched },
    { key: 'skipped', label: 'Salesforce users skipped', items: d.skipped },
    { key: 'conflicts', label: 'conflicts to confirm', items: d.conflicts },
  ];
}

/** The Roster side of the preview, read in `scope` (the enabling transaction's, to compare with what it applies). */
export async function previewRoster(scope: OrgScope): Promise<PreviewRoster> {
  return {
    teamNames: new Map([...(await teamNamesAndKinds(scope))].map(([id, t]) => [id, t.name])),
    users: await allPlacements(scope),
  };
}

/**
 * For the enabling run: refuses (409 preview_stale, nothing written) a plan that is not the one the admin previewed
 * with `previewToken`; the error carries the new preview. No token: nothing to compare.
 */
export function requirePreviewedPlan(
  previewToken: string | undefined,
  source: HierarchySource,
  adminSfUserId?: string | null,
) {
  if (!previewToken) return undefined;
  return async (scope: OrgScope, plan: SyncPlan) => {
    // Its Salesforce calls are the enabling run's, recorded on the run.
    const preview = automaticPreview(plan, await previewRoster(scope), source, 0, adminSfUserId);
    await requireSamePlan(previewToken, MODE, modeCategories(preview, plan), 'Salesforce or Roster', () => preview);
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
): Omit<ModePreview, 'mode' | 'hierarchySource' | 'apiCalls' | 'previewToken' | 'summary' | 'blockers'> {
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
