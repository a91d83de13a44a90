import type { Knex } from 'knex';
import type { z } from 'zod';
import { scoped, type OrgScope } from '../db/scoped.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import { describeFilter, type RuleFilter } from './evaluator.js';
import { loadReferences, loadRules, ruleSetFrom, userLabels, type RuleSet, type StoredRule } from './repo.js';
import type { DraftRule, SimulateInput, SimulationResult } from './schemas.js';
import type { SalesforceUserRow } from '../sync/rows.js';
import type { TeamRow } from '../teams/rows.js';

/** Which column ties a Salesforce user to their team: the role, or the manager in a manager hierarchy. */
type HierarchyKey = 'sf_role_id' | 'sf_manager_id';
type Keyed = Partial<Record<HierarchyKey, string | null>>;
type Subject = z.infer<typeof SimulationResult>['subject'];

/** The rules as the editor has them (unsaved edits, new order), checked like saved ones. */
function draftRules(stored: StoredRule[], drafts: z.infer<typeof DraftRule>[]): StoredRule[] {
  const byId = new Map(stored.map((r) => [r.id, r]));
  const catchAll = stored.find((r) => r.isCatchAll) as StoredRule;
  const rules = drafts.map((d, i): StoredRule => {
    const base = d.id ? byId.get(d.id) : undefined;
    if (d.id && !base) throw new NotFoundError('Rule', d.id);
    const name = d.name ?? base?.name;
    const filters = d.filters ?? base?.filters;
    const assignments = d.assignments ?? base?.assignments;
    if (!name || !filters || !assignments)
      throw new BadRequestError(
        'incomplete_draft',
        `Draft rule ${i + 1} needs a name, filters and assignments (or the id of a saved rule).`,
      );
    return {
      id: base?.id ?? `draft-${i + 1}`,
      name,
      description: d.description ?? base?.description ?? '',
      position: i,
      isCatchAll: base?.isCatchAll ?? false,
      filters,
      assignments,
    };
  });
  const at = rules.findIndex((r) => r.isCatchAll);
  if (at !== -1 && at !== rules.length - 1)
    throw new BadRequestError('catch_all_must_be_last', `The catch-all rule "${catchAll.name}" always stays last.`);
  const last = rules[rules.length - 1];
  if (last?.isCatchAll && last.filters.length)
    throw new BadRequestError(
      'catch_all_filters',
      'The catch-all applies when no other rule matches, so it takes no filters.',
    );
  const missingFilters = rules.find((r) => !r.isCatchAll && r.filters.length === 0);
  if (missingFilters)
    throw new BadRequestError('filters_required', `Rule "${missingFilters.name}" needs at least one filter.`);
  return at === -1 ? [...rules, catchAll] : rules;
}

/** Salesforce users are placed in the team mirroring their role (or their manager, in a manager hierarchy). */
async function salesforceSubjects(
  scope: OrgScope,
  where: (q: Knex.QueryBuilder) => void,
): Promise<(Subject & { teamId: string | null })[]> {
  const org = await scope.db('orgs').where({ id: scope.orgId }).first('hierarchy_source');
  const key: { user: HierarchyKey; team: HierarchyKey } =
    org?.hierarchy_source === 'manager'
      ? { user: 'sf_manager_id', team: 'sf_manager_id' }
      : { user: 'sf_role_id', team: 'sf_role_id' };
  const teams: (Pick<TeamRow, 'id'> & Keyed)[] = await scope
    .table('teams')
    .whereNotNull(key.team)
    .select('id', key.team);
  const teamBy = new Map(teams.map((t) => [t[key.team], t.id]));
  const q = scope.table('salesforce_users').orderBy(['last_name', 'first_name', 'sf_user_id']);
  where(q);
  const rows: (Pick<SalesforceUserRow, 'sf_user_id' | 'email' | 'first_name' | 'last_name' | 'title'> & Keyed)[] =
    await q.select('sf_user_id', 'email', 'first_name', 'last_name', 'title', key.user);
  return rows.map((r) => ({
    userId: null,
    sfUserId: r.sf_user_id,
    email: r.email,
    name: `${r.first_name} ${r.last_name}`.trim(),
    jobTitle: r.title ?? '',
    teamId: teamBy.get(r[key.user]) ?? null,
    teamName: null,
  }));
}

const clauseOut = (c: { index: number; filter: RuleFilter } | null, set: RuleSet) =>
  c && {
    index: c.index,
    field: c.filter.field,
    operator: c.filter.operator,
    value: c.filter.value,
    text: describeFilter(c.filter, set.teams, (id) => set.refs.users.get(id)),
  };

export function createRuleSimulator({ db }: { db: Knex }) {
  const ruleSet = async (scope: OrgScope, drafts?: z.infer<typeof DraftRule>[]) => {
    const stored = await loadRules(scope);
    const rules = drafts ? draftRules(stored, drafts) : stored;
    const refs = await loadReferences(scope);
    // Drafts may name managers not yet named by any saved rule.
    const extra = rules.flatMap((r) => r.filters.filter((f) => f.field === 'team_manager').map((f) => f.value));
    for (const [id, email] of (await userLabels(scope, extra)).users) refs.users.set(id, email);
    return ruleSetFrom(rules, refs);
  };

  return {
    /** For one user or every Salesforce user of the snapshot: the rule that would match and the clause that decided. */
    async simulate(orgId: string, input: z.infer<typeof SimulateInput>) {
      const scope = scoped(db, orgId);
      const set = await ruleSet(scope, input.rules);
      let subjects: Subject[];
      if (input.userId) {
        const u = await scope.table('users').where({ id: input.userId }).first();
        if (!u) throw new NotFoundError('User', input.userId);
        subjects = [
          {
            userId: u.id,
            sfUserId: u.sf_user_id,
            email: u.email,
            name: `${u.first_name} ${u.last_name}`.trim(),
            jobTitle: u.job_title,
            teamId: u.team_id,
            teamName: null,
          },
        ];
      } else if (input.sfUserId) {
        subjects = await salesforceSubjects(scope, (q) => q.where({ sf_user_id: input.sfUserId }));
        if (!subjects.length)
          throw new NotFoundError(`Salesforce user ${input.sfUserId} in the org's Salesforce snapshot`);
      } else {
        subjects = await salesforceSubjects(scope, (q) => q.where({ is_active: true }));
      }
      const single = subjects.length === 1 && !input.all;
      const counts = new Map<string, { ruleId: string; ruleName: string; users: number }>(
        set.rules.map((r) => [r.id, { ruleId: r.id, ruleName: r.name, users: 0 }]),
      );
      const results = subjects.map((subject) => {
        const e = single ? set.explain(subject) : { ...set.evaluate(subject), passedOver: null };
        (counts.get(e.rule.id) as { users: number }).users += 1;
        return {
          subject: { ...subject, teamName: subject.teamId ? (set.teams.name(subject.teamId) ?? null) : null },
          rule: { id: e.rule.id, name: e.rule.name, isCatchAll: e.rule.isCatchAll },
          decidingClause: clauseOut(e.decidingClause, set),
          assignments: e.assignments,
          ...(e.passedOver
            ? {
                passedOver: e.passedOver.map((p) => ({
                  ruleId: p.rule.id,
                  ruleName: p.rule.name,
                  failedClause: clauseOut(p.failedClause, set) as NonNullable<ReturnType<typeof clauseOut>>,
                })),
              }
            : {}),
        };
      });
      return { results, summary: [...counts.values()] };
    },
  };
}
