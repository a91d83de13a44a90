import type { OrgScope } from '../db/scoped.js';
import { chunks } from '../shared/chunks.js';
import type { UserRow } from './repo.js';

/**
 * Set-wise reads of the users table for the Salesforce sync, the role import and the custom-team keeper: who is
 * linked to which Salesforce user, who holds which email, who sits in which team. Writes are write-repo.ts.
 */

/** A Roster user as matched against a Salesforce user. */
export type UserLink = Pick<UserRow, 'id' | 'email' | 'sf_user_id'>;

/** Where a Roster user sits, and their link. */
export type UserPlacement = UserLink & Pick<UserRow, 'team_id'>;

/** The Roster users linked to these Salesforce users. */
export async function usersLinkedTo(scope: OrgScope, sfUserIds: readonly string[]): Promise<UserRow[]> {
  const rows: UserRow[] = [];
  // The ids travel as one array parameter per chunk, not one binding each.
  for (const part of chunks(sfUserIds))
    rows.push(...(await scope.table('users').whereRaw('sf_user_id = ANY(?::text[])', [part])));
  return rows;
}

/** The Roster users holding these emails, whatever their case. */
export async function usersByEmail(scope: OrgScope, emails: readonly string[]): Promise<UserLink[]> {
  const rows: UserLink[] = [];
  for (const part of chunks(emails))
    rows.push(
      ...(await scope
        .table('users')
        .whereRaw('lower(email) = ANY(?::text[])', [part])
        .select('id', 'email', 'sf_user_id')),
    );
  return rows;
}

/** Whether a Roster user other than `exceptId` is linked to this Salesforce user. */
export async function linkedToOther(scope: OrgScope, sfUserId: string, exceptId: string): Promise<boolean> {
  return !!(await scope.table('users').where('sf_user_id', sfUserId).whereNot('id', exceptId).first('id'));
}

/** The Salesforce ids every linked Roster user is linked to. */
export async function linkedSfUserIds(scope: OrgScope): Promise<string[]> {
  return scope.table('users').whereNotNull('sf_user_id').pluck('sf_user_id');
}

/** The Salesforce ids of linked Roster users suspended for `reason`. */
export async function sfUserIdsSuspendedFor(scope: OrgScope, reason: string): Promise<string[]> {
  return scope.table('users').where('suspension_reason', reason).whereNotNull('sf_user_id').pluck('sf_user_id');
}

/** Linked Roster users who are not suspended: those the sync can suspend. */
export async function activeLinkedCount(scope: OrgScope): Promise<number> {
  const row: { n: string | number } | undefined = await scope
    .table('users')
    .whereNotNull('sf_user_id')
    .whereNot('status', 'suspended')
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

/** Every Roster user's email. */
export async function allEmails(scope: OrgScope): Promise<string[]> {
  return scope.table('users').pluck('email');
}

/** Every Roster user, where they sit. */
export async function allPlacements(scope: OrgScope): Promise<UserPlacement[]> {
  return scope.table('users').select('id', 'email', 'sf_user_id', 'team_id');
}

/** The Roster users sitting in these teams. */
export async function usersInTeams(
  scope: OrgScope,
  teamIds: readonly string[],
): Promise<(UserPlacement & { team_id: string })[]> {
  const rows: (UserPlacement & { team_id: string })[] = [];
  for (const part of chunks(teamIds))
    rows.push(...(await scope.table('users').whereIn('team_id', part).select('id', 'email', 'sf_user_id', 'team_id')));
  return rows;
}
