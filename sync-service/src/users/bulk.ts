import type { Knex } from 'knex';
import { inOrgTransaction, type OrgScope } from '../db/scoped.js';
import type { Actor } from '../shared/audit.js';
import { ConflictError } from '../shared/errors.js';
import { lockSelectedUsers } from './bulk-repo.js';
import { getManagementMode } from '../orgs/repo.js';
import { fieldsOf, type UserFields, type UserRow } from './repo.js';
import { updateUsers } from './write-repo.js';
import { reactivateUsers, suspendUsers } from './status.js';
import type { BulkUserAction, BulkUserResult } from './schemas.js';
import { customTeamsPastCapAfter, customTeamTooLarge, refuseCustomTeamsPastCap } from '../teams/custom-cap.js';
import { assertProfile, assertTeam, ownedBySalesforce } from './service.js';

type Change = BulkUserAction['change'];

/** What each field-setting action writes, as data: the field and its new value. */
const FIELD_CHANGES: { [A in Change['action']]?: (c: Extract<Change, { action: A }>) => Partial<UserFields> } = {
  assign_profile: (c) => ({ profileId: c.profileId }),
  set_licenses: (c) => ({ licenses: [...new Set(c.licenses)].sort() }),
  set_visibility: (c) => ({ objectVisibility: c.objectVisibility }),
  move_team: (c) => ({ teamId: c.teamId }),
};

// Each entry takes its own action's change; TypeScript cannot correlate the lookup with the argument, hence the cast.
const fieldsFor = (change: Change): Partial<UserFields> =>
  (FIELD_CHANGES[change.action] as ((c: Change) => Partial<UserFields>) | undefined)?.(change) ?? {};

const sameLicenses = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

function alters(row: UserRow, change: Change, fields: Partial<UserFields>): boolean {
  if (change.action === 'suspend') return row.status !== 'suspended';
  if (change.action === 'reactivate') return row.status === 'suspended';
  const before = fieldsOf(row);
  return Object.entries(fields).some(([key, value]) =>
    key === 'licenses' ? !sameLicenses(before.licenses, value as string[]) : before[key as keyof UserFields] !== value,
  );
}

async function check(scope: OrgScope, actor: Actor, change: Change, rows: UserRow[]) {
  if (change.action === 'assign_profile') await assertProfile(scope, change.profileId);
  if (change.action === 'move_team') {
    if ((await getManagementMode(scope)) === 'automatic') throw ownedBySalesforce(['teamId']);
    await assertTeam(scope, change.teamId);
  }
  if (change.action === 'suspend' && rows.some((r) => r.id === actor.id))
    throw new ConflictError(
      'cannot_suspend_self',
      'The selection includes you: you cannot suspend yourself. Leave yourself out and try again.',
    );
}

/**
 * One change to many users (SPEC section 2, issue 18's bulk actions): the users ticked in the table or every
 * user matching its filters, in one transaction with one audit entry per user. A dry run only counts; an apply
 * with the count the admin confirmed refuses when the selection has since grown or shrunk.
 */
export function createUserBulkService({ db }: { db: Knex }) {
  return {
    apply: (orgId: string, actor: Actor, input: BulkUserAction): Promise<BulkUserResult> =>
      inOrgTransaction(db, orgId, async (scope) => {
        const rows = await lockSelectedUsers(scope, input.selection);
        const { change } = input;
        const fields = fieldsFor(change);
        const targets = rows.filter((r) => alters(r, change, fields));
        const result = { matched: rows.length, changed: targets.length, dryRun: input.dryRun };
        await check(scope, actor, change, targets);
        if (input.dryRun) {
          // The count is the preview: a move the apply would refuse for a custom team's cap is refused here too.
          if (fields.teamId && targets.length) {
            const to = fields.teamId;
            const past = await customTeamsPastCapAfter(scope, { moves: targets.map((r) => ({ userId: r.id, to })) });
            if (past.length) throw customTeamTooLarge(past);
          }
          return result;
        }
        if (input.expectedCount !== undefined && input.expectedCount !== rows.length)
          throw new ConflictError(
            'selection_changed',
            `The selection now matches ${rows.length} users, not the ${input.expectedCount} you confirmed. Nothing was changed; review the count and confirm again.`,
            { matched: rows.length, expected: input.expectedCount },
          );
        const ids = targets.map((r) => r.id);
        if (change.action === 'suspend') await suspendUsers(scope, actor, ids, change.reason);
        else if (change.action === 'reactivate') await reactivateUsers(scope, actor, ids);
        else
          await updateUsers(
            scope,
            actor,
            targets.map((r) => ({ id: r.id, before: fieldsOf(r), after: { ...fieldsOf(r), ...fields } })),
          );
        if (fields.teamId && targets.length) await refuseCustomTeamsPastCap(scope, [fields.teamId]);
        return result;
      }),
  };
}
