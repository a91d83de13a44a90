import type { Knex } from 'knex';
import type { z } from 'zod';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { ACTIVITY_TOGGLES, DEFAULT_PROFILE_NAME } from '../orgs/builtins.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { assignProfile } from '../users/repo.js';
import { BadRequestError, ConflictError } from '../shared/errors.js';
import type { FieldLookup } from './field-check.js';
import { assertNotificationFields } from './notification-fields.js';
import {
  findProfileRow,
  listProfileRows,
  loadProfile,
  userCounts,
  DEFAULT_NOTIFICATIONS,
  touch,
  type ProfileRow,
} from './repo.js';
import {
  TOGGLE_LABELS,
  type ActivityPatch,
  type AssignInput,
  type Notifications,
  type ProfileInput,
  type ProfilePatch,
  type ProfileSummary,
} from './schemas.js';

/** Refuses a second profile with the same name (names compare case-insensitively, as the unique index does). */
async function assertNameFree(scope: OrgScope, name: string, exceptId?: string) {
  const q = scope.table('configuration_profiles').whereRaw('lower(name) = lower(?)', [name]);
  if (exceptId) q.whereNot({ id: exceptId });
  if (await q.first('id'))
    throw new ConflictError('duplicate_name', `A configuration profile named "${name}" already exists.`, { name });
}

/** A concurrent create with the same name loses at the unique index: still a 409, never a 500. */
const nameTaken =
  (name: string | undefined) =>
  (err: unknown): never => {
    if ((err as { code?: string }).code === '23505' && name)
      throw new ConflictError('duplicate_name', `A configuration profile named "${name}" already exists.`, { name });
    throw err;
  };

// The built-in stands for "nothing is captured": its name and its all-off toggles are what users rely on.
function assertNotBuiltin(row: Pick<ProfileRow, 'is_builtin'>, what: string) {
  if (row.is_builtin) throw new ConflictError('builtin_profile', `${DEFAULT_PROFILE_NAME} is built in: ${what}.`);
}

