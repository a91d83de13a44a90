import type { Knex } from 'knex';
import type { OrgScope } from '../db/scoped.js';
import { chunks } from '../shared/chunks.js';
import type { ProviderRow } from './providers.js';
import type { OutcomeClass } from './reasons.js';
import type { UserStatus } from './state.js';

/** Users whose mailbox is captured: never `data` users, never suspended ones. */
export const CAPTURING = "u.role <> 'data' AND u.status <> 'suspended'";

/** The next of a user's slots after now: each user keeps a fixed offset in the interval, so probes spread evenly. */
const nextSlot = (interval: string, user: string) =>
  `to_timestamp((floor((extract(epoch from now()) - mod(abs(hashtext(${user}::text)::bigint), ${interval})) / ${interval}) + 1) * ${interval} + mod(abs(hashtext(${user}::text)::bigint), ${interval}))`;

/** The bindings of one nextSlot() expression. */
const slot = (intervalSeconds: number) => Array<number>(4).fill(intervalSeconds);

/** A row of mailbox_probe_results: one probe of one user. */
export interface ProbeResultRow {
  user_id: string;
  probed_at: Date | string;
  outcome: string;
  reason: string | null;
  rule: string | null;
  http_status: number | null;
  provider_code: string | null;
  message: string | null;
  request_id: string | null;
  stage: string | null;
  kinds: string;
}

/** A user in Permission Errors with their probe state, as the list shows them. */
export interface PermissionErrorRow {
  id: string;
  email: string;
  permission_error_since: Date | string | null;
  last_rule: string | null;
  last_error: unknown;
  last_checked_at: Date | string | null;
  consecutive_failures: number | null;
}

/** A user's probe state, as the engine works from it (a user never probed has zero counters and no dates). */
export interface ProbeState {
  user_id: string;
  email: string;
  status: UserStatus;
  provider_user_id: string | null;
  consecutive_failures: number;
  consecutive_successes: number;
  first_failure_at: Date | null;
  last_outcome: OutcomeClass | null;
  backfill_finished_at: Date | null;
  onboarding_started_at: Date | null;
}

/** A user claimed for probing. */
export interface ClaimedUser extends ProbeState {
  /** When the user was due before this claim. */
  due_at: Date;
}

/** The columns of a probe state as a raw query returns them (timestamps may come back as text, counts as bigints). */
interface RawProbeState {
  user_id: string;
  email: string;
  status: string;
  provider_user_id: string | null;
  consecutive_failures: number | string | null;
  consecutive_successes: number | string | null;
  first_failure_at: Date | string | null;
  last_outcome: string | null;
  backfill_finished_at: Date | string | null;
  onboarding_started_at: Date | string | null;
}

const toDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/** The one place a raw probe-state row becomes a typed one (statuses and outcomes are only ever written typed). */
const toProbeState = (r: RawProbeState): ProbeState => ({
  user_id: r.user_id,
  email: r.email,
  status: r.status as UserStatus,
  provider_user_id: r.provider_user_id,
  consecutive_failures: Number(r.consecutive_failures ?? 0),
  consecutive_successes: Number(r.consecutive_successes ?? 0),
  first_failure_at: toDate(r.first_failure_at),
  last_outcome: r.last_outcome as OutcomeClass | null,
  backfill_finished_at: toDate(r.backfill_finished_at),
  onboarding_started_at: toDate(r.onboarding_started_at),
});

/** Gives every capturing user without one a probe state, first due at their slot in the coming interval. */
export async function seedStates(scope: OrgScope, intervalSeconds: number): Promise<number> {
  const res = await scope.db.raw(
    `INSERT INTO mailbox_probe_state (user_id, org_id, next_probe_at)
     SELECT u.id, u.org_id, ${nextSlot('?::bigint', 'u.id')}
     FROM users u WHERE u.org_id = ? AND ${CAPTURING}
       AND NOT EXISTS (SELECT 1 FROM mailbox_probe_state s WHERE s.user_id = u.id)
     ON CONFLICT (user_id) DO NOTHING`,
    [...slot(intervalSeconds), scope.orgId],
  );
  return res.rowCount ?? 0;
}

/** A claim's lease: its users are due again this long after it unless their probe is recorded. */
const CLAIM_LEASE_SECONDS = 60;

/** The lease at an interval: at most a tenth of it, so a compressed interval (tests) still sees a lost batch again. */
export const claimLeaseSeconds = (intervalSeconds: number) => Math.min(CLAIM_LEASE_SECONDS, intervalSeconds / 10);

