import type { OrgScope } from '../db/scoped.js';
import { ConflictError } from '../shared/errors.js';
import { customTeamsPastCap } from './custom-repo.js';
import { builtinTeamId } from './repo.js';
import { CUSTOM_TEAM_MAX_PEOPLE } from './schemas.js';

/**
 * The 100-people cap (SPEC 2) held against an admin's hierarchy edits: after people or teams moved into
 * `destinations` (null: the top-level team), in the caller's transaction, a custom team holding one of them past the
 * cap refuses the whole change, naming it. The sync never calls this: it keeps such a team's people instead.
 */
export async function refuseCustomTeamsPastCap(
  scope: OrgScope,
  destinations: Iterable<string | null | undefined>,
): Promise<void> {
  const ids = new Set<string | null>();
  for (const id of destinations) ids.add(id ?? null);
  if (ids.delete(null)) ids.add(await builtinTeamId(scope, 'top'));
  const past = await customTeamsPastCap(scope, [...ids] as string[], CUSTOM_TEAM_MAX_PEOPLE);
  if (!past.length) return;
  const named = past.map((c) => `"${c.name}" (${c.people} people)`).join(', ');
  throw new ConflictError(
    'custom_team_too_large',
    `Nothing was changed: this would take custom team${past.length > 1 ? 's' : ''} ${named} past ${CUSTOM_TEAM_MAX_PEOPLE} people. Remove members from the custom team first, or move fewer people.`,
    { customTeams: past, max: CUSTOM_TEAM_MAX_PEOPLE },
  );
}
