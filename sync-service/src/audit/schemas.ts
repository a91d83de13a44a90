import { z } from 'zod';

export const AuditQuery = z.object({
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The id of the last entry of the previous page. */
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, 'Use the nextCursor of the previous page.')
    .optional(),
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
