import type { UserPlan } from './plan-users.js';

export interface GuardInput {
  /** Non-suspended Roster users linked to Salesforce before the run (hand-added and CSV users would dilute it). */
  activeUsers: number;
  /** The org's suspension_guard_share: the largest share of them one run may suspend without an admin. */
  share: number;
  /** An admin already decided this run's suspensions. */
  decided: boolean;
  /** Enabling Automatic Mode never suspends anyone, so needs no guard. */
  enabling: boolean;
}

export type GuardVerdict = { pause: false } | { pause: true; suspends: number; total: number; message: string };

/**
 * The mass-suspension guard, a step on the plan: a run that would suspend more than `share` of the active users (and
 * more than one) waits for an admin to approve or reject its suspensions. Pure.
 */
export function massSuspensionGuard(plan: Pick<UserPlan, 'suspends'>, input: GuardInput): GuardVerdict {
  const suspends = plan.suspends.length;
  if (input.decided || input.enabling || suspends <= 1 || suspends <= input.share * input.activeUsers)
    return { pause: false };
  return {
    pause: true,
    suspends,
    total: input.activeUsers,
    message: `This run would suspend ${suspends} of ${input.activeUsers} users, more than the guard allows; an admin must approve or reject it.`,
  };
}