export function createProfilesService({ db, fields }: { db: Knex; fields?: FieldLookup }) {
  const tx = <T>(orgId: string, work: (scope: OrgScope) => Promise<T>) => inOrgTransaction(db, orgId, work);

  return {
    async list(orgId: string) {
      const scope = scoped(db, orgId);
      const [rows, counts] = await Promise.all([listProfileRows(scope), userCounts(scope)]);
      return {
        profiles: rows.map((r) => ({
          id: r.id,
          name: r.name,
          isBuiltin: r.is_builtin,
          userCount: counts.get(r.id) ?? 0,
        })),
      };
    },

    get: (orgId: string, id: string) => loadProfile(scoped(db, orgId), id),

    /** "User Settings From": every setting, group and question of the source is copied. */
    create(orgId: string, actor: Actor, input: z.infer<typeof ProfileInput>) {
      return tx(orgId, async (scope) => {
        await assertNameFree(scope, input.name);
        const source = input.copyFromId ? await findProfileRow(scope, input.copyFromId) : null;
        const [row] = await scope
          .insert('configuration_profiles', {
            name: input.name,
            activity: source?.activity ?? Object.fromEntries(ACTIVITY_TOGGLES.map((t) => [t, false])),
            eligibility_state: source?.eligibility_state ?? { Opportunity: 'all', Account: 'all', Lead: 'all' },
            min_score: source?.min_score ?? 0,
            notifications: source?.notifications ?? DEFAULT_NOTIFICATIONS,
          })
          .returning('id');
        if (source) {
          for (const table of ['eligibility_groups', 'ranking_groups', 'follow_up_questions']) {
            const children = await scope.table(table).where({ profile_id: source.id });
            const copies = children.map(
              ({ id: _id, org_id: _org, created_at: _at, ...rest }: Record<string, unknown>) => ({
                ...rest,
                profile_id: row.id,
                ...('conditions' in rest ? { conditions: JSON.stringify(rest.conditions) } : {}),
              }),
            );
            if (copies.length) await scope.insert(table, copies);
          }
        }
        const created = await loadProfile(scope, row.id);
        await recordAudit(scope, actor, {
          action: 'profile.create',
          targetType: 'configuration_profile',
          targetId: row.id,
          after: { ...created, copiedFrom: source?.id ?? null },
        });
        return created;
      }).catch(nameTaken(input.name));
    },

    update(orgId: string, actor: Actor, id: string, patch: z.infer<typeof ProfilePatch>) {
      return tx(orgId, async (scope) => {
        const row = await findProfileRow(scope, id, true);
        const before = await loadProfile(scope, id);
        if (patch.name !== undefined && patch.name !== row.name) {
          assertNotBuiltin(row, 'it cannot be renamed');
          await assertNameFree(scope, patch.name, id);
        }
        if (patch.activity) assertBuiltinStaysOff(row, patch.activity);
        await scope
          .table('configuration_profiles')
          .where({ id })
          .update({
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.minScore !== undefined ? { min_score: patch.minScore } : {}),
            ...(patch.activity ? { activity: { ...before.activity, ...patch.activity } } : {}),
            updated_at: scope.db.fn.now(),
          });
        const after = await loadProfile(scope, id);
        await recordAudit(scope, actor, {
          action: 'profile.update',
          targetType: 'configuration_profile',
          targetId: id,
          before,
          after,
        });
        return after;
      }).catch(nameTaken(patch.name));
    },

    setActivity(orgId: string, actor: Actor, id: string, activity: z.infer<typeof ActivityPatch>) {
      return this.update(orgId, actor, id, { activity }).then((p) => p.activity);
    },

    /** Refused while users are assigned (naming how many), while rules assign it (naming them), and for the built-in. */
    remove(orgId: string, actor: Actor, id: string) {
      return tx(orgId, async (scope) => {
        const row = await findProfileRow(scope, id, true);
        assertNotBuiltin(row, 'it can never be deleted');
        const users = (await userCounts(scope, [id])).get(id) ?? 0;
        if (users > 0) {
          throw new ConflictError(
            'profile_in_use',
            `${users} user${users === 1 ? ' is' : 's are'} assigned to "${row.name}"; reassign them before deleting it.`,
            { userCount: users },
          );
        }
        // A rule that assigns it would stop configuring new users: refuse, naming the rules to change first.
        const rules: { id: string; name: string }[] = await scope
          .table('user_settings_rules')
          .whereRaw("assignments->>'profileId' = ?", [id])
          .orderBy([{ column: 'is_catch_all', order: 'asc' }, 'position'])
          .select('id', 'name');
        if (rules.length > 0) {
          throw new ConflictError(
            'profile_used_by_rules',
            `"${row.name}" is assigned by User Settings Rule${rules.length === 1 ? '' : 's'} ${rules
              .map((r) => `"${r.name}"`)
              .join(', ')}; change ${rules.length === 1 ? 'that rule' : 'those rules'} before deleting it.`,
            { rules: rules.map((r) => ({ ruleId: r.id, ruleName: r.name })) },
          );
        }
        const before = await loadProfile(scope, id);
        await scope.table('configuration_profiles').where({ id }).delete();
        await recordAudit(scope, actor, {
          action: 'profile.delete',
          targetType: 'configuration_profile',
          targetId: id,
          before,
        });
      });
    },

    async summary(orgId: string, id: string): Promise<z.infer<typeof ProfileSummary>> {
      const p = await loadProfile(scoped(db, orgId), id);
      const labels = (on: boolean) => ACTIVITY_TOGGLES.filter((t) => p.activity[t] === on).map((t) => TOGGLE_LABELS[t]);
      return {
        id: p.id,
        name: p.name,
        enabled: labels(true),
        disabled: labels(false),
        eligibility: {
          Opportunity: p.eligibility.Opportunity.state,
          Account: p.eligibility.Account.state,
          Lead: p.eligibility.Lead.state,
        },
        rankingGroupCount: p.rankingGroups.length,
        followUpQuestionCount: p.notifications.followUpQuestions.length,
        userCount: p.userCount,
      };
    },

    /** Bulk assignment; every id must be a user of this org, or nothing changes. */
    assign(orgId: string, actor: Actor, id: string, { userIds }: z.infer<typeof AssignInput>) {
      return tx(orgId, async (scope) => {
        await findProfileRow(scope, id);
        const wanted = [...new Set(userIds)];
        const users: { id: string; profile_id: string }[] = [];
        for (let i = 0; i < wanted.length; i += 1000) {
          users.push(
            ...(await scope
              .table('users')
              .whereIn('id', wanted.slice(i, i + 1000))
              .select('id', 'profile_id')),
          );
        }
        const found = new Set(users.map((u) => u.id));
        const missing = wanted.filter((u) => !found.has(u));
        if (missing.length)
          throw new BadRequestError(
            'unknown_users',
            `${missing.length} of the users were not found: ${missing.slice(0, 5).join(', ')}.`,
            { userIds: missing },
          );
        const changing = users.filter((u) => u.profile_id !== id);
        await assignProfile(scope, actor, changing, id);
        return { assigned: changing.length, unchanged: users.length - changing.length };
      });
    },

    /** Replaces the notification settings and the follow-up questions, in the order given. */
    async setNotifications(orgId: string, actor: Actor, id: string, input: Notifications) {
      // Asked before the transaction: describe may use other connections.
      await assertNotificationFields(fields, orgId, input);
      return tx(orgId, async (scope) => {
        await findProfileRow(scope, id, true);
        const before = (await loadProfile(scope, id)).notifications;
        const { followUpQuestions, ...settings } = input;
        await scope.table('configuration_profiles').where({ id }).update({ notifications: settings });
        await scope.table('follow_up_questions').where({ profile_id: id }).delete();
        if (followUpQuestions.length) {
          await scope.insert(
            'follow_up_questions',
            followUpQuestions.map((q, position) => ({
              profile_id: id,
              position,
              crm_category: q.crmCategory,
              question: q.question,
              answer_field: q.answerField,
            })),
          );
        }
        await touch(scope, id);
        const after = (await loadProfile(scope, id)).notifications;
        await recordAudit(scope, actor, {
          action: 'profile.notifications',
          targetType: 'configuration_profile',
          targetId: id,
          before,
          after,
        });
        return after;
      });
    },
  };
}

function assertBuiltinStaysOff(row: Pick<ProfileRow, 'is_builtin'>, activity: z.infer<typeof ActivityPatch>) {
  const turnedOn = Object.entries(activity)
    .filter(([, on]) => on)
    .map(([t]) => TOGGLE_LABELS[t as keyof typeof TOGGLE_LABELS]);
  if (turnedOn.length)
    assertNotBuiltin(
      row,
      `its activity toggles stay off (asked to turn on ${turnedOn.join(', ')}); create a profile instead`,
    );
}

export type ProfilesService = ReturnType<typeof createProfilesService>;