/**
 * Atomically takes up to `limit` due users and leases them: each is due again at the lease's end (or their next slot,
 * if sooner) unless their probe is recorded, which moves them to their next slot (next_slot_at), so however many
 * replicas claim at once each user is probed once per interval, and a batch lost with its replica is probed again
 * within the lease (SKIP LOCKED: replicas never wait on each other). A lease running out while its batch is still in
 * flight is not claimed again: the org's run holds its lock (scheduler.ts) and claims only who was due when it
 * started. A user whose last claim was lost gets no second lease, so a batch that keeps failing is probed at most
 * twice per interval.
 */
export async function claimDue(
  scope: OrgScope,
  intervalSeconds: number,
  limit: number,
  dueBy: Date = new Date(),
): Promise<ClaimedUser[]> {
  const res = await scope.db.raw(
    `UPDATE mailbox_probe_state s SET next_slot_at = due.slot,
       next_probe_at = CASE WHEN s.next_slot_at IS NULL THEN LEAST(due.slot, now() + make_interval(secs => ?)) ELSE due.slot END
     FROM (SELECT s2.user_id, u.email, u.status, s2.next_probe_at AS due_at, ${nextSlot('?::bigint', 's2.user_id')} AS slot
           FROM mailbox_probe_state s2 JOIN users u ON u.id = s2.user_id
           WHERE s2.org_id = ? AND s2.next_probe_at <= ? AND ${CAPTURING}
           ORDER BY s2.next_probe_at LIMIT ? FOR UPDATE OF s2 SKIP LOCKED) due
     WHERE s.user_id = due.user_id
     RETURNING s.user_id, due.email, due.status, s.provider_user_id, s.consecutive_failures, s.consecutive_successes,
       s.first_failure_at, s.last_outcome, s.backfill_finished_at, s.onboarding_started_at, due.due_at`,
    [claimLeaseSeconds(intervalSeconds), ...slot(intervalSeconds), scope.orgId, dueBy, limit],
  );
  return (res.rows as (RawProbeState & { due_at: Date | string })[]).map((r) => ({
    ...toProbeState(r),
    due_at: toDate(r.due_at)!,
  }));
}

/**
 * How many capturing users (up to `atMost`) other than `besides` are due now or within `seconds`: whether a
 * part-filled Graph batch will fill if it waits that long.
 */
