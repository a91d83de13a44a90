import { describe, expect, it } from 'vitest';
import { massSuspensionGuard, type GuardInput } from '../../src/sync/guard.js';

const suspending = (n: number) => ({ suspends: Array.from({ length: n }, (_, i) => ({ id: `u${i}` })) as never[] });
const input = (over: Partial<GuardInput> = {}): GuardInput => ({
  activeUsers: 100,
  share: 0.1,
  decided: false,
  enabling: false,
  ...over,
});

describe('the mass-suspension guard', () => {
  it('lets a run through that suspends up to the allowed share of active users', () => {
    expect(massSuspensionGuard(suspending(10), input())).toEqual({ pause: false });
  });

  it('pauses a run that would suspend more, naming how many of how many', () => {
    const verdict = massSuspensionGuard(suspending(11), input());
    expect(verdict).toMatchObject({ pause: true, suspends: 11, total: 100 });
    expect(verdict.pause && verdict.message).toContain('suspend 11 of 100 users');
  });

  it('never pauses for a single suspension, even in a tiny org', () => {
    expect(massSuspensionGuard(suspending(1), input({ activeUsers: 2 }))).toEqual({ pause: false });
  });

  it('lets through a run whose suspensions an admin already decided, and the switch to Automatic Mode', () => {
    expect(massSuspensionGuard(suspending(50), input({ decided: true }))).toEqual({ pause: false });
    expect(massSuspensionGuard(suspending(50), input({ enabling: true }))).toEqual({ pause: false });
  });
});
