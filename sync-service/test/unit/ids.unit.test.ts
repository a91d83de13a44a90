import { describe, expect, it } from 'vitest';
import { orderedUuid } from '../../src/shared/ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids of new users', () => {
  it('sort in the order they were made, even 10,000 in one millisecond, and are version-7 UUIDs', () => {
    const now = Date.now() + 60_000;
    const ids = Array.from({ length: 10_000 }, () => orderedUuid(now));
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The first of the millisecond carries its time; the sequence spilled over into the next milliseconds.
    expect(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('keep their order when the clock steps back', () => {
    const later = orderedUuid(Date.now() + 120_000);
    const afterStepBack = orderedUuid(Date.now());
    expect(afterStepBack > later).toBe(true);
  });
});
