import type { Knex } from 'knex';
import type { z } from 'zod';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { uniqueName } from '../shared/unique-name.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import type { Rule } from './evaluator.js';
import { existingUserIds } from '../users/repo.js';
import {
  deleteRule,
  insertRule,
  loadReferences,
  loadRules,
  lockRules,
  ruleNameTaken,
  updateRule,
  writeRuleOrder,
} from './repo.js';
import { ruleProblems, type References, type StoredRule } from './rule-set.js';
import type { RuleInput, RulePatch } from './schemas.js';

const dto = (rule: StoredRule, refs: References) => {
  const problems = ruleProblems(rule, refs);
  return { ...rule, valid: problems.length === 0, problems };
};

const names = uniqueName('rule');

const referenceCodes = {
  missing_profile: 'unknown_profile',
  missing_team: 'unknown_team',
  replaced_team: 'team_replaced',
  missing_user: 'unknown_user',
  not_hierarchy_team: 'not_hierarchy_team',
} as const;

/** A new or edited rule must name things that exist now; rules broken later by deletions are flagged instead. */
async function assertReferencesExist(scope: OrgScope, rule: Pick<Rule, 'filters' | 'assignments'>) {
  const refs = await loadReferences(scope);
  const users: string[] = rule.filters.filter((f) => f.field === 'team_manager').map((f) => f.value);
  const found = users.length ? await existingUserIds(scope, users) : new Set<string>();
  for (const id of users) if (!found.has(id)) refs.users.delete(id);
  for (const id of found) refs.users.set(id, id);
  const [problem] = ruleProblems({ id: '', name: '', isCatchAll: false, ...rule }, refs);
  if (problem) throw new BadRequestError(referenceCodes[problem.code], problem.message);
}

const audited = (r: StoredRule) => ({
  name: r.name,
  description: r.description,
  filters: r.filters,
  assignments: r.assignments,
  position: r.position,
});

export function createRulesService({ db }: { db: Knex }) {
  const tx = <T>(orgId: string, work: (scope: OrgScope) => Promise<T>) => inOrgTransaction(db, orgId, work);
  const find = async (scope: OrgScope, id: string) => {
    const rule = (await loadRules(scope)).find((r) => r.id === id);
    if (!rule) throw new NotFoundError('Rule', id);
    return rule;
  };

  return {
    async list(orgId: string) {
      const scope = scoped(db, orgId);
      const [rules, refs] = [await loadRules(scope), await loadReferences(scope)];
      const out = rules.map((r) => dto(r, refs));
      return { rules: out, invalidCount: out.filter((r) => !r.valid).length };
    },

    create(orgId: string, actor: Actor, input: z.infer<typeof RuleInput>) {
      return tx(orgId, async (scope) => {
        await lockRules(scope);
        if (await ruleNameTaken(scope, input.name)) throw names.taken(input.name);
        await assertReferencesExist(scope, input);
        const rules = await loadRules(scope);
        const catchAll = rules.find((r) => r.isCatchAll) as StoredRule;
        const ordered = rules.filter((r) => !r.isCatchAll).map((r) => r.id);
        const id = await insertRule(scope, {
          name: input.name,
          description: input.description,
          position: ordered.length,
          filters: input.filters,
          assignments: input.assignments,
        });
        ordered.splice(Math.min(input.position ?? ordered.length, ordered.length), 0, id);
        await writeRuleOrder(scope, ordered, catchAll.id);
        const created = await find(scope, id);
        await recordAudit(scope, actor, {
          action: 'rule.create',
          targetType: 'user_settings_rule',
          targetId: id,
          after: audited(created),
        });
        return dto(created, await loadReferences(scope));
      }).catch(names.lostAtIndex(input.name));
    },

    /** The catch-all is editable except for filters: it is what applies when no filter matched. */
    update(orgId: string, actor: Actor, id: string, patch: z.infer<typeof RulePatch>) {
      return tx(orgId, async (scope) => {
        const before = await find(scope, id);
        if (before.isCatchAll && patch.filters?.length) {
          throw new BadRequestError(
            'catch_all_filters',
            'The catch-all applies when no other rule matches, so it takes no filters.',
          );
        }
        if (!before.isCatchAll && patch.filters && patch.filters.length === 0) {
          throw new BadRequestError(
            'filters_required',
            'A rule needs at least one filter; the catch-all covers everyone else.',
          );
        }
        if (patch.name !== undefined && (await ruleNameTaken(scope, patch.name, id))) throw names.taken(patch.name);
        const next = { filters: patch.filters ?? before.filters, assignments: patch.assignments ?? before.assignments };
        if (patch.filters || patch.assignments) await assertReferencesExist(scope, next);
        await updateRule(scope, id, patch);
        const after = await find(scope, id);
        await recordAudit(scope, actor, {
          action: 'rule.update',
          targetType: 'user_settings_rule',
          targetId: id,
          before: audited(before),
          after: audited(after),
        });
        return dto(after, await loadReferences(scope));
      }).catch(names.lostAtIndex(patch.name));
    },

    remove(orgId: string, actor: Actor, id: string) {
      return tx(orgId, async (scope) => {
        await lockRules(scope);
        const rule = await find(scope, id);
        if (rule.isCatchAll)
          throw new ConflictError(
            'catch_all_undeletable',
            'The catch-all rule cannot be deleted; edit its assignments instead.',
          );
        await deleteRule(scope, id);
        const rest = await loadRules(scope);
        await writeRuleOrder(
          scope,
          rest.filter((r) => !r.isCatchAll).map((r) => r.id),
          (rest.find((r) => r.isCatchAll) as StoredRule).id,
        );
        await recordAudit(scope, actor, {
          action: 'rule.delete',
          targetType: 'user_settings_rule',
          targetId: id,
          before: audited(rule),
        });
      });
    },

    /** Saves a new order all at once. `ids` lists every rule; the catch-all may be named only last. */
    order(orgId: string, actor: Actor, ids: string[]) {
      return tx(orgId, async (scope) => {
        await lockRules(scope);
        const rules = await loadRules(scope);
        const catchAll = rules.find((r) => r.isCatchAll) as StoredRule;
        const at = ids.indexOf(catchAll.id);
        if (at !== -1 && at !== ids.length - 1) {
          throw new BadRequestError(
            'catch_all_must_be_last',
            `The catch-all rule "${catchAll.name}" always stays last; it cannot move to position ${at + 1}.`,
          );
        }
        const wanted = ids.filter((id) => id !== catchAll.id);
        const current = rules.filter((r) => !r.isCatchAll).map((r) => r.id);
        const unknown = wanted.filter((id) => !current.includes(id));
        const missing = current.filter((id) => !wanted.includes(id));
        if (unknown.length || missing.length || new Set(wanted).size !== wanted.length) {
          throw new BadRequestError('order_mismatch', 'The order must list every rule exactly once.', {
            unknown,
            missing,
          });
        }
        await writeRuleOrder(scope, wanted, catchAll.id);
        await recordAudit(scope, actor, {
          action: 'rule.order',
          targetType: 'user_settings_rule',
          before: { ids: current },
          after: { ids: wanted },
        });
        const refs = await loadReferences(scope);
        const out = (await loadRules(scope)).map((r) => dto(r, refs));
        return { rules: out, invalidCount: out.filter((r) => !r.valid).length };
      });
    },
  };
}

export type RulesService = ReturnType<typeof createRulesService>;
