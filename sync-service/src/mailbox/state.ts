import type { OutcomeClass } from './reasons.js';

export type UserStatus = 'pending' | 'onboarding' | 'active' | 'permission_error' | 'suspended';

export interface ProbeCounters {
  status: UserStatus;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  firstFailureAt: Date | null;
  onboarded: boolean;
}

export interface Transition {
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  firstFailureAt: Date | null;
  /** The user's new status, or null to leave it. */
  status: UserStatus | null;
  permissionErrorSince?: Date | null;
  /** Probe again soon (2 to 3 minutes) to confirm a change rather than waiting a whole interval. */
  recheck: boolean;
  startOnboarding: boolean;
}

/** Two results in a row change state: a blip neither flags nor clears a user. Pure, so tested directly. */
export const FLAG_AFTER = 2;
export const CLEAR_AFTER = 2;

export function nextState(c: ProbeCounters, outcome: OutcomeClass, at: Date): Transition {
  const keep: Transition = {
    consecutiveFailures: c.consecutiveFailures,
    consecutiveSuccesses: c.consecutiveSuccesses,
    firstFailureAt: c.firstFailureAt,
    status: null,
    recheck: false,
    startOnboarding: false,
  };
  if (outcome === 'ok') {
    const successes = c.consecutiveSuccesses + 1;
    const t: Transition = { ...keep, consecutiveFailures: 0, consecutiveSuccesses: successes, firstFailureAt: null };
    if (c.status === 'permission_error') {
      if (successes < CLEAR_AFTER) return { ...t, recheck: true };
      return c.onboarded
        ? { ...t, status: 'active', permissionErrorSince: null }
        : { ...t, status: 'onboarding', permissionErrorSince: null, startOnboarding: true };
    }
    if (c.status === 'pending') return { ...t, status: 'onboarding', startOnboarding: true };
    if (c.status === 'onboarding' && !c.onboarded) return { ...t, startOnboarding: true };
    return t;
  }
  if (outcome === 'hard') {
    const failures = c.consecutiveFailures + 1;
    const firstFailureAt = c.firstFailureAt ?? at;
    const t: Transition = { ...keep, consecutiveFailures: failures, consecutiveSuccesses: 0, firstFailureAt };
    if (c.status === 'permission_error') return t;
    if (failures < FLAG_AFTER) return { ...t, recheck: true };
    return { ...t, status: 'permission_error', permissionErrorSince: firstFailureAt };
  }
  // transient, internal and org results count neither way.
  return keep;
}
