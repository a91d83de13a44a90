import { ConflictError } from '../shared/errors.js';
import { ROLE_LABELS } from '../users/vocabulary.js';
import type { SyncPlan } from './plan.js';

/**
 * Why enabling `plan` would lock the acting admin out, or null. Once a Roster user carries the admin's Salesforce
 * user id, Roster knows the admin as that user (plugins/actor.ts): if the plan creates that user with a role other
 * than Admin, the admin could change nothing afterwards, switching back to Manual Mode included.
 */
export function adminLockOut(plan: SyncPlan, sfUserId: string | null | undefined): string | null {
  if (!sfUserId) return null;
  const you = plan.users.creates.find((c) => c.sfUserId === sfUserId);
  if (!you || you.role === 'admin') return null;
  return (
    `The rules bring your own Salesforce user (${you.email}) in as ${ROLE_LABELS[you.role]}, not Admin: after the ` +
    'switch Roster knows you as that user, so you could change nothing, switching back to Manual Mode included. ' +
    'Add a User Settings Rule that makes you an Admin first.'
  );
}

/** The enabling run's refusal (409, nothing written): the run is recorded failed with the reason, and rethrown. */
export class AdminLockOutError extends ConflictError {
  constructor(why: string) {
    super('admin_lock_out', why);
  }
}

/** For the enabling run: refuses a plan that would lock the acting admin out. */
export function refuseAdminLockOut(plan: SyncPlan, sfUserId: string | null | undefined) {
  const why = adminLockOut(plan, sfUserId);
  if (why) throw new AdminLockOutError(why);
}
