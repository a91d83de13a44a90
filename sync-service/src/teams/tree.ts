import type { OrgScope } from '../db/scoped.js';
import { teamReplacedError } from './redirects.js';
import { findRedirect } from './redirects-repo.js';
import { subtreeIds, teamExists } from './repo.js';

/**
 * A team id as saved views hold it: a replaced team's id resolves to the team that took most of its people
 * (team_redirects); where no single team did, it answers 410 team_replaced with the choices, never a wider team.
 */
export async function resolveTeamId(scope: OrgScope, teamId: string): Promise<string> {
  let id = teamId;
  for (let hop = 0; hop < 10; hop++) {
    if (await teamExists(scope, id)) return id;
    const redirect = await findRedirect(scope, id);
    if (!redirect) return id;
    if (!redirect.new_team_id) throw (await teamReplacedError(scope, id))!;
    id = redirect.new_team_id;
  }
  return id;
}

/**
 * The ids of a team and the teams under it, for a team id as saved views hold it (resolveTeamId): the user list's
 * team filter. The subtree holds the team itself whenever it is a team now, so the common case is one statement;
 * only an empty answer (a replaced or unknown id) looks for a redirect.
 */
export async function teamFilterIds(scope: OrgScope, teamId: string): Promise<string[]> {
  const ids = await subtreeIds(scope, teamId);
  return ids.length ? ids : subtreeIds(scope, await resolveTeamId(scope, teamId));
}
