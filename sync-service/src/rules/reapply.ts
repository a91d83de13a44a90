import type { Knex } from 'knex';
import type { z } from 'zod';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import type { Actor } from '../shared/audit.js';
import { ConflictError } from '../shared/errors.js';
import { previewTokenOf, requireSamePlan, type PlanCategory, type PreviewSummary } from '../shared/preview-token.js';
import { assignFromRules } from '../users/assign-repo.js';
import { reapplyUsers, type ReapplyUser } from '../users/repo.js';
import { ROLE_LABELS, type Role } from '../users/vocabulary.js';
import { loadRuleSet } from './repo.js';
import type { RuleSet } from './rule-set.js';
import type { Assignments, ReapplyChange } from './schemas.js';

export type { ReapplyUser };

export interface ReapplyState {
  users: ReapplyUser[];
  rules: RuleSet;
}

type Change = z.infer<typeof ReapplyChange>;

/** What re-applying would do: per changed user, the rule that decided and each field's from and to. */
export interface ReapplyPlan {
  changes: Change[];
  /** The same for identical users and rules: the apply refuses a plan that is no longer the one previewed. */
  previewToken: string;
  /** Per category of the plan (users to change, users whose role changes, ...), how many. */
  summary: PreviewSummary;
  total: number;
  unchanged: number;
  warnings: string[];
  /** Per changed user, everything the rule assigns (the apply writes all of it). */
  assigned: Map<string, Assignments>;
}

/** Reads the users and the saved rules (pass the transaction's scope, with `lock`, to apply what is planned). */
export async function loadReapplyState(scope: OrgScope, opts: { lock?: boolean } = {}): Promise<ReapplyState> {
  return { users: await reapplyUsers(scope, opts.lock), rules: await loadRuleSet(scope) };
}

const sameLicenses = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

const REAPPLY = 'reapply1';
const FIELD_LABELS: Record<Change['changes'][number]['field'], string> = {
  profileId: 'users whose profile changes',
  role: 'users whose role changes',
  visibility: 'users whose visibility changes',
  licenses: 'users whose licenses change',
};

/** The plan by category, in the admin's words: every change, then the users of each field that changes. */
function reapplyCategories(changes: readonly Change[]): PlanCategory[] {
  const fields = Object.entries(FIELD_LABELS) as [keyof typeof FIELD_LABELS, string][];
  return [
    { key: 'users', label: 'users to change', items: changes },
    ...fields.map(([field, label]) => ({
      key: field,
      label,
      items: changes.flatMap((c) => c.changes.filter((f) => f.field === field).map((f) => [c.userId, f.to])),
    })),
  ];
}

/** What re-applying the rules would change for each user (pure); identical inputs give the identical token. */
export function planReapply({ users, rules }: ReapplyState): ReapplyPlan {
  const changes: Change[] = [];
  const assigned = new Map<string, Assignments>();
  for (const u of users) {
    const { rule, assignments: a } = rules.evaluate({ jobTitle: u.job_title, teamId: u.team_id });
    const fields: Change['changes'] = [];
    if (u.profile_id !== a.profileId) fields.push({ field: 'profileId', from: u.profile_id, to: a.profileId });
    if (u.role !== a.role) fields.push({ field: 'role', from: u.role, to: a.role });
    if (u.object_visibility !== a.visibility)
      fields.push({ field: 'visibility', from: u.object_visibility, to: a.visibility });
    if (!sameLicenses(u.licenses ?? [], a.licenses))
      fields.push({ field: 'licenses', from: u.licenses ?? [], to: a.licenses });
    if (!fields.length) continue;
    assigned.set(u.id, a);
    changes.push({ userId: u.id, email: u.email, rule: { id: rule.id, name: rule.name }, changes: fields });
  }
  return {
    changes,
    ...previewTokenOf(REAPPLY, reapplyCategories(changes)),
    total: users.length,
    unchanged: users.length - changes.length,
    warnings: adminWarnings(users, changes),
    assigned,
  };
}

/** What the preview answers: the plan without what only the apply needs. */
const shown = ({ assigned: _internal, ...preview }: ReapplyPlan) => preview;

