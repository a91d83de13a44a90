import type { OrgScope } from '../db/scoped.js';
import { ConflictError } from '../shared/errors.js';
import { customTeamReach, customTeamsPastCap, type CustomTeamReach } from './custom-repo.js';
import { builtinTeamId } from './repo.js';
import { CUSTOM_TEAM_MAX_PEOPLE } from './schemas.js';

/** The refusal of a change that takes custom teams past the cap, naming each with the people it would hold. */
export function customTeamTooLarge(past: readonly { id: string; name: string; people: number }[]): ConflictError {
  const named = past.map((c) => `"${c.name}" (${c.people} people)`).join(', ');
  return new ConflictError(
    'custom_team_too_large',
    `Nothing was changed: this would take custom team${past.length > 1 ? 's' : ''} ${named} past ${CUSTOM_TEAM_MAX_PEOPLE} people. Remove members from the custom team first, or move fewer people.`,
    { customTeams: past.map(({ id, name, people }) => ({ id, name, people })), max: CUSTOM_TEAM_MAX_PEOPLE },
  );
}

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
  if (past.length) throw customTeamTooLarge(past);
}

/** Who would sit where after a change not yet written (a dry run's): the people the cap counts. */
export interface PeopleChange {
  /** Existing users moving to another hierarchy team. */
  moves?: readonly { userId: string; to: string }[];
  /** New users, each with the team they join. */
  adds?: readonly { teamId: string }[];
  /** Users deleted. */
  deletes?: readonly string[];
}

export interface PastCap {
  id: string;
  name: string;
  /** The people it would hold after the change. */
  people: number;
  /** As it is now: the teams it reaches and the people it holds. */
  now: CustomTeamReach;
}

/**
 * The custom teams `change` would take past the cap, as refuseCustomTeamsPastCap would find them once the change is
 * written (a custom team the change moves no one into cannot grow): for a dry run, which must not write.
 */
export async function customTeamsPastCapAfter(scope: OrgScope, change: PeopleChange): Promise<PastCap[]> {
  const { moves = [], adds = [], deletes = [] } = change;
  const destinations = new Set([...moves.map((m) => m.to), ...adds.map((a) => a.teamId)]);
  const reach = await customTeamReach(scope, [...destinations]);
  const past: PastCap[] = [];
  for (const team of reach) {
    const people = new Set(team.people);
    for (const id of deletes) people.delete(id);
    // A user member stays in it wherever they move; anyone else is in it exactly when their new team is.
    for (const m of moves) {
      if (team.teamIds.has(m.to) || team.userIds.has(m.userId)) people.add(m.userId);
      else people.delete(m.userId);
    }
    const peopleAfter = people.size + adds.filter((a) => team.teamIds.has(a.teamId)).length;
    if (peopleAfter > CUSTOM_TEAM_MAX_PEOPLE)
      past.push({ id: team.id, name: team.name, people: peopleAfter, now: team });
  }
  return past;
}
