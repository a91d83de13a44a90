import type { OrgScope } from '../db/scoped.js';
import type { Actor } from '../shared/audit.js';
import {
  createUsers,
  fieldsOf,
  moveUsersToTeam,
  reactivateUsers,
  suspendUsers,
  updateUsers,
  type NewUserFields,
  type UserFields,
} from '../users/repo.js';
import type { TeamIndex } from './apply-teams.js';
import type { SfUser } from './fetch.js';
import { ineligibility, type Hierarchy, type Ineligibility } from './projection.js';
import type { AssignFn } from './rules.js';

/** Suspensions the sync makes because of Salesforce state; only these does it lift again. */
export const SYNC_SUSPENSION: Record<Ineligibility, string> = {
  inactive: 'Deactivated in Salesforce',
  frozen: 'Frozen in Salesforce',
  not_standard: 'No longer a standard Salesforce user',
  license_revoked: 'Salesforce license revoked',
};
const LIFTABLE = new Set(Object.values(SYNC_SUSPENSION));
export const licenseChanged = (from: string, to: string) => `Salesforce license changed from ${from} to ${to}`;

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
  moves: Map<string, string[]>;
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
  reason: Ineligibility | 'email_conflict' | 'conflict_open' | 'no_email' | 'invalid_rule';
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

const CHUNK = 5000;
const chunked = <T>(xs: readonly T[]) =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/** Decides, without writing, what the users of `input.users` need; linked by Salesforce User Id, never by email. */
export async function planUsers(scope: OrgScope, input: PlanInput): Promise<UserPlan> {
  const plan: UserPlan = {
    creates: [],
    updates: [],
    moves: new Map(),
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
  const sfIds = input.users.map((u) => u.id);
  const linked = new Map<string, any>();
  for (const part of chunked(sfIds))
    for (const r of await scope.table('users').whereIn('sf_user_id', part)) linked.set(r.sf_user_id, r);
  const emails = [...new Set(input.users.map((u) => u.email.toLowerCase()))];
  const byEmail = new Map<string, any>();
  for (const part of chunked(emails)) {
    for (const r of await scope
      .table('users')
      .whereRaw('lower(email) = ANY(?::text[])', [part])
      .select('id', 'email', 'sf_user_id'))
      byEmail.set(r.email.toLowerCase(), r);
  }
  const held = new Set<string>();
  for (const part of chunked(sfIds)) {
    for (const r of await scope
      .table('sync_conflicts')
      .whereIn('sf_user_id', part)
      .whereIn('status', ['open', 'dismissed'])
      .select('sf_user_id'))
      held.add(r.sf_user_id);
  }
  const claimed = new Set<string>();
  const drifting = new Set<string>(await scope.table('sync_drift').pluck('user_id'));

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
      const list = plan.moves.get(teamId);
      if (list) list.push(row.id);
      else plan.moves.set(teamId, [row.id]);
      changed = true;
    }
    const prevLicense = input.previous.get(u.id)?.license ?? null;
    const reason = why
      ? SYNC_SUSPENSION[why]
      : prevLicense && u.license && prevLicense !== 'unknown' && u.license !== 'unknown' && prevLicense !== u.license
        ? licenseChanged(prevLicense, u.license)
        : null;
    if (reason && row.status !== 'suspended' && input.suspend && !drifting.has(row.id)) {
      plan.suspends.push({ id: row.id, sfUserId: u.id, email: row.email, reason });
      changed = true;
    } else if (!reason && drifting.has(row.id)) {
      plan.driftEnded.push(row.id);
    } else if (
      !reason &&
      row.status === 'suspended' &&
      LIFTABLE.has(row.suspension_reason) &&
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

export interface UserCounts {
  created: number;
  updated: number;
  moved: number;
  suspended: number;
  reactivated: number;
  unchanged: number;
  skipped: number;
  conflicts: number;
}

/**
 * Writes a plan (inside the run's transaction). `rejected` holds back suspensions an admin rejected: those users
 * become drift (listed on Integration Health), which later runs leave to the admin until Salesforce brings them back.
 */
export async function applyUserPlan(
  scope: OrgScope,
  actor: Actor,
  plan: UserPlan,
  opts: { rejected?: { approvalId: string } } = {},
): Promise<UserCounts> {
  const created = plan.creates.length ? await createUsers(scope, actor, plan.creates, 'automatic') : [];
  const updated = plan.updates.length ? await updateUsers(scope, actor, plan.updates) : [];
  let moved = 0;
  for (const [teamId, ids] of plan.moves) moved += (await moveUsersToTeam(scope, actor, ids, teamId)).length;
  let suspended = 0;
  if (opts.rejected) {
    for (let i = 0; i < plan.suspends.length; i += CHUNK)
      await scope
        .db('sync_drift')
        .insert(
          plan.suspends.slice(i, i + CHUNK).map((x) => ({
            org_id: scope.orgId,
            user_id: x.id,
            reason: x.reason,
            approval_id: opts.rejected!.approvalId,
          })),
        )
        .onConflict(['org_id', 'user_id'])
        .ignore();
  } else {
    const byReason = new Map<string, string[]>();
    for (const s of plan.suspends) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.id]);
    for (const [reason, ids] of byReason) suspended += (await suspendUsers(scope, actor, ids, reason)).length;
  }
  // Users an invalid rule holds back are looked at again on every run; created or gone, they leave the list.
  const held = plan.skippedUsers.filter((u) => u.reason === 'invalid_rule').map((u) => u.sfUserId);
  const heldSet = new Set(held);
  const settled = [...plan.creates.map((c) => c.sfUserId), ...plan.skippedUsers.map((u) => u.sfUserId)].filter(
    (id) => !heldSet.has(id),
  );
  for (const part of chunked(settled)) await scope.table('sync_held_users').whereIn('sf_user_id', part).delete();
  for (const part of chunked(held))
    await scope
      .db('sync_held_users')
      .insert(part.map((id) => ({ org_id: scope.orgId, sf_user_id: id })))
      .onConflict(['org_id', 'sf_user_id'])
      .ignore();
  for (const part of chunked(plan.driftEnded)) await scope.table('sync_drift').whereIn('user_id', part).delete();
  const reactivated = plan.reactivates.length ? (await reactivateUsers(scope, actor, plan.reactivates)).length : 0;
  for (const c of plan.conflicts) {
    await scope.insert('sync_conflicts', {
      kind: c.kind,
      sf_user_id: c.sfUserId,
      user_id: c.userId,
      email: c.email,
      details: JSON.stringify(c.details),
    });
  }
  return {
    created: created.length,
    updated: updated.length,
    moved,
    suspended,
    reactivated,
    unchanged: plan.unchanged,
    skipped: plan.skipped,
    conflicts: plan.conflicts.length,
  };
}