/** Losing every active admin would lock the org out of Roster. */
function adminWarnings(users: ReapplyUser[], changes: Change[]) {
  const newRole = new Map(
    changes.flatMap((c) => c.changes.filter((f) => f.field === 'role').map((f) => [c.userId, f.to as string] as const)),
  );
  const adminsLeft = users.filter((u) => u.status !== 'suspended' && (newRole.get(u.id) ?? u.role) === 'admin').length;
  return adminsLeft === 0
    ? ['Re-applying would leave no active admin; add a rule that keeps at least one admin first.']
    : [];
}

/** Why `changes` would take away the acting admin's own Admin role (which they cannot do, as they cannot suspend themselves), or null. */
function demotesYou(changes: readonly Change[], actorId: string): string | null {
  const you = changes.find(
    (c) => c.userId === actorId && c.changes.some((f) => f.field === 'role' && f.to !== 'admin'),
  );
  if (!you) return null;
  const to = you.changes.find((f) => f.field === 'role')!.to as Role;
  return (
    `Re-applying would make you (${you.email}) ${ROLE_LABELS[to]} instead of Admin, and you cannot take away your own ` +
    'Admin role: leave yourself out, or add a rule that keeps you an Admin.'
  );
}

/** The plan as the admin confirmed it: without the users they left out, refused if it leaves no active admin. */
export function confirmedChanges(state: ReapplyState, plan: ReapplyPlan, excludeUserIds: readonly string[]) {
  const excluded = new Set(excludeUserIds);
  const changes = plan.changes.filter((c) => !excluded.has(c.userId));
  const [warning] = adminWarnings(state.users, changes);
  if (warning) throw new ConflictError('no_admin_left', warning);
  return { changes, excluded: plan.changes.length - changes.length };
}

/** Writes `changes` of `plan` in the caller's transaction, through the users' module, with a summary entry. */
export async function applyReapply(scope: OrgScope, actor: Actor, plan: ReapplyPlan, changes: readonly Change[]) {
  await assignFromRules(
    scope,
    actor,
    changes.map((c) => {
      const a = plan.assigned.get(c.userId)!;
      return {
        id: c.userId,
        profileId: a.profileId,
        role: a.role,
        objectVisibility: a.visibility,
        licenses: a.licenses,
        ruleId: c.rule.id,
        before: Object.fromEntries(c.changes.map((f) => [f.field, f.from])),
        after: { ...Object.fromEntries(c.changes.map((f) => [f.field, f.to])), ruleId: c.rule.id },
        roleChanged: c.changes.some((f) => f.field === 'role'),
      };
    }),
    {
      action: 'rules.reapply',
      targetType: 'user_settings_rule',
      after: {
        applied: changes.length,
        unchanged: plan.unchanged,
        excluded: plan.changes.length - changes.length,
        previewToken: plan.previewToken,
      },
    },
  );
}

/** Re-applying the saved rules to existing users: the preview and the apply make the same plan from the same reads. */
export function createReapplyService({ db }: { db: Knex }) {
  return {
    async preview(orgId: string, actor: Actor) {
      const plan = shown(planReapply(await loadReapplyState(scoped(db, orgId))));
      const demoting = demotesYou(plan.changes, actor.id);
      return demoting ? { ...plan, warnings: [...plan.warnings, demoting] } : plan;
    },

    /**
     * Applies exactly the plan the preview showed, in one transaction; if it changed since, applies nothing and
     * answers 409 preview_stale saying what changed, with the new preview.
     */
    apply(orgId: string, actor: Actor, previewToken?: string, excludeUserIds: string[] = []) {
      return inOrgTransaction(db, orgId, async (scope) => {
        const state = await loadReapplyState(scope, { lock: true });
        const plan = planReapply(state);
        await requireSamePlan(previewToken, REAPPLY, reapplyCategories(plan.changes), 'Users or rules', () =>
          shown(plan),
        );
        const { changes, excluded } = confirmedChanges(state, plan, excludeUserIds);
        const demoting = demotesYou(changes, actor.id);
        if (demoting) throw new ConflictError('cannot_demote_self', demoting);
        await applyReapply(scope, actor, plan, changes);
        return { applied: changes.length, unchanged: plan.unchanged, excluded };
      });
    },
  };
}
