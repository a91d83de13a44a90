import { deferUntilCommit, type OrgScope } from '../db/scoped.js';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../shared/audit.js';
import { managerChains } from '../sync/mirror.js';
import { activeUsersBySalesforceId, managerCandidates, type ManagerCandidate } from '../users/repo.js';
import { derivableTeams, setDerivedManagers } from './managers-repo.js';

export interface DerivedManager {
  teamId: string;
  managerUserId: string | null;
  warning: string | null;
}

interface Touched {
  teams: Set<string> | 'all';
  actor: Actor;
}
const touchedOf = new WeakMap<object, Touched>();

/**
 * Marks teams whose derived manager may have changed (members moved, roles or statuses changed); `null` means every
 * hierarchy team. Inside a unit of work (inOrgTransaction) the managers are re-derived once, before the commit, for
 * every team touched; outside one, at once.
 */
export async function touchManagers(
  scope: OrgScope,
  teamIds: readonly (string | null | undefined)[] | null,
  actor: Actor = SYSTEM_ACTOR,
): Promise<void> {
  const ids = teamIds ? teamIds.filter((t): t is string => !!t) : null;
  if (ids && ids.length === 0) return;
  let touched = touchedOf.get(scope.db);
  if (!touched) {
    const fresh: Touched = { teams: new Set(), actor };
    const queued = deferUntilCommit(scope, 'team-managers', async () => {
      touchedOf.delete(scope.db);
      await refreshDerivedManagers(scope, fresh.teams === 'all' ? null : [...fresh.teams], fresh.actor);
    });
    if (!queued) {
      await refreshDerivedManagers(scope, ids, actor);
      return;
    }
    touchedOf.set(scope.db, fresh);
    touched = fresh;
  }
  if (ids === null) touched.teams = 'all';
  else if (touched.teams !== 'all') for (const id of ids) touched.teams.add(id);
}

/**
 * Re-derives the manager of hierarchy teams whose manager was not set by hand (SPEC section 2):
 * the team's only non-suspended member with the Manager role; with several, the one the most of the
 * others report to in Salesforce (following the manager chain), else the earliest created, with a warning. A team
 * of the manager hierarchy is led by its manager, who sits in the team above.
 * `teamIds` omitted: every hierarchy team of the org. Call it inside the transaction that moved users.
 */
export async function refreshDerivedManagers(
  scope: OrgScope,
  teamIds?: readonly (string | null | undefined)[] | null,
  actor: Actor = SYSTEM_ACTOR,
): Promise<DerivedManager[]> {
  const ids = teamIds ? [...new Set(teamIds.filter((t): t is string => !!t))] : null;
  if (ids && ids.length === 0) return [];
  const teams = await derivableTeams(scope, ids);
  if (teams.length === 0) return [];
  // A team of the manager hierarchy is that manager's: whoever else in it has the Manager role is one of their reports.
  const keyed = teams.map((t) => t.sf_manager_id).filter((s): s is string => !!s);
  const leaders = await activeUsersBySalesforceId(scope, keyed);
  const candidates = await managerCandidates(
    scope,
    teams.map((t) => t.id),
  );
  const byTeam = new Map<string, ManagerCandidate[]>();
  for (const c of candidates) (byTeam.get(c.team_id) ?? byTeam.set(c.team_id, []).get(c.team_id)!).push(c);

  const contested = [...byTeam.values()].filter((list) => list.length > 1).flat();
  const ancestors = await managerChains(
    scope,
    contested.map((c) => c.sf_user_id).filter((s): s is string => !!s),
  );

  const results: DerivedManager[] = teams.map((team) => {
    if (team.sf_manager_id)
      return { teamId: team.id, managerUserId: leaders.get(team.sf_manager_id) ?? null, warning: null };
    const list = byTeam.get(team.id) ?? [];
    if (list.length <= 1) return { teamId: team.id, managerUserId: list[0]?.id ?? null, warning: null };
    // Stable sort keeps the earliest created first among equals.
    const ranked = list
      .map((c) => ({
        c,
        reports: list.filter((o) => o !== c && c.sf_user_id && ancestors.get(o.sf_user_id ?? '')?.has(c.sf_user_id))
          .length,
      }))
      .sort((a, b) => b.reports - a.reports);
    const chosen = ranked[0]!;
    const why = chosen.reports > 0 ? 'the one the others report to in Salesforce' : 'the earliest created';
    const warning = `${list.length} members have the Manager role (${list.map((c) => c.email).join(', ')}); ${chosen.c.email} was chosen as ${why}. Set a manager by hand to settle it.`;
    return { teamId: team.id, managerUserId: chosen.c.id, warning };
  });

  const before = new Map(teams.map((t) => [t.id, t]));
  const changed = results.filter((r) => {
    const team = before.get(r.teamId)!;
    return team.manager_user_id !== r.managerUserId || team.manager_warning !== r.warning;
  });
  await setDerivedManagers(scope, changed);
  const audits = changed
    .filter((r) => before.get(r.teamId)!.manager_user_id !== r.managerUserId)
    .map((r) => ({
      action: 'team.manager_derived',
      targetType: 'team',
      targetId: r.teamId,
      before: { managerUserId: before.get(r.teamId)!.manager_user_id },
      after: { managerUserId: r.managerUserId, warning: r.warning },
    }));
  if (audits.length) await recordAudit(scope, actor, audits);
  return results;
}
