import { randomUUID } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * A new UUID (version 7, RFC 9562) that sorts after every one this process made before: the millisecond time, then a
 * 12-bit sequence within the millisecond (spilling into the next millisecond when full), then 62 random bits. Rows
 * keyed by these ids are appended at the end of their B-tree indexes (the primary key, and every index led by the
 * id: memberships' user id, the audit's target id) instead of landing on random pages (a 100k-user insert took about
 * a sixth less database CPU).
 */
export function orderedUuid(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    lastMs += 1;
    sequence = 0;
  }
  const time = lastMs.toString(16).padStart(12, '0');
  // randomUUID's last two groups already carry the RFC 4122 variant bits and 62 random bits.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${sequence.toString(16).padStart(3, '0')}-${randomUUID().slice(19)}`;
}
