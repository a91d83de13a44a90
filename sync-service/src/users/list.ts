import type { Knex } from 'knex';
import type { OrgScope } from '../db/scoped.js';
import { BadRequestError } from '../shared/errors.js';
import { teamFilterIds } from '../teams/tree.js';
import type { User, UserListQuery } from './schemas.js';
import { selectUserPage, toUser, type PageUserRow } from './list-repo.js';
import { restrictToVisible, type Viewer } from './visibility.js';

/** Sort keys as SQL expressions; each list ends in a unique key, so the keyset is total. */
const SORT_KEYS: Record<string, string[]> = {
  name: ['users.last_name', 'users.first_name', 'users.id'],
  email: ['lower(users.email)'], // unique per org, so no tie-break needed: users_org_email serves it
  status: ['users.status', 'users.last_name', 'users.first_name', 'users.id'],
  createdAt: ['users.created_at', 'users.id'],
};

/** Sort keys that are text columns already in the page's rows: the cursor takes them from there, not a second copy. */
const TEXT_KEYS: Record<string, keyof PageUserRow> = {
  'users.last_name': 'last_name',
  'users.first_name': 'first_name',
  'users.id': 'id',
  'users.status': 'status',
};

const encodeCursor = (values: string[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

function decodeCursor(cursor: string, length: number): string[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'string')) return values;
  } catch {
    // falls through to the error below
  }
  throw new BadRequestError('invalid_cursor', 'The cursor is not valid for this sort; start again without it.');
}

/** The indexed search text: the email and both name orders (migration one_search_trigram_index). */
const SEARCH_TEXT =
  "(users.email || ' ' || users.first_name || ' ' || users.last_name || ' ' || users.last_name || ' ' || users.first_name)";

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type UserFilters = Pick<UserListQuery, 'search' | 'ids' | 'status' | 'role' | 'profileId' | 'license' | 'teamId'>;

/** The user table's search and filters as SQL, shared by the listing and the bulk actions that act on "all matching". */
export async function applyUserFilters(scope: OrgScope, q: Knex.QueryBuilder, query: UserFilters): Promise<void> {
  if (query.search) {
    const pattern = likePattern(query.search);
    // The trigram index users_search_trgm (same expression) narrows to users whose whole search text matches; each
    // part is then checked, so a match never spans the email and a name.
    q.whereRaw(`${SEARCH_TEXT} ILIKE ?`, [pattern]);
    q.where((w) =>
      w
        .whereRaw('users.email ILIKE ?', [pattern])
        .orWhereRaw("(users.first_name || ' ' || users.last_name) ILIKE ?", [pattern])
        .orWhereRaw("(users.last_name || ' ' || users.first_name) ILIKE ?", [pattern]),
    );
  }
  if (query.ids) q.whereIn('users.id', query.ids);
  if (query.status) q.where('users.status', query.status);
  if (query.role) q.where('users.role', query.role);
  if (query.profileId) q.where('users.profile_id', query.profileId);
  if (query.license) q.whereRaw('? = ANY(users.licenses)', [query.license]);
  if (query.teamId) {
    // The subtree's ids, not its query: the planner then knows the teams, and one team's page is read in the sort's
    // order from users_org_team_created instead of filtering the whole org's users by team.
    q.whereIn('users.team_id', await teamFilterIds(scope, query.teamId));
  }
}

/** One page of users, filtered and sorted in the database, with a keyset cursor for the next page. */
export async function listUsers(
  scope: OrgScope,
  query: UserListQuery,
  viewer?: Viewer,
): Promise<{ items: User[]; nextCursor: string | null }> {
  const desc = query.sort.startsWith('-');
  const keys = SORT_KEYS[query.sort.replace(/^-/, '')]!;
  const q = selectUserPage(scope);
  const casts = keys.flatMap((k, i) => (TEXT_KEYS[k] ? [] : [`(${k})::text AS k${i}`]));
  if (casts.length) q.select(scope.db.raw(casts.join(', ')));
  await applyUserFilters(scope, q, query);
  if (viewer) restrictToVisible(scope, q, viewer);
  if (query.cursor) {
    const values = decodeCursor(query.cursor, keys.length);
    q.whereRaw(`(${keys.join(', ')}) ${desc ? '<' : '>'} (${keys.map(() => '?').join(', ')})`, values);
  }
  for (const key of keys) q.orderByRaw(`${key} ${desc ? 'DESC' : 'ASC'}`);
  const rows: (PageUserRow & Record<`k${number}`, string>)[] = await q.limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toUser),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor(keys.map((k, i) => String(last[TEXT_KEYS[k] ?? `k${i}`])))
        : null,
  };
}
