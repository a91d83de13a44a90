import type { OrgScope } from '../db/scoped.js';
import type { ObjectType } from '../matching/conditions.js';
import { NotFoundError } from '../shared/errors.js';
import type { EligibilityGroupRow, RankingGroupRow } from './repo.js';

// A profile's eligibility and ranking groups: each kept in order among its siblings (positions 0..n-1).

/** The tables of a profile's groups, by the row each holds. */
export interface GroupRows {
  eligibility_groups: EligibilityGroupRow;
  ranking_groups: RankingGroupRow;
}
export type GroupTable = keyof GroupRows;

/** Keeps positions 0..n-1 after a removal or reorder. */
export async function renumber(scope: OrgScope, table: GroupTable, ids: readonly string[]): Promise<void> {
  // Two passes would be needed with a unique index on position; there is none, so one update per row suffices.
  for (const [position, id] of ids.entries()) await scope.table(table).where({ id }).update({ position });
}

/** A group of the profile, or NotFoundError naming `what`. */
export async function findGroup<T extends GroupTable>(
  scope: OrgScope,
  table: T,
  profileId: string,
  groupId: string,
  what: string,
): Promise<GroupRows[T]> {
  const row: GroupRows[T] | undefined = await scope.table(table).where({ id: groupId, profile_id: profileId }).first();
  if (!row) throw new NotFoundError(what, groupId);
  return row;
}

/** A group by id whatever its profile, or undefined (a look before the transaction; the transaction checks). */
export async function peekGroup<T extends GroupTable>(
  scope: OrgScope,
  table: T,
  groupId: string,
): Promise<GroupRows[T] | undefined> {
  return scope.table(table).where({ id: groupId }).first();
}

/** A group as stored, less what the store decides (its id and position). */
export type NewGroup<T extends GroupTable> = Omit<GroupRows[T], 'id' | 'position'>;
/** What an edit may change of a group. */
export type GroupChanges<T extends GroupTable> = Partial<Omit<NewGroup<T>, 'profile_id'>>;

/** The groups a group is ordered among: eligibility groups per object type, ranking groups per profile. */
const siblingsOf: { [T in GroupTable]: (g: NewGroup<T>) => Partial<GroupRows[T]> } = {
  eligibility_groups: (g) => ({ profile_id: g.profile_id, object_type: g.object_type }),
  ranking_groups: (g) => ({ profile_id: g.profile_id }),
};
const siblings = <T extends GroupTable>(table: T, g: NewGroup<T>) =>
  (siblingsOf[table] as (g: NewGroup<T>) => Partial<GroupRows[T]>)(g);

/** Ids of the groups ordered with `group` (itself included while it exists), by position. */
async function siblingIds<T extends GroupTable>(scope: OrgScope, table: T, group: NewGroup<T>): Promise<string[]> {
  return scope.table(table).where(siblings(table, group)).orderBy('position').pluck('id');
}

/** Ids of the profile's ranking groups, by position. */
export async function rankingGroupIds(scope: OrgScope, profileId: string): Promise<string[]> {
  return scope.table('ranking_groups').where({ profile_id: profileId }).orderBy('position').pluck('id');
}

/** Inserts a group after those it is ordered among. */
export async function insertGroup<T extends GroupTable>(
  scope: OrgScope,
  table: T,
  group: NewGroup<T>,
): Promise<GroupRows[T]> {
  const last: { max: number | string | null } | undefined = await scope
    .table(table)
    .where(siblings(table, group))
    .max({ max: 'position' })
    .first();
  const position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
  const [row] = await scope.insert(table, { ...group, position }).returning('*');
  return row;
}

export async function updateGroup<T extends GroupTable>(
  scope: OrgScope,
  table: T,
  groupId: string,
  changes: GroupChanges<T>,
): Promise<GroupRows[T]> {
  const [row] = await scope.table(table).where({ id: groupId }).update(changes).returning('*');
  return row;
}

/** Deletes a group and closes the gap among those it was ordered with; returns how many of them are left. */
export async function deleteGroup<T extends GroupTable>(
  scope: OrgScope,
  table: T,
  group: GroupRows[T],
): Promise<number> {
  await scope.table(table).where({ id: group.id }).delete();
  const rest = await siblingIds(scope, table, group);
  await renumber(scope, table, rest);
  return rest.length;
}

/** Deletes the profile's eligibility groups of one object type; returns them. */
export async function deleteEligibilityGroups(
  scope: OrgScope,
  profileId: string,
  objectType: ObjectType,
): Promise<EligibilityGroupRow[]> {
  return scope
    .table('eligibility_groups')
    .where({ profile_id: profileId, object_type: objectType })
    .delete()
    .returning('*');
}
