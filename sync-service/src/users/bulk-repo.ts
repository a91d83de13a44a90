import type { OrgScope } from '../db/scoped.js';
import { applyUserFilters } from './list.js';
import type { UserRow } from './repo.js';
import type { BulkUserAction } from './schemas.js';

/**
 * The users a bulk change selects (the ids ticked, or every user matching the table's filters), locked until the
 * transaction ends, in id order so concurrent bulk changes lock them in one order.
 */
export async function lockSelectedUsers(scope: OrgScope, selection: BulkUserAction['selection']): Promise<UserRow[]> {
  const q = scope.table('users');
  if ('userIds' in selection) q.whereIn('users.id', selection.userIds);
  else await applyUserFilters(scope, q, selection.filters);
  return q.select('users.*').orderBy('users.id').forUpdate();
}
