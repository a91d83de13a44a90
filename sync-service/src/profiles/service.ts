import type { Knex } from 'knex';
import type { z } from 'zod';
import { inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import { ACTIVITY_TOGGLES, DEFAULT_PROFILE_NAME } from '../orgs/builtins.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { uniqueName } from '../shared/unique-name.js';
import { assignProfile } from '../users/assign-repo.js';
import { profilesOfUsers, usersPerProfile } from '../users/repo.js';
import { BadRequestError, ConflictError } from '../shared/errors.js';
import type { FieldLookup } from './field-check.js';
import { assertNotificationFields } from './notification-fields.js';
import { rulesAssigningProfile } from '../rules/repo.js';
import {
  copyProfileParts,
  deleteProfile,
  findProfileRow,
  insertProfile,
  listProfileRows,
  loadProfile,
  profileNameTaken,
  replaceNotifications,
  updateProfile,
  DEFAULT_NOTIFICATIONS,
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

const names = uniqueName('configuration profile');

// The built-in stands for "nothing is captured": its name and its all-off toggles are what users rely on.
function assertNotBuiltin(row: Pick<ProfileRow, 'is_builtin'>, what: string) {
  if (row.is_builtin) throw new ConflictError('builtin_profile', `${DEFAULT_PROFILE_NAME} is built in: ${what}.`);
}

export function createProfilesService({ db, fields }: { db: Knex; fields?: FieldLookup }) {
  const tx = <T>(orgId: string, work: (scope: OrgScope) => Promise<T>) => inOrgTransaction(db, orgId, work);

  return {
    async list(orgId: string) {
      const scope = scoped(db, orgId);
      const [rows, counts] = await Promise.all([listProfileRows(scope), usersPerProfile(scope)]);
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
        if (await profileNameTaken(scope, input.name)) throw names.taken(input.name);
        const source = input.copyFromId ? await findProfileRow(scope, input.copyFromId) : null;
        const id = await insertProfile(scope, {
          name: input.name,
          activity: source?.activity ?? Object.fromEntries(ACTIVITY_TOGGLES.map((t) => [t, false])),
          eligibility_state: source?.eligibility_state ?? { Opportunity: 'all', Account: 'all', Lead: 'all' },
          min_score: source?.min_score ?? 0,
          notifications: source?.notifications ?? DEFAULT_NOTIFICATIONS,
        });
        if (source) await copyProfileParts(scope, source.id, id);
        const created = await loadProfile(scope, id);
        await recordAudit(scope, actor, {
          action: 'profile.create',
          targetType: 'configuration_profile',
          targetId: id,
          after: { ...created, copiedFrom: source?.id ?? null },
        });
        return created;
      }).catch(names.lostAtIndex(input.name));
    },

    update(orgId: string, actor: Actor, id: string, patch: z.infer<typeof ProfilePatch>) {
      return tx(orgId, async (scope) => {
        const row = await findProfileRow(scope, id, true);
        const before = await loadProfile(scope, id);
        if (patch.name !== undefined && patch.name !== row.name) {
          assertNotBuiltin(row, 'it cannot be renamed');
          if (await profileNameTaken(scope, patch.name, id)) throw names.taken(patch.name);
        }
        if (patch.activity) assertBuiltinStaysOff(row, patch.activity);
        await updateProfile(scope, id, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.minScore !== undefined ? { min_score: patch.minScore } : {}),
          ...(patch.activity ? { activity: { ...before.activity, ...patch.activity } } : {}),
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
      }).catch(names.lostAtIndex(patch.name));
    },

    setActivity(orgId: string, actor: Actor, id: string, activity: z.infer<typeof ActivityPatch>) {
      return this.update(orgId, actor, id, { activity }).then((p) => p.activity);
    },

    /** Refused while users are assigned (naming how many), while rules assign it (naming them), and for the built-in. */
    remove(orgId: string, actor: Actor, id: string) {
      return tx(orgId, async (scope) => {
        const row = await findProfileRow(scope, id, true);
        assertNotBuiltin(row, 'it can never be deleted');
        const users = (await usersPerProfile(scope, [id])).get(id) ?? 0;
        if (users > 0) {
          throw new ConflictError(
            'profile_in_use',
            `${users} user${users === 1 ? ' is' : 's are'} assigned to "${row.name}"; reassign them before deleting it.`,
            { userCount: users },
          );
        }
        // A rule that assigns it would stop configuring new users: refuse, naming the rules to change first.
        const rules = await rulesAssigningProfile(scope, id);
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
        await deleteProfile(scope, id);
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
        const users = await profilesOfUsers(scope, wanted);
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
        await replaceNotifications(scope, id, settings, followUpQuestions);
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
