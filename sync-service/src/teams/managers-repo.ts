import type { OrgScope } from '../db/scoped.js';
import { chunks } from '../shared/chunks.js';
import type { TeamRow } from './rows.js';

// What deriving team managers (managers.ts) reads and writes of teams; the users it weighs are read through users/.

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
