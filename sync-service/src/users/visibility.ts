import type { Knex } from 'knex';
import type { OrgScope } from '../db/scoped.js';
import { NotFoundError } from '../shared/errors.js';
import { findViewerRow } from './repo.js';
import type { Visibility } from './vocabulary.js';

export interface Viewer {
  id: string;
  objectVisibility: Visibility;
  teamId: string | null;
  status: string;
}

export async function loadViewer(scope: OrgScope, viewerId: string): Promise<Viewer> {
  const row = await findViewerRow(scope, viewerId);
  if (!row) throw new NotFoundError('User', viewerId);
  return { id: row.id, objectVisibility: row.object_visibility, teamId: row.team_id, status: row.status };
}

/**
 * The one answer to "whose activity may this viewer see" (SPEC section 2), as a filter on any query that has a
 * user id column: Full sees everyone; Team sees themselves, their team and every sub-team beneath it; Individual
 * sees themselves. Any viewer also sees the members of custom teams they manage or view. Suspended users' data is
 * hidden from everyone, and a suspended viewer sees nothing.
 */
export function restrictToVisible(
  scope: OrgScope,
  query: Knex.QueryBuilder,
  viewer: Viewer,
  userIdColumn = 'users.id',
): Knex.QueryBuilder {
  if (viewer.status === 'suspended') return query.whereRaw('false');
  query.whereNotIn(userIdColumn, scope.table('users').where('status', 'suspended').select('id'));
  if (viewer.objectVisibility === 'full') return query;
  const ownTeam = viewer.objectVisibility === 'team' ? viewer.teamId : null;
  const org = scope.orgId;
  return query.whereRaw(
    `?? IN (
      WITH RECURSIVE granted AS (
        SELECT ct.id FROM teams ct
         WHERE ct.org_id = ? AND ct.kind = 'custom'
           AND (ct.manager_user_id = ? OR EXISTS (SELECT 1 FROM custom_team_viewers v WHERE v.team_id = ct.id AND v.user_id = ?))
      ), seeds(id) AS (
        SELECT id FROM teams WHERE org_id = ? AND id = ?::uuid
        UNION SELECT m.member_team_id FROM custom_team_members m
         WHERE m.org_id = ? AND m.member_team_id IS NOT NULL AND m.team_id IN (SELECT id FROM granted)
      ), sub(id) AS (
        SELECT id FROM seeds
        UNION SELECT t.id FROM teams t JOIN sub ON t.parent_id = sub.id WHERE t.org_id = ?
      )
      SELECT u.id FROM users u WHERE u.org_id = ? AND u.team_id IN (SELECT id FROM sub)
      UNION SELECT m.member_user_id FROM custom_team_members m
       WHERE m.org_id = ? AND m.member_user_id IS NOT NULL AND m.team_id IN (SELECT id FROM granted)
      UNION SELECT ?::uuid
    )`,
    [userIdColumn, org, viewer.id, viewer.id, org, ownTeam, org, org, org, org, viewer.id],
  );
}

/** Whether `viewerId` may see `userId`'s activity. */
export async function canSee(scope: OrgScope, viewerId: string, userId: string): Promise<boolean> {
  const viewer = await loadViewer(scope, viewerId);
  const row = await restrictToVisible(scope, scope.table('users').where('users.id', userId), viewer).first('users.id');
  return !!row;
}
