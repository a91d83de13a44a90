import type { OrgScope } from '../db/scoped.js';
import type { SalesforceUserRow } from '../sync/rows.js';
import type { TeamRow } from '../teams/rows.js';
import type { License, Role, Visibility } from '../users/vocabulary.js';
import type { RuleFilter } from './evaluator.js';
import { ruleSetFrom, type References, type RuleSet, type StoredRule } from './rule-set.js';
import type { Assignments } from './schemas.js';
import { buildTeamIndex, type TeamNode } from './team-index.js';

// sync/rules.ts and a unit test still import these from here; they live in rule-set.ts (pure, no queries).
export { ruleProblems, type RuleProblem, type RuleSet, type StoredRule } from './rule-set.js';

/** A row of user_settings_rules; jsonb columns arrive parsed (or as text from a raw query). */
interface RuleRow {
  id: string;
  name: string;
  description: string;
  position: number;
  is_catch_all: boolean;
  filters: unknown;
  assignments: unknown;
  created_at: Date | string;
  updated_at: Date | string;
}
const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** Ordered rules, the catch-all last whatever its stored position. */
export async function loadRules(scope: OrgScope): Promise<StoredRule[]> {
  const rows: RuleRow[] = await scope
    .table('user_settings_rules')
    .orderBy([{ column: 'is_catch_all', order: 'asc' }, 'position', 'created_at']);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    position: r.position,
    isCatchAll: r.is_catch_all,
    filters: parse<RuleFilter[]>(r.filters),
    assignments: parse<Assignments>(r.assignments),
  }));
}

/** Whether a rule other than `exceptId` has this name (names compare case-insensitively, as the unique index does). */
export async function ruleNameTaken(scope: OrgScope, name: string, exceptId?: string): Promise<boolean> {
  const q = scope.table('user_settings_rules').whereRaw('lower(name) = lower(?)', [name]);
  if (exceptId) q.whereNot({ id: exceptId });
  return !!(await q.first('id'));
}

/** Locks the org's rules for the transaction: creates, deletes and reorders renumber them all. */
export async function lockRules(scope: OrgScope): Promise<void> {
  await scope.table('user_settings_rules').forUpdate().select('id');
}

/** What a rule is stored with (the store chooses its id; the catch-all exists from the org's start). */
export type NewRule = Pick<StoredRule, 'name' | 'description' | 'position' | 'filters' | 'assignments'>;
export type RuleChanges = Partial<Pick<StoredRule, 'name' | 'description' | 'filters' | 'assignments'>>;

/** Inserts a rule; returns its id. */
export async function insertRule(scope: OrgScope, rule: NewRule): Promise<string> {
  const [row] = await scope
    .insert('user_settings_rules', {
      name: rule.name,
      description: rule.description,
      position: rule.position,
      filters: JSON.stringify(rule.filters),
      assignments: rule.assignments,
    })
    .returning('id');
  return row.id;
}

export async function updateRule(scope: OrgScope, id: string, changes: RuleChanges): Promise<void> {
  await scope
    .table('user_settings_rules')
    .where({ id })
    .update({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.filters ? { filters: JSON.stringify(changes.filters) } : {}),
      ...(changes.assignments ? { assignments: changes.assignments } : {}),
      updated_at: scope.db.fn.now(),
    });
}

export async function deleteRule(scope: OrgScope, id: string): Promise<void> {
  await scope.table('user_settings_rules').where({ id }).delete();
}

/** Positions 0..n-1 in the given order, the catch-all after them. */
export async function writeRuleOrder(scope: OrgScope, ids: readonly string[], catchAllId: string): Promise<void> {
  for (const [position, id] of ids.entries())
    await scope.table('user_settings_rules').where({ id }).update({ position });
  await scope.table('user_settings_rules').where({ id: catchAllId }).update({ position: ids.length });
}

/** A user as re-applying the rules sees them: what the rules match on, and what they assign. */
export interface ReapplyUser {
  id: string;
  email: string;
  job_title: string;
  team_id: string | null;
  profile_id: string;
  role: Role;
  object_visibility: Visibility;
  licenses: License[] | null;
  status: string;
}

