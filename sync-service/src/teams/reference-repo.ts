import type { OrgScope } from '../db/scoped.js';
import type { TeamRow } from './rows.js';

// What the rules and their simulator read of teams: every team as a rule may name it, and teams by what they mirror.

/** A team as rules refer to it: custom teams too (they share the table; TeamRow's kind names the hierarchy's). */
export type TeamReferenceRow = Pick<TeamRow, 'id' | 'name' | 'parent_id' | 'manager_user_id'> & {
  kind: TeamRow['kind'];
};

/** Every team of the org, as rules refer to them. */
export async function teamReferenceRows(scope: OrgScope): Promise<TeamReferenceRow[]> {
  return scope.table('teams').select('id', 'name', 'parent_id', 'manager_user_id', 'kind');
}

/** Which column ties a Salesforce user to their team: the role, or the manager in a manager hierarchy. */
export type HierarchyKey = 'sf_role_id' | 'sf_manager_id';

/** Team ids by the Salesforce role or manager (per `key`) each team mirrors. */
export async function teamIdsBy(scope: OrgScope, key: HierarchyKey): Promise<Map<string, string>> {
  const teams: (Pick<TeamRow, 'id'> & Partial<Record<HierarchyKey, string>>)[] = await scope
    .table('teams')
    .whereNotNull(key)
    .select('id', key);
  return new Map(teams.map((t) => [t[key] as string, t.id]));
}
