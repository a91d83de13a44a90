import { fieldsOf, type NewUserFields, type UserFields, type UserRow } from '../users/repo.js';
import type { SfUser } from './fetch.js';
import type { TeamIndex } from './plan-teams.js';
import { ineligibility, type Hierarchy, type Ineligibility } from './projection.js';
import type { AssignFn } from './rules.js';
import type { SkipReason } from './skip-reasons.js';

/** Suspensions the sync makes because of Salesforce state; only these does it lift again. */
export const SYNC_SUSPENSION: Record<Ineligibility, string> = {
  inactive: 'Deactivated in Salesforce',
  frozen: 'Frozen in Salesforce',
  not_standard: 'No longer a standard Salesforce user',
};
// 'Salesforce license revoked' came from a null license, which means unknown: such suspensions are lifted too.
const LIFTABLE = new Set([...Object.values(SYNC_SUSPENSION), 'Salesforce license revoked']);
export const licenseChanged = (from: string, to: string) => `Salesforce license changed from ${from} to ${to}`;
const known = (license: string | null | undefined): license is string => !!license && license !== 'unknown';
/** A revoked license is a profile change to another license; a license not known on either side is no change. */
const licenseChange = (before: string | null | undefined, after: string | null) =>
  known(before) && known(after) && before !== after ? licenseChanged(before, after) : null;

export interface ConflictDraft {
  kind: 'email_matches_unlinked_user' | 'email_in_use';
  sfUserId: string;
  userId: string | null;
  email: string;
  details: Record<string, unknown>;
}

export interface UserPlan {
  creates: (NewUserFields & { sfUserId: string })[];
  updates: { id: string; before: UserFields; after: UserFields }[];
  /** One per user whose team changes: from their team before the run to the one after. */
  moves: { id: string; email: string; from: string | null; to: string }[];
  suspends: { id: string; sfUserId: string; email: string; reason: string }[];
  reactivates: string[];
  conflicts: ConflictDraft[];
  /** Users whose suspension an admin rejected and who are back in Salesforce: their drift is over. */
  driftEnded: string[];
  unchanged: number;
  skipped: number;
  skippedUsers: SkippedUser[];
}

export interface SkippedUser {
  sfUserId: string;
  name: string;
  email: string;
  reason: SkipReason;
}

/** What planning users reads of Roster: the users linked to (or holding the emails of) the Salesforce users. */
export interface RosterUsers {
  /** By Salesforce User Id. */
  linked: Map<string, UserRow>;
  /** By lower-cased email. */
  byEmail: Map<string, { id: string; email: string; sf_user_id: string | null }>;
  /** Salesforce users with an open or dismissed conflict: never created until it is resolved. */
  held: Set<string>;
  /** Roster users an admin kept active by rejecting their suspension (drift). */
  drifting: Set<string>;
}

export interface PlanInput {
  users: SfUser[];
  /** Mirror values before this run, for "license changed". */
  previous: Map<string, SfUser | null>;
  hierarchy: Hierarchy;
  teams: TeamIndex;
  assign: AssignFn;
  /** Enabling never suspends anyone (SPEC 3). */
  suspend: boolean;
}

/** Decides what the users of `input.users` need (pure); linked by Salesforce User Id, never by email. */
export function planUsers(roster: RosterUsers, input: PlanInput): UserPlan {
  const plan: UserPlan = {
    creates: [],
    updates: [],
    moves: [],
    suspends: [],
    reactivates: [],
    conflicts: [],
    driftEnded: [],
    unchanged: 0,
    skipped: 0,
    skippedUsers: [],
  };
  const skip = (u: SfUser, reason: SkippedUser['reason']) => {
    plan.skipped += 1;
    plan.skippedUsers.push({ sfUserId: u.id, name: `${u.firstName} ${u.lastName}`.trim(), email: u.email, reason });
  };
  const { linked, byEmail, held, drifting } = roster;
  const claimed = new Set<string>();

  for (const u of input.users) {
    const why = ineligibility(u);
    const teamId = input.teams.idOf(input.hierarchy.teamKeyOf(u));
    const email = u.email.toLowerCase();
    const row = linked.get(u.id);
    if (!row) {
      if (why || held.has(u.id) || !u.email) {
        skip(u, why ?? (held.has(u.id) ? 'conflict_open' : 'no_email'));
        continue;
      }
      const owner = byEmail.get(email);
      if (owner || claimed.has(email)) {
        plan.conflicts.push({
          kind: owner && !owner.sf_user_id ? 'email_matches_unlinked_user' : 'email_in_use',
          sfUserId: u.id,
          userId: owner?.id ?? null,
          email: u.email,
          details: {
            salesforceUser: { id: u.id, name: `${u.firstName} ${u.lastName}`.trim(), email: u.email },
            linkedTo: owner?.sf_user_id ?? null,
          },
        });
        skip(u, 'email_conflict');
        continue;
      }
      const a = input.assign({ jobTitle: u.title, teamId });
      if (!a) {
        skip(u, 'invalid_rule');
        continue;
      }
      claimed.add(email);
      plan.creates.push({
        sfUserId: u.id,
        email: u.email,
        firstName: u.firstName,
        lastName: u.lastName,
        jobTitle: u.title,
        teamId,
        role: a.role,
        objectVisibility: a.objectVisibility,
        licenses: a.licenses,
        profileId: a.profileId,
        ruleId: a.ruleId,
      });
      continue;
    }

    const before = fieldsOf(row);
    const after: UserFields = { ...before, firstName: u.firstName, lastName: u.lastName, jobTitle: u.title };
    if (email !== row.email.toLowerCase()) {
      const owner = byEmail.get(email);
      if ((owner && owner.id !== row.id) || claimed.has(email)) {
        if (!held.has(u.id)) {
          plan.conflicts.push({
            kind: 'email_in_use',
            sfUserId: u.id,
            userId: owner?.id ?? null,
            email: u.email,
            details: { rosterUserId: row.id, currentEmail: row.email },
          });
        }
      } else {
        after.email = u.email;
        claimed.add(email);
      }
    } else if (u.email !== row.email) after.email = u.email;
    let changed = false;
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      plan.updates.push({ id: row.id, before, after });
      changed = true;
    }
    if (row.team_id !== teamId) {
      plan.moves.push({ id: row.id, email: row.email, from: row.team_id, to: teamId });
      changed = true;
    }
    const reason = why ? SYNC_SUSPENSION[why] : licenseChange(input.previous.get(u.id)?.license, u.license);
    if (reason && row.status !== 'suspended' && input.suspend && !drifting.has(row.id)) {
      plan.suspends.push({ id: row.id, sfUserId: u.id, email: row.email, reason });
      changed = true;
    } else if (!reason && drifting.has(row.id)) {
      plan.driftEnded.push(row.id);
    } else if (
      !reason &&
      row.status === 'suspended' &&
      LIFTABLE.has(row.suspension_reason ?? '') &&
      // Whether a frozen user is still frozen is unknown when UserLogin could not be read: keep them suspended.
      !(row.suspension_reason === SYNC_SUSPENSION.frozen && u.frozen === undefined)
    ) {
      plan.reactivates.push(row.id);
      changed = true;
    }
    if (!changed) plan.unchanged += 1;
  }
  return plan;
}