/** Every user of the org by email, as re-applying the rules sees them (`lock`: for update). */
export async function reapplyUsers(scope: OrgScope, lock = false): Promise<ReapplyUser[]> {
  return scope
    .table('users')
    .orderBy('email')
    .modify((q) => (lock ? q.forUpdate() : q))
    .select('id', 'email', 'job_title', 'team_id', 'profile_id', 'role', 'object_visibility', 'licenses', 'status');
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

/** A Salesforce user of the snapshot as the simulator places them. */
export type SimulatedSalesforceUser = Pick<
  SalesforceUserRow,
  'sf_user_id' | 'email' | 'first_name' | 'last_name' | 'title' | 'sf_role_id' | 'sf_manager_id'
>;

/** The snapshot's Salesforce users that match `where`, by name. */
export async function salesforceUsersWhere(
  scope: OrgScope,
  where: Partial<Pick<SalesforceUserRow, 'sf_user_id' | 'is_active'>>,
): Promise<SimulatedSalesforceUser[]> {
  return scope
    .table('salesforce_users')
    .where(where)
    .orderBy(['last_name', 'first_name', 'sf_user_id'])
    .select('sf_user_id', 'email', 'first_name', 'last_name', 'title', 'sf_role_id', 'sf_manager_id');
}

/** The rules that assign a profile to the users they match, in their order. */
export async function rulesAssigningProfile(
  scope: OrgScope,
  profileId: string,
): Promise<Pick<RuleRow, 'id' | 'name'>[]> {
  return scope
    .table('user_settings_rules')
    .whereRaw("assignments->>'profileId' = ?", [profileId])
    .orderBy([{ column: 'is_catch_all', order: 'asc' }, 'position'])
    .select('id', 'name');
}

/** What rules refer to, as stored: teams, profiles, replaced team ids and the emails of users they name. */
export interface ReferenceRows {
  teams: { id: string; name: string; parent_id: string | null; manager_user_id: string | null; kind: string }[];
  profiles: string[];
  redirects: { old_team_id: string; new_team_id: string | null; old_name: string | null }[];
  users: Map<string, string>;
}

export async function loadReferenceRows(scope: OrgScope): Promise<ReferenceRows> {
  const teams: ReferenceRows['teams'] = await scope
    .table('teams')
    .select('id', 'name', 'parent_id', 'manager_user_id', 'kind');
  const profiles: string[] = await scope.table('configuration_profiles').pluck('id');
  const redirects: ReferenceRows['redirects'] = await scope
    .table('team_redirects')
    .select('old_team_id', 'new_team_id', 'old_name');
  const managerIds = [...new Set(teams.map((t) => t.manager_user_id).filter((id): id is string => !!id))];
  return { teams, profiles, redirects, ...(await userLabels(scope, managerIds)) };
}

/** The references as rules check and evaluate against them (pure). */
export function referencesFrom(rows: ReferenceRows): References {
  return {
    teams: buildTeamIndex(
      rows.teams.map((t): TeamNode => ({
        id: t.id,
        name: t.name,
        parentId: t.parent_id,
        managerUserId: t.manager_user_id,
      })),
    ),
    hierarchyTeams: new Set(rows.teams.filter((t) => t.kind !== 'custom').map((t) => t.id)),
    profiles: new Set(rows.profiles),
    redirects: new Map(
      rows.redirects.map((r) => [r.old_team_id, { name: r.old_name ?? null, to: r.new_team_id ?? null }]),
    ),
    users: rows.users,
  };
}

export async function loadReferences(scope: OrgScope): Promise<References> {
  return referencesFrom(await loadReferenceRows(scope));
}

/** Emails of the users rules name as team managers (and of team managers), for clause texts and checks. */
export async function userLabels(scope: OrgScope, extra: string[] = []): Promise<{ users: Map<string, string> }> {
  const rules = await loadRules(scope);
  const ids = [
    ...new Set([
      ...extra,
      ...rules.flatMap((r) => r.filters.filter((f) => f.field === 'team_manager').map((f) => f.value)),
    ]),
  ];
  const users: { id: string; email: string }[] = [];
  for (let i = 0; i < ids.length; i += 1000)
    users.push(
      ...(await scope
        .table('users')
        .whereIn('id', ids.slice(i, i + 1000))
        .select('id', 'email')),
    );
  return { users: new Map(users.map((u) => [u.id, u.email])) };
}

/**
 * The org's rules ready to apply (the automatic sync calls this when it creates users, and records
 * `users.rule_id = result.rule.id`). Throws UnprocessableError 'invalid_rule' naming the rule when any rule
 * references a deleted profile or team. Pass the sync's transaction scope.
 */
export async function loadRuleSet(scope: OrgScope): Promise<RuleSet> {
  const [rules, refs] = [await loadRules(scope), await loadReferences(scope)];
  return ruleSetFrom(rules, refs);
}
