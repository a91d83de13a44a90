import type { OrgScope } from '../db/scoped.js';
import { teamReplacedError } from './redirects.js';

/** SQL (with its bindings) for the ids of a team and every team beneath it; UNION keeps it safe from cycles. */
export function subtreeSql(scope: OrgScope, teamId: string): { sql: string; bindings: string[] } {
  return {
    sql: `WITH RECURSIVE sub(id) AS (
            SELECT id FROM teams WHERE org_id = ? AND id = ?
            UNION SELECT t.id FROM teams t JOIN sub ON t.parent_id = sub.id WHERE t.org_id = ?
          ) SELECT id FROM sub`,
    bindings: [scope.orgId, teamId, scope.orgId],
  };
}

export async function subtreeIds(scope: OrgScope, teamId: string): Promise<string[]> {
  const { sql, bindings } = subtreeSql(scope, teamId);
  const { rows } = await scope.db.raw(sql, bindings);
  return rows.map((r: { id: string }) => r.id);
}

/** A text[] literal: knex expands array bindings into lists, so arrays travel as one quoted literal. */
export const pgArray = (items: readonly string[]) =>
  `{${items.map((i) => `"${i.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/**
 * A team id as saved views hold it: a replaced team's id resolves to the team that took most of its people
 * (team_redirects); where no single team did, it answers 410 team_replaced with the choices, never a wider team.
 */
export async function resolveTeamId(scope: OrgScope, teamId: string): Promise<string> {
  let id = teamId;
  for (let hop = 0; hop < 10; hop++) {
    if (await scope.table('teams').where('id', id).first('id')) return id;
    const redirect = await scope.table('team_redirects').where('old_team_id', id).first('new_team_id');
    if (!redirect) return id;
    if (!redirect.new_team_id) throw (await teamReplacedError(scope, id))!;
    id = redirect.new_team_id;
  }
  return id;
}
