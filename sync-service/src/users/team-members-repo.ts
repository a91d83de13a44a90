import type { OrgScope } from '../db/scoped.js';
import { chunks } from '../shared/chunks.js';
import type { UserRow } from './repo.js';

// Who sits in a team: the users table read by team_id, for the teams domain (a team's member count, the members to
// move when a team is deleted, where a redirect's users landed).

/** How many users sit in the team. */
export async function memberCount(scope: OrgScope, teamId: string): Promise<number> {
  const row: { n: number } = await scope
    .table('users')
    .where('team_id', teamId)
    .first(scope.db.raw('count(*)::int AS n'));
  return row.n;
}

/** Members per team id (teams without members are absent). */
export async function memberCounts(scope: OrgScope): Promise<Map<string, number>> {
  const counts: { team_id: string; n: number }[] = await scope
    .table('users')
    .whereNotNull('team_id')
    .groupBy('team_id')
    .select('team_id', scope.db.raw('count(*)::int AS n'));
  return new Map(counts.map((c) => [c.team_id, c.n]));
}

/** How many of these users sit in each team (teams none of them is in are absent). */
export async function headcountByTeam(scope: OrgScope, userIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const part of chunks(userIds)) {
    const rows: { team_id: string; n: number }[] = await scope
      .table('users')
      .whereIn('id', part)
      .whereNotNull('team_id')
      .groupBy('team_id')
      .select('team_id', scope.db.raw('count(*)::int AS n'));
    for (const row of rows) counts.set(row.team_id, (counts.get(row.team_id) ?? 0) + row.n);
  }
  return counts;
}

/** The ids of the users in the team. */
export async function memberIds(scope: OrgScope, teamId: string): Promise<string[]> {
  const rows: Pick<UserRow, 'id'>[] = await scope.table('users').where('team_id', teamId).select('id');
  return rows.map((u) => u.id);
}
