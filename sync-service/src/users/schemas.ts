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

const Licenses = z
  .array(License)
  .max(LICENSES.length)
  .transform((l) => [...new Set(l)]);

export const NewUser = z.object({
  email: Email,
  firstName: z.string().trim().max(200).default(''),
  lastName: z.string().trim().max(200).default(''),
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
    firstName: z.string().trim().max(200),
    lastName: z.string().trim().max(200),
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
