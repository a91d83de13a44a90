import type { Knex } from 'knex';
import { flushDeferred, inOrgTransaction, scoped, type OrgScope } from '../db/scoped.js';
import type { Actor } from '../shared/audit.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import { getManagementMode } from '../orgs/repo.js';
import { defaultProfileId, profileExists } from '../profiles/repo.js';
import { sharedStatusCounts } from './counts.js';
import { listUsers } from './list.js';
import { emailTaken, fieldsOf, findUserRow, type UserFields } from './repo.js';
import { findListedUser, toUser } from './list-repo.js';
import { createUsers, deleteUsers, updateUsers } from './write-repo.js';
import { reactivateUsers, suspendUsers } from './status.js';
import { loadUsers } from '../sync/mirror.js';
import { refuseCustomTeamsPastCap } from '../teams/custom-cap.js';
import { builtinTeamId, HIERARCHY_KINDS, managerWarning, teamKind } from '../teams/repo.js';
import type { NewUser, User, UserListQuery, UserPatch } from './schemas.js';
import { SALESFORCE_OWNED_FIELDS } from './vocabulary.js';
import { loadViewer } from './visibility.js';

export function ownedBySalesforce(fields: readonly string[]): ConflictError {
  return new ConflictError(
    'owned_by_salesforce',
    `Automatic Mode is on: ${fields.join(', ')} ${fields.length === 1 ? 'is' : 'are'} owned by Salesforce. Change ${fields.length === 1 ? 'it' : 'them'} in Salesforce; the sync brings the change here.`,
    { owner: 'salesforce', fields },
  );
}

export async function getUser(scope: OrgScope, id: string): Promise<User> {
  const row = await findListedUser(scope, id);
  if (!row) throw new NotFoundError('User', id);
  return toUser(row);
}

async function assertEmailFree(scope: OrgScope, email: string, exceptId?: string) {
  if (await emailTaken(scope, email, exceptId))
    throw new ConflictError('email_taken', `Another user already has the email ${email}.`, { field: 'email' });
}

export async function assertTeam(scope: OrgScope, teamId: string) {
  const kind = await teamKind(scope, teamId);
  if (!kind) throw new BadRequestError('unknown_team', `Team ${teamId} does not exist.`, { field: 'teamId' });
  if (!HIERARCHY_KINDS.includes(kind)) {
    throw new BadRequestError(
      'not_a_hierarchy_team',
      'A user belongs to one hierarchy team; add them to custom teams from the custom team.',
      { field: 'teamId' },
    );
  }
}

export async function assertProfile(scope: OrgScope, profileId: string) {
  if (!(await profileExists(scope, profileId)))
    throw new BadRequestError('unknown_profile', `Configuration profile ${profileId} does not exist.`, {
      field: 'profileId',
    });
}