export async function dueWithin(
  scope: OrgScope,
  seconds: number,
  atMost: number,
  besides: readonly string[],
): Promise<number> {
  const res = await scope.db.raw(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM mailbox_probe_state s JOIN users u ON u.id = s.user_id
       WHERE s.org_id = ? AND s.next_probe_at <= now() + make_interval(secs => ?) AND ${CAPTURING}
         AND s.user_id <> ALL(?::uuid[]) LIMIT ?) due`,
    [scope.orgId, seconds, [...besides], atMost],
  );
  return (res.rows as { n: number }[])[0]!.n;
}

/** Puts every user of the org at their next slot from now (a new interval, or a benchmark's clean start). */
export async function reslot(scope: OrgScope, intervalSeconds: number): Promise<number> {
  const res = await scope.db.raw(
    `UPDATE mailbox_probe_state s SET next_probe_at = ${nextSlot('?::bigint', 's.user_id')}, next_slot_at = NULL
     WHERE s.org_id = ?`,
    [...slot(intervalSeconds), scope.orgId],
  );
  return res.rowCount ?? 0;
}

/** Gives claimed users back, due as before (a part-filled Graph batch waits for the next tick's users). */
export async function releaseClaims(scope: OrgScope, users: ClaimedUser[]): Promise<void> {
  if (!users.length) return;
  await scope.db.raw(
    `UPDATE mailbox_probe_state s SET next_probe_at = v.due_at, next_slot_at = NULL
     FROM jsonb_to_recordset(?::jsonb) AS v(user_id uuid, due_at timestamptz) WHERE s.user_id = v.user_id AND s.org_id = ?`,
    [JSON.stringify(users.map((u) => ({ user_id: u.user_id, due_at: u.due_at }))), scope.orgId],
  );
}

/** Pushes every due user to their next slot without probing (an org-wide condition: only the canary is probed). */
export async function skipDue(scope: OrgScope, intervalSeconds: number): Promise<number> {
  const res = await scope.db.raw(
    `UPDATE mailbox_probe_state s SET next_probe_at = ${nextSlot('?::bigint', 's.user_id')}, next_slot_at = NULL
     WHERE s.org_id = ? AND s.next_probe_at <= now()`,
    [...slot(intervalSeconds), scope.orgId],
  );
  return res.rowCount ?? 0;
}

/** A user's probe state (counters at zero before their first probe), or undefined for no such user. */
export async function loadState(scope: OrgScope, userId: string): Promise<ProbeState | undefined> {
  const res = await scope.db.raw(
    `SELECT u.id AS user_id, u.email, u.status, s.provider_user_id, coalesce(s.consecutive_failures, 0) AS consecutive_failures,
       coalesce(s.consecutive_successes, 0) AS consecutive_successes, s.first_failure_at, s.last_outcome,
       s.backfill_finished_at, s.onboarding_started_at
     FROM users u LEFT JOIN mailbox_probe_state s ON s.user_id = u.id WHERE u.org_id = ? AND u.id = ?`,
    [scope.orgId, userId],
  );
  const row = (res.rows as RawProbeState[])[0];
  return row && toProbeState(row);
}

export interface StateUpdate {
  user_id: string;
  consecutive_failures: number;
  consecutive_successes: number;
  first_failure_at: string | null;
  last_checked_at: string;
  last_outcome: string;
  last_reason: string | null;
  last_rule: string | null;
  last_error: unknown;
  next_probe_at: string | null;
  onboarding_started_at: string | null;
}

/**
 * Records probes' states. Each user's claim ends: they move to the slot it kept for them, or to their recheck (a first
 * failure, a transient answer).
 * One statement per chunk: at 100k users, row-by-row updates would dominate the interval.
 */
export async function writeStates(trx: Knex.Transaction, orgId: string, updates: StateUpdate[]): Promise<void> {
  if (!updates.length) return;
  await trx.raw(
    `INSERT INTO mailbox_probe_state AS s (user_id, org_id, consecutive_failures, consecutive_successes, first_failure_at,
       last_checked_at, last_outcome, last_reason, last_rule, last_error, next_probe_at, onboarding_started_at)
     SELECT v.user_id, ?, v.consecutive_failures, v.consecutive_successes, v.first_failure_at, v.last_checked_at,
       v.last_outcome, v.last_reason, v.last_rule, v.last_error, coalesce(v.next_probe_at, now()), v.onboarding_started_at
     FROM jsonb_to_recordset(?::jsonb) AS v(user_id uuid, consecutive_failures int, consecutive_successes int,
       first_failure_at timestamptz, last_checked_at timestamptz, last_outcome text, last_reason text, last_rule text,
       last_error jsonb, next_probe_at timestamptz, onboarding_started_at timestamptz)
     ON CONFLICT (user_id) DO UPDATE SET consecutive_failures = excluded.consecutive_failures,
       consecutive_successes = excluded.consecutive_successes, first_failure_at = excluded.first_failure_at,
       last_checked_at = excluded.last_checked_at, last_outcome = excluded.last_outcome, last_reason = excluded.last_reason,
       last_rule = excluded.last_rule, last_error = excluded.last_error,
       next_probe_at = CASE WHEN excluded.next_probe_at > now() THEN excluded.next_probe_at
         ELSE coalesce(s.next_slot_at, s.next_probe_at) END,
       next_slot_at = NULL, onboarding_started_at = coalesce(excluded.onboarding_started_at, s.onboarding_started_at)`,
    [orgId, JSON.stringify(updates)],
  );
}

/** The org's mailbox provider (`lock`: for update until the transaction ends), or undefined. */
export async function findProvider(scope: OrgScope, lock = false): Promise<ProviderRow | undefined> {
  return scope
    .table('mailbox_providers')
    .modify((q) => (lock ? q.forUpdate() : q))
    .first();
}

/** The orgs that have a mailbox provider (the monitor's tick fans out to them). */
export async function providerOrgIds(db: Knex): Promise<string[]> {
  const rows: Pick<ProviderRow, 'org_id'>[] = await db('mailbox_providers').select('org_id');
  return rows.map((r) => r.org_id);
}

/** An org-wide condition as stored: its detail as JSON text. */
export type OrgConditionFields = Pick<
  ProviderRow,
  'org_condition' | 'org_condition_rule' | 'org_condition_since' | 'org_condition_strikes'
> & { org_condition_detail: string | null };

export const NO_ORG_CONDITION: OrgConditionFields = {
  org_condition: null,
  org_condition_rule: null,
  org_condition_since: null,
  org_condition_detail: null,
  org_condition_strikes: 0,
};

/** A provider as saved: settings as JSON text, the secret sealed; new settings start without a condition. */
export type ProviderFields = Pick<ProviderRow, 'provider' | 'encrypted_secret' | 'updated_at'> & {
  settings: string;
} & OrgConditionFields;

export async function saveProvider(scope: OrgScope, fields: ProviderFields, exists: boolean): Promise<void> {
  if (exists) await scope.table('mailbox_providers').update(fields);
  else await scope.insert('mailbox_providers', fields);
}

/**
 * Writes the org-wide condition; `updatedAt` is what the provider's updated_at stays (the client cache keys on it,
 * so a condition coming or going keeps the org's client and its token).
 */
export async function setOrgCondition(scope: OrgScope, condition: OrgConditionFields, updatedAt?: Date): Promise<void> {
  await scope.table('mailbox_providers').update(updatedAt ? { ...condition, updated_at: updatedAt } : condition);
}

/** Probe states of the user the status writer is looking at (`users.id`), by a condition on them. */
const probeStateOfUser = (scope: OrgScope, where: string, bindings: readonly number[] = []) =>
  scope.db('mailbox_probe_state as s').whereRaw(`s.user_id = users.id AND ${where}`, [...bindings]);

/** For whereExists in a status change: the user fails on their own (`failures` in a row or more). */
export const failingOnTheirOwn = (scope: OrgScope, failures: number) =>
  probeStateOfUser(scope, 's.consecutive_failures >= ?', [failures]);

/** For whereExists in a status change: the user's onboarding scan has finished. */
export const onboarded = (scope: OrgScope) => probeStateOfUser(scope, 's.backfill_finished_at IS NOT NULL');

/** A probe result as recorded. */
export type NewProbeResult = Omit<ProbeResultRow, 'probed_at'> & { probed_at: Date };

/** Rows per insert: eleven columns each stay well under PostgreSQL's bindings limit. */
const RESULTS_PER_INSERT = 500;

export async function insertProbeResults(scope: OrgScope, results: readonly NewProbeResult[]): Promise<void> {
  for (const part of chunks(results, RESULTS_PER_INSERT)) await scope.insert('mailbox_probe_results', part);
}

/** Drops the org's probe results older than `before` (history is kept HISTORY_DAYS). */
export async function deleteResultsBefore(scope: OrgScope, before: Date): Promise<void> {
  await scope.table('mailbox_probe_results').where('probed_at', '<', before).delete();
}

/** A user's latest probe results, newest first. */
export async function recentResults(scope: OrgScope, userId: string, limit: number): Promise<ProbeResultRow[]> {
  return scope.table('mailbox_probe_results').where({ user_id: userId }).orderBy('probed_at', 'desc').limit(limit);
}

/** The probes since `since`: by outcome, failures by reason, and how many users they reached. */
export async function resultTotals(scope: OrgScope, since: Date) {
  const results = () => scope.table('mailbox_probe_results').where('probed_at', '>=', since);
  const byOutcome: { outcome: string; n: string | number }[] = await results()
    .groupBy('outcome')
    .select('outcome')
    .count({ n: '*' });
  const byReason: { reason: string; n: string | number }[] = await results()
    .whereNot('outcome', 'ok')
    .whereNotNull('reason')
    .groupBy('reason')
    .select('reason')
    .count({ n: '*' });
  const [reached]: { users: string | number }[] = await results().countDistinct({ users: 'user_id' });
  return {
    byOutcome: Object.fromEntries(byOutcome.map((r) => [r.outcome, Number(r.n)])),
    failuresByReason: Object.fromEntries(byReason.map((r) => [r.reason, Number(r.n)])),
    usersProbed: Number(reached?.users ?? 0),
  };
}

/** A page of the users in Permission Errors, latest first, with their probe state; and how many there are. */
export async function permissionErrorPage(
  scope: OrgScope,
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: PermissionErrorRow[] }> {
  const base = () => scope.table('users').where('users.status', 'permission_error');
  const [counted]: { count: string | number }[] = await base().count({ count: '*' });
  const rows: PermissionErrorRow[] = await base()
    .leftJoin('mailbox_probe_state as s', 's.user_id', 'users.id')
    .orderBy([{ column: 'users.permission_error_since', order: 'desc' }, { column: 'users.email' }])
    .limit(page.limit)
    .offset(page.offset)
    .select(
      'users.id',
      'users.email',
      'users.permission_error_since',
      's.last_rule',
      's.last_error',
      's.last_checked_at',
      's.consecutive_failures',
    );
  return { total: Number(counted?.count ?? 0), rows };
}

/** Records a finished onboarding scan: what it counted, and the provider's id for the user. */
export async function recordBackfill(
  scope: OrgScope,
  userId: string,
  found: { messages: number; events: number; providerUserId: string | null },
): Promise<void> {
  await scope.table('mailbox_probe_state').where({ user_id: userId }).update({
    backfill_finished_at: new Date(),
    backfill_messages: found.messages,
    backfill_events: found.events,
    backfill_error: null,
    provider_user_id: found.providerUserId,
  });
}

/** Records a failed onboarding scan; it starts again on the next passing probe. */
export async function recordBackfillFailure(scope: OrgScope, userId: string, message: string): Promise<void> {
  await scope
    .table('mailbox_probe_state')
    .where({ user_id: userId })
    .update({ backfill_error: message.slice(0, 2000), onboarding_started_at: null });
}
