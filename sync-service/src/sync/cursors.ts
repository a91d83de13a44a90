import type { OrgScope } from '../db/scoped.js';
import type { Changes, SfRole } from './fetch.js';
import { advanceCursor } from './runs-repo.js';

/** Rows become visible a few seconds after their SystemModstamp: every poll re-reads this much before the cursor. */
export const OVERLAP_MS = 120_000;

/** What a run read besides the changes themselves, for moving the cursors. */
export interface CursorInput {
  full: boolean;
  /** When this run began reading Salesforce: role deletions up to then are reflected by a full id compare. */
  readStartedAt?: Date;
  /** This run compared every user id with the mirror. */
  userReconciled?: boolean;
  liveRoleIds: string[] | null;
}

const newest = (rows: { modstamp: string | null }[]): Date | null => {
  let max: number | null = null;
  for (const r of rows) {
    const t = r.modstamp ? Date.parse(r.modstamp) : NaN;
    if (!Number.isNaN(t) && (max === null || t > max)) max = t;
  }
  return max === null ? null : new Date(max);
};

/**
 * The cursor moves to the newest SystemModstamp actually read, never to "now" after an empty read. One exception keeps
 * an idle poll from re-reading a burst of old rows forever: Salesforce's own clock (latestDateCovered of /deleted)
 * minus the overlap. A row still invisible at that time has a later SystemModstamp, and the next query starts another
 * overlap earlier still, so it is read.
 */
export async function advanceCursors(scope: OrgScope, changes: Changes, input: CursorInput) {
  const set = async (object: string, at: Date | null) => {
    if (at) await advanceCursor(scope, object, at);
  };
  await set('User', newest(changes.users));
  await set('UserRole', newest(changes.roles as SfRole[]));
  if (changes.deletedCoveredUntil) {
    const settled = new Date(Date.parse(changes.deletedCoveredUntil) - OVERLAP_MS);
    await set('User', settled);
    await set('UserRole', settled);
  }
  if (input.full) {
    // A full read covers everything up to now: deletions before it are already reflected.
    await set('User', new Date(0));
    await set('UserRole', new Date(0));
    await set('UserRole.deleted', new Date());
    await set('UserRole.reconcile', new Date());
    await set('User.reconcile', new Date());
  }
  if (input.userReconciled) await set('User.reconcile', new Date());
  if (changes.deletedCoveredUntil) await set('UserRole.deleted', new Date(Date.parse(changes.deletedCoveredUntil)));
  if (input.liveRoleIds) {
    await set('UserRole.reconcile', new Date());
    // Every deletion before the compare is reflected: /deleted starts from there (and within its 15 days) again.
    if (input.readStartedAt) await set('UserRole.deleted', input.readStartedAt);
  }
}
