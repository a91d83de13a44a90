import { describe, expect, it } from 'vitest';
import type { OrgScope } from '../../src/db/scoped.js';
import { sharedStatusCounts } from '../../src/users/counts.js';
import type { StatusCounts } from '../../src/users/schemas.js';

const counts = (total: number): StatusCounts => ({
  total,
  pending: 0,
  onboarding: 0,
  permissionErrors: 0,
  active: total,
  suspended: 0,
});
const org = (orgId: string) => ({ orgId }) as OrgScope;

/** A database read the test finishes by hand, one at a time, in the order they began. */
function reads() {
  const begun: { orgId: string; finish: (total: number) => void; fail: (err: Error) => void }[] = [];
  const read = (scope: OrgScope) =>
    new Promise<StatusCounts>((resolve, reject) =>
      begun.push({ orgId: scope.orgId, finish: (t) => resolve(counts(t)), fail: reject }),
    );
  return { read, begun };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('status counts shared by concurrent callers', () => {
  it('answers a caller who arrives during a read from the next read, begun after it arrived', async () => {
    const { read, begun } = reads();
    const shared = sharedStatusCounts(read);
    const first = shared(org('a'));
    const late = [shared(org('a')), shared(org('a')), shared(org('a'))];
    expect(begun).toHaveLength(1);
    begun[0]!.finish(10); // began before the late callers: its answer may miss what they wrote
    expect(await first).toEqual(counts(10));
    await tick();
    expect(begun).toHaveLength(2);
    begun[1]!.finish(11);
    expect(await Promise.all(late)).toEqual([counts(11), counts(11), counts(11)]);
  });

  it('reads each org on its own, and reads afresh once nothing is in flight', async () => {
    const { read, begun } = reads();
    const shared = sharedStatusCounts(read);
    const a = shared(org('a'));
    const b = shared(org('b'));
    expect(begun.map((r) => r.orgId)).toEqual(['a', 'b']);
    begun[0]!.finish(1);
    begun[1]!.finish(2);
    expect([await a, await b]).toEqual([counts(1), counts(2)]);
    await tick();
    const again = shared(org('a'));
    expect(begun).toHaveLength(3);
    begun[2]!.finish(3);
    expect(await again).toEqual(counts(3));
  });

  it('a failed read fails only its own callers; the next caller reads again', async () => {
    const { read, begun } = reads();
    const shared = sharedStatusCounts(read);
    const first = shared(org('a'));
    const late = shared(org('a'));
    begun[0]!.fail(new Error('database busy'));
    await expect(first).rejects.toThrow('database busy');
    await tick();
    begun[1]!.finish(5);
    expect(await late).toEqual(counts(5));
  });
});
