import type { OrgScope } from '../db/scoped.js';
import { CATCH_ALL_RULE_NAME, catchAllAssignments } from '../orgs/builtins.js';
import { profileIds } from '../profiles/repo.js';
import { allRedirects, type RedirectReferenceRow } from '../teams/redirects-repo.js';
import { teamReferenceRows, type TeamReferenceRow } from '../teams/reference-repo.js';
import { userEmails } from '../users/repo.js';
import type { RuleFilter } from './evaluator.js';
import { ruleSetFrom, type References, type RuleSet, type StoredRule } from './rule-set.js';
import type { Assignments } from './schemas.js';
import { buildTeamIndex, type TeamNode } from './team-index.js';

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

/** Inserts the org's catch-all rule, assigning the default profile, with the org. */
export async function insertCatchAllRule(scope: OrgScope, defaultProfileId: string): Promise<void> {
  await scope.insert('user_settings_rules', {
    name: CATCH_ALL_RULE_NAME,
    description: 'Applies when no other rule matches.',
    position: 0,
    is_catch_all: true,
    filters: JSON.stringify([]),
    assignments: catchAllAssignments(defaultProfileId),
  });
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
  teams: TeamReferenceRow[];
  profiles: string[];
  redirects: RedirectReferenceRow[];
  users: Map<string, string>;
}

export async function loadReferenceRows(scope: OrgScope): Promise<ReferenceRows> {
  const teams = await teamReferenceRows(scope);
  const profiles = await profileIds(scope);
  const redirects = await allRedirects(scope);
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
  return { users: await userEmails(scope, ids) };
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
