import { z } from 'zod';
import { Moment } from '../shared/moment.js';

export const AuditQuery = z
  .object({
    targetType: z.string().max(100).optional(),
    targetId: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    /** Who made the change: a Roster user id, or 'sync' / 'system' for the service itself. */
    actor: z.string().max(100).optional(),
    /** Entries at or after this moment (the admin's local midnight of the first day, as ISO 8601). */
    from: Moment.optional(),
    /** Entries before this moment (the admin's local midnight after the last day). */
    to: Moment.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** The id of the last entry of the previous page. */
    cursor: z
      .string()
      .regex(/^\d{1,18}$/, 'Use the nextCursor of the previous page.')
      .optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to.',
    path: ['to'],
  });
export type AuditQuery = z.output<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  at: z.iso.datetime(),
});
export const AuditPage = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });
