import { randomUUID } from 'node:crypto';
import type { SyncState } from './load.js';
import { planTeams, teamCounts, type TeamCounts, type TeamPlan } from './plan-teams.js';
import { planUsers, type UserPlan } from './plan-users.js';
import { assignerFor, type AssignFn } from './rules.js';

/** One run's plan: the mirror writes, the team changes and the user changes, decided before anything is written. */
export interface SyncPlan {
  state: SyncState;
  teams: TeamPlan;
  users: UserPlan;
  /** The rules as the plan applied them (which were invalid, for the run's warnings). */
  assign: AssignFn;
  /** Per deleted team: the people it held, and where its old id will point once they are placed (null: nowhere). */
  replaced: { id: string; name: string; members: string[]; alternatives: string[]; redirectTo: string | null }[];
}

export interface UserCounts {
  created: number;
  updated: number;
  moved: number;
  suspended: number;
  reactivated: number;
  unchanged: number;
  skipped: number;
  conflicts: number;
}

export type Counts = UserCounts & TeamCounts;

/**
 * What the run will do (pure): teams from the projection of the mirror, then every planned user into the team the plan
 * leaves them in (one move per user, whatever happens to their old team), rules seeing the planned teams.
 */
export function planSync(state: SyncState, newId: () => string = randomUUID): SyncPlan {
  const { input } = state;
  const teams = planTeams(input.source, state.topTeamId, state.teams, state.hierarchy.teams, newId);
  const assign = assignerFor(state.rules, teams);
  const users = planUsers(state.roster, {
    users: state.subject,
    previous: new Map(state.userChanges.map((c) => [c.after.id, c.before])),
    hierarchy: state.hierarchy,
    teams,
    assign,
    suspend: !input.enabling,
  });
  // Members of deleted teams the user plan did not place (not linked to a Salesforce user planned here).
  const placed = new Set<string>();
  for (const u of state.subject) {
    const row = state.roster.linked.get(u.id);
    if (row) placed.add(row.id);
  }
  for (const s of state.strays) {
    if (placed.has(s.id)) continue;
    placed.add(s.id);
    if (s.team_id !== teams.topTeamId)
      users.moves.push({ id: s.id, email: s.email, from: s.team_id, to: teams.topTeamId });
  }
  const membersTo = new Map(teams.deletes.map((d) => [d.id, d.membersTo]));
  for (const m of state.obsoleteMembers) {
    if (placed.has(m.id)) continue;
    users.moves.push({ id: m.id, email: m.email, from: m.team_id, to: membersTo.get(m.team_id)! });
  }
  const landing = new Map(users.moves.map((m) => [m.id, m.to]));
  const replaced = teams.deletes.map((d) => {
    const members = state.obsoleteMembers.filter((m) => m.team_id === d.id).map((m) => m.id);
    return {
      ...d,
      members,
      redirectTo: redirectTarget(
        members.map((id) => landing.get(id) ?? d.membersTo),
        teams,
      ),
    };
  });
  return { state, teams, users, assign, replaced };
}

/**
 * Where a replaced team's id points (as settleRedirects decides it once the users are placed): the hierarchy team
 * that took most of its people, if one took strictly more than any other; never the top-level team.
 */
function redirectTarget(landed: string[], teams: TeamPlan): string | null {
  const counts = new Map<string, number>();
  for (const t of landed) counts.set(t, (counts.get(t) ?? 0) + 1);
  const [best, second] = [...counts].sort((a, b) => b[1] - a[1]);
  if (!best || best[0] === teams.topTeamId || (second && second[1] === best[1])) return null;
  return best[0];
}

/** The counts a run reports, from its plan (suspensions an admin rejected are not made). */
export function planCounts(plan: SyncPlan, opts: { skipSuspensions?: boolean } = {}): Counts {
  const u = plan.users;
  return {
    created: u.creates.length,
    updated: u.updates.length,
    moved: u.moves.length,
    suspended: opts.skipSuspensions ? 0 : u.suspends.length,
    reactivated: u.reactivates.length,
    unchanged: u.unchanged,
    skipped: u.skipped,
    conflicts: u.conflicts.length,
    ...teamCounts(plan.teams),
  };
}
