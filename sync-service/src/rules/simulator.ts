import type { Knex } from 'knex';
import type { z } from 'zod';
import { scoped, type OrgScope } from '../db/scoped.js';
import { findOrg } from '../orgs/repo.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import { mirroredUsersWhere } from '../sync/mirror.js';
import { teamIdsBy, type HierarchyKey } from '../teams/reference-repo.js';
import { findUserRow } from '../users/repo.js';
import { describeFilter, type RuleFilter } from './evaluator.js';
import { loadReferences, loadRules, userLabels } from './repo.js';
import { ruleSetFrom, type RuleSet, type StoredRule } from './rule-set.js';
import type { DraftRule, SimulateInput, SimulationResult } from './schemas.js';

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
  where: Parameters<typeof mirroredUsersWhere>[1],
): Promise<(Subject & { teamId: string | null })[]> {
  const org = await findOrg(scope.db, scope.orgId);
  const key: HierarchyKey = org?.hierarchy_source === 'manager' ? 'sf_manager_id' : 'sf_role_id';
  const teamBy = await teamIdsBy(scope, key);
  const rows = await mirroredUsersWhere(scope, where);
  return rows.map((r) => {
    const mirrored = r[key];
    return {
      userId: null,
      sfUserId: r.sf_user_id,
      email: r.email,
      name: `${r.first_name} ${r.last_name}`.trim(),
      jobTitle: r.title ?? '',
      teamId: mirrored === null ? null : (teamBy.get(mirrored) ?? null),
      teamName: null,
    };
  });
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
        const u = await findUserRow(scope, input.userId);
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
        subjects = await salesforceSubjects(scope, { sf_user_id: input.sfUserId });
        if (!subjects.length)
          throw new NotFoundError(`Salesforce user ${input.sfUserId} in the org's Salesforce snapshot`);
      } else {
        subjects = await salesforceSubjects(scope, { is_active: true });
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
