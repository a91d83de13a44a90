import { z } from 'zod';

const FIRST = Date.UTC(1, 0, 1);
const LAST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A moment a caller names (ISO 8601, Z or an offset), as the UTC text PostgreSQL reads: its timestamps know no year
 * 0000 and no offset past 15:59, both of which ISO 8601 allows.
 */
export const Moment = z.iso
  .datetime({ offset: true })
  .refine(
    (text) => {
      const at = Date.parse(text);
      return !text.startsWith('0000') && at >= FIRST && at <= LAST;
    },
    { message: 'Give a moment between the years 0001 and 9999.' },
  )
  .transform((text) => new Date(text).toISOString());
