import type { OrgScope } from '../db/scoped.js';
import type { MembershipRow } from './rows.js';

// A team's history: the stays in it (team_memberships, written beside each user move by users/write-repo.ts) and in
// the teams it replaced, with who stayed.

/** A team's history entry: the stay plus who it was. */
export type HistoryRow = MembershipRow & { email: string; first_name: string; last_name: string; started_key: string };

/** Up to `limit` stays in the team (and the teams it replaced), newest first, from before `after` if given. */
export async function membershipHistory(
  scope: OrgScope,
  id: string,
  limit: number,
  after?: { startedAt: string; rowId: string },
): Promise<HistoryRow[]> {
  const q = scope
    .table('team_memberships')
    .join('users', 'users.id', 'team_memberships.user_id')
    .where((w) =>
      w
        .where('team_memberships.team_id', id)
        .orWhereIn(
          'team_memberships.team_id',
          scope.table('team_redirects').where('new_team_id', id).select('old_team_id'),
        ),
    )
    .select(
      'team_memberships.*',
      'users.email',
      'users.first_name',
      'users.last_name',
      scope.db.raw('team_memberships.started_at::text AS started_key'),
    )
    .orderBy([
      { column: 'team_memberships.started_at', order: 'desc' },
      { column: 'team_memberships.id', order: 'desc' },
    ])
    .limit(limit);
  if (after)
    q.whereRaw('(team_memberships.started_at, team_memberships.id) < (?::timestamptz, ?::uuid)', [
      after.startedAt,
      after.rowId,
    ]);
  return q;
}
