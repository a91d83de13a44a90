import type { OrgScope } from '../db/scoped.js';
import { chunks } from '../shared/chunks.js';
import type { UserRow } from '../users/repo.js';
import type { TeamRow } from './rows.js';

// What deriving team managers (managers.ts) reads and writes.

/** A team whose manager is derived (not set by hand), as derivation reads it. */
export type DerivableTeamRow = Pick<TeamRow, 'id' | 'manager_user_id' | 'manager_warning' | 'sf_manager_id'>;

/** The top-level and hierarchy teams whose manager is not set by hand; `ids` null: all of them. */
export async function derivableTeams(scope: OrgScope, ids: readonly string[] | null): Promise<DerivableTeamRow[]> {
  return scope
    .table('teams')
    .whereIn('kind', ['top', 'hierarchy'])
    .where('manager_set_by_hand', false)
    .modify((q) => {
      if (ids) q.whereIn('id', ids);
    })
    .select('id', 'manager_user_id', 'manager_warning', 'sf_manager_id');
}

/** The Roster user id of each of these Salesforce users who is not suspended. */
export async function activeUsersBySalesforceId(
  scope: OrgScope,
  sfUserIds: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks(sfUserIds)) {
    const rows: { id: string; sf_user_id: string }[] = await scope
      .table('users')
      .whereIn('sf_user_id', part)
      .whereNot('status', 'suspended')
      .select('id', 'sf_user_id');
    for (const u of rows) found.set(u.sf_user_id, u.id);
  }
  return found;
}

/** A member who could lead their team: Manager role, not suspended. */
export type ManagerCandidate = Pick<UserRow, 'id' | 'email' | 'sf_user_id'> & { team_id: string };

/** The teams' candidates for manager, earliest created first. */
export async function managerCandidates(scope: OrgScope, teamIds: readonly string[]): Promise<ManagerCandidate[]> {
  // One array parameter, not a binding per team (a full sync derives thousands at once).
  return scope
    .table('users')
    .whereRaw('team_id = ANY(?::uuid[])', [[...teamIds]])
    .where('role', 'manager')
    .whereNot('status', 'suspended')
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .select('id', 'team_id', 'email', 'sf_user_id');
}

/** Hands the teams these users lead back to derivation (their manager was set by hand); returns the teams' ids. */
export async function releaseHandSetManagers(scope: OrgScope, userIds: readonly string[]): Promise<string[]> {
  const teams: Pick<TeamRow, 'id'>[] = await scope
    .table('teams')
    .whereIn('manager_user_id', userIds)
    .update({ manager_set_by_hand: false }, ['id']);
  return teams.map((t) => t.id);
}

/** Writes derived managers and their warnings, one statement per chunk (a full sync derives thousands at once). */
export async function setDerivedManagers(
  scope: OrgScope,
  managers: readonly { teamId: string; managerUserId: string | null; warning: string | null }[],
): Promise<void> {
  for (const part of chunks(managers))
    await scope.db.raw(
      `UPDATE teams t SET manager_user_id = v."managerUserId", manager_warning = v.warning, updated_at = now()
         FROM jsonb_to_recordset(?::jsonb) AS v("teamId" uuid, "managerUserId" uuid, warning text)
        WHERE t.org_id = ? AND t.id = v."teamId"`,
      [JSON.stringify(part), scope.orgId],
    );
}
