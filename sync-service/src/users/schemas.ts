import { z } from 'zod';
import { LICENSES, ROLES, SOURCES, STATUSES, VISIBILITIES } from './vocabulary.js';

export const Role = z.enum(ROLES);
export const Visibility = z.enum(VISIBILITIES);
export const Status = z.enum(STATUSES);
export const License = z.enum(LICENSES);
export const Email = z
  .string()
  .trim()
  .pipe(z.email({ message: 'Enter a valid email address.' }));

export const User = z.object({
  id: z.uuid(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  jobTitle: z.string(),
  sfUserId: z.string().nullable(),
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  role: Role,
  licenses: z.array(License),
  objectVisibility: Visibility,
  profileId: z.uuid(),
  profileName: z.string(),
  status: Status,
  source: z.enum(SOURCES),
  suspensionReason: z.string().nullable(),
  suspendedAt: z.iso.datetime().nullable(),
  permissionErrorSince: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type User = z.infer<typeof User>;

// Every user has a first and last name, at least one license, a role and a visibility (SPEC 2).
const Licenses = z
  .array(License)
  .min(1, { message: 'Give the user at least one license.' })
  .max(LICENSES.length)
  .transform((l) => [...new Set(l)]);
const Name = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, { message: `${label} is required.` })
    .max(200);

export const NewUser = z.object({
  email: Email,
  firstName: Name('First name'),
  lastName: Name('Last name'),
  jobTitle: z.string().trim().max(200).default(''),
  role: Role,
  /** Omitted: the top-level team (Unassigned in Automatic Mode). */
  teamId: z.uuid().optional(),
  objectVisibility: Visibility.default('full'),
  licenses: Licenses.default(['foundation']),
  /** Omitted or null: the built-in `Default - Intake Off`. */
  profileId: z.uuid().nullish(),
  sfUserId: z.string().trim().min(15).max(18).nullish(),
});
export type NewUser = z.output<typeof NewUser>;

export const UserPatch = z
  .object({
    email: Email,
    firstName: Name('First name'),
    lastName: Name('Last name'),
    jobTitle: z.string().trim().max(200),
    role: Role,
    teamId: z.uuid(),
    objectVisibility: Visibility,
    licenses: Licenses,
    profileId: z.uuid(),
  })
  .partial();
export type UserPatch = z.output<typeof UserPatch>;

export const SuspendBody = z.object({ reason: z.string().trim().min(1).max(500) });
export const DeleteQuery = z.object({ confirm: z.string().optional() });
export const UserParams = z.object({ id: z.uuid() });

export const USER_SORTS = ['name', 'email', 'status', 'createdAt'] as const;
export const UserListQuery = z.object({
  search: z.string().trim().max(200).optional(),
  /** Only these users (comma-separated ids, at most 500): how a screen names the users it refers to. */
  ids: z
    .string()
    .max(20000)
    .transform((s) =>
      s
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.uuid({ message: 'ids must be user ids separated by commas' })).max(500))
    .optional(),
  status: Status.optional(),
  role: Role.optional(),
  teamId: z.uuid().optional(),
  license: License.optional(),
  profileId: z.uuid().optional(),
  /** name | email | status | createdAt, `-` prefix for descending. */
  sort: z.enum([...USER_SORTS, ...USER_SORTS.map((s) => `-${s}` as const)]).default('name'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(2000).optional(),
});
export type UserListQuery = z.output<typeof UserListQuery>;

export const UserPage = z.object({ items: z.array(User), nextCursor: z.string().nullable() });

export const VisibleUsersPage = UserPage.extend({
  viewerId: z.uuid(),
  objectVisibility: Visibility,
});

export const StatusCounts = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  onboarding: z.number().int(),
  permissionErrors: z.number().int(),
  active: z.number().int(),
  suspended: z.number().int(),
});
export type StatusCounts = z.infer<typeof StatusCounts>;

/** A user with the warnings their change raised (e.g. a team now has several managers). */
export const UserWithWarnings = User.extend({ warnings: z.array(z.string()) });

/** Which users a bulk action touches: the ones ticked in the table, or every user matching the table's filters. */
const BulkSelection = z.union([
  z.object({ userIds: z.array(z.uuid()).min(1).max(10000) }).strict(),
  z
    .object({
      filters: z
        .object({
          search: z.string().trim().max(200).optional(),
          status: Status.optional(),
          role: Role.optional(),
          teamId: z.uuid().optional(),
          license: License.optional(),
          profileId: z.uuid().optional(),
        })
        .strict(),
    })
    .strict(),
]);

export const BULK_ACTIONS = [
  'assign_profile',
  'set_licenses',
  'set_visibility',
  'move_team',
  'suspend',
  'reactivate',
] as const;
const BulkChange = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign_profile'), profileId: z.uuid() }),
  z.object({ action: z.literal('set_licenses'), licenses: z.array(License).min(1).max(LICENSES.length) }),
  z.object({ action: z.literal('set_visibility'), objectVisibility: Visibility }),
  z.object({ action: z.literal('move_team'), teamId: z.uuid() }),
  z.object({ action: z.literal('suspend'), reason: z.string().trim().min(1).max(500) }),
  z.object({ action: z.literal('reactivate') }),
]);

export const BulkUserAction = z.object({
  selection: BulkSelection,
  change: BulkChange,
  /** Count only: how many users match and how many would change; nothing is written. */
  dryRun: z.boolean().default(false),
  /** The count the admin confirmed: if the selection now matches a different number, nothing is written (409). */
  expectedCount: z.number().int().min(0).optional(),
});
export type BulkUserAction = z.output<typeof BulkUserAction>;

export const BulkUserResult = z.object({
  /** Users the selection matches. */
  matched: z.number().int(),
  /** Of those, the ones the change alters (the rest already have it). */
  changed: z.number().int(),
  dryRun: z.boolean(),
});
export type BulkUserResult = z.infer<typeof BulkUserResult>;