async function teamWarnings(scope: OrgScope, teamId: string | null): Promise<string[]> {
  if (!teamId) return [];
  await flushDeferred(scope.db); // the team's derived manager, settled by this change
  const warning = await managerWarning(scope, teamId);
  return warning ? [warning] : [];
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

/** Users as an admin manages them by hand (SPEC section 2); the sync and CSV import reuse repo.ts directly. */
export function createUsersService({ db }: { db: Knex }) {
  const write = <T>(orgId: string, work: (scope: OrgScope) => Promise<T>) =>
    inOrgTransaction(db, orgId, work).catch((err) => {
      if (isUniqueViolation(err))
        throw new ConflictError('email_taken', 'Another user already has that email.', { field: 'email' });
      throw err;
    });

  const counts = sharedStatusCounts();

  return {
    list: (orgId: string, query: UserListQuery) => listUsers(scoped(db, orgId), query),
    counts: (orgId: string) => counts(scoped(db, orgId)),
    get: (orgId: string, id: string) => getUser(scoped(db, orgId), id),

    async visibleTo(orgId: string, viewerId: string, query: UserListQuery) {
      const scope = scoped(db, orgId);
      const viewer = await loadViewer(scope, viewerId);
      return { viewerId, objectVisibility: viewer.objectVisibility, ...(await listUsers(scope, query, viewer)) };
    },

    create: (orgId: string, actor: Actor, input: NewUser) =>
      write(orgId, async (scope) => {
        const automatic = (await getManagementMode(scope)) === 'automatic';
        const unassigned = await builtinTeamId(scope, 'unassigned');
        // Hand-added users cannot sit in the Salesforce hierarchy in Automatic Mode: they land in Unassigned.
        if (automatic && input.teamId && input.teamId !== unassigned) throw ownedBySalesforce(['teamId']);
        const teamId = automatic ? unassigned : (input.teamId ?? (await builtinTeamId(scope, 'top')));
        await assertTeam(scope, teamId);
        const profileId = input.profileId ?? (await defaultProfileId(scope));
        await assertProfile(scope, profileId);
        await assertEmailFree(scope, input.email);
        const [id] = await createUsers(
          scope,
          actor,
          [{ ...input, teamId, profileId, sfUserId: input.sfUserId ?? null }],
          'manual',
        );
        await refuseCustomTeamsPastCap(scope, [teamId]);
        return { ...(await getUser(scope, id!)), warnings: await teamWarnings(scope, teamId) };
      }),

    update: (orgId: string, actor: Actor, id: string, patch: UserPatch) =>
      write(orgId, async (scope) => {
        const row = await findUserRow(scope, id, true);
        if (!row) throw new NotFoundError('User', id);
        const before = fieldsOf(row);
        const after: UserFields = { ...before, ...patch };
        // The acting admin stays an admin, as they cannot suspend or delete themselves: an org is never left without one.
        if (id === actor.id && after.role !== 'admin')
          throw new ConflictError(
            'cannot_demote_self',
            'You cannot take away your own Admin role; ask another admin.',
            { field: 'role' },
          );
        if ((await getManagementMode(scope)) === 'automatic') {
          // Salesforce owns what it holds about its users (their email too: the sync reconciles it). A hand-added
          // user has no Salesforce record: an admin keeps editing them, though they stay out of the hierarchy.
          const linked = row.sf_user_id && (await loadUsers(scope, [row.sf_user_id])).has(row.sf_user_id);
          if (linked) {
            const owned = [...SALESFORCE_OWNED_FIELDS, 'email' as const].filter(
              (f) => patch[f] !== undefined && patch[f] !== before[f],
            );
            if (owned.length) throw ownedBySalesforce(owned);
          } else if (patch.teamId && patch.teamId !== before.teamId) {
            const kind = await teamKind(scope, patch.teamId);
            if (kind === 'hierarchy' || kind === 'top')
              throw new ConflictError(
                'not_in_salesforce',
                'Automatic Mode is on: a user without a Salesforce record cannot join the Salesforce hierarchy; they stay in Unassigned.',
                { field: 'teamId' },
              );
          }
        }
        if (patch.teamId) await assertTeam(scope, patch.teamId);
        if (patch.profileId) await assertProfile(scope, patch.profileId);
        if (patch.email) await assertEmailFree(scope, patch.email, id);
        await updateUsers(scope, actor, [{ id, before, after }]);
        if (after.teamId !== before.teamId) await refuseCustomTeamsPastCap(scope, [after.teamId]);
        return { ...(await getUser(scope, id)), warnings: await teamWarnings(scope, after.teamId) };
      }),

    suspend: (orgId: string, actor: Actor, id: string, reason: string) =>
      write(orgId, async (scope) => {
        await getUser(scope, id);
        if (id === actor.id)
          throw new ConflictError('cannot_suspend_self', 'You cannot suspend yourself; ask another admin.');
        await suspendUsers(scope, actor, [id], reason);
        return getUser(scope, id);
      }),

    reactivate: (orgId: string, actor: Actor, id: string) =>
      write(orgId, async (scope) => {
        await getUser(scope, id);
        await reactivateUsers(scope, actor, [id]);
        return getUser(scope, id);
      }),

    remove: (orgId: string, actor: Actor, id: string, confirm: string | undefined) =>
      write(orgId, async (scope) => {
        const user = await getUser(scope, id);
        if (!confirm || confirm.trim().toLowerCase() !== user.email.toLowerCase()) {
          throw new BadRequestError(
            'confirmation_required',
            `Deleting a user removes their data for good. To confirm, repeat their email: ?confirm=${user.email}`,
            { field: 'confirm' },
          );
        }
        if (id === actor.id)
          throw new ConflictError('cannot_delete_self', 'You cannot delete yourself; ask another admin.');
        await deleteUsers(scope, actor, [id]);
      }),
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
