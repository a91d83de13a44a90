import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { scoped, type OrgScope } from '../db/scoped.js';
import { SYSTEM_ACTOR } from '../shared/audit.js';
import { findOrg } from '../orgs/repo.js';
import { findUserRow } from '../users/repo.js';
import { changeStatus } from '../users/status.js';
import { ProbeFailure, type ProbeAnswer, type ProbeKind, type ProbeTarget } from './client.js';
import { GRAPH_BATCH_SIZE } from './graph.js';
import { HISTORY_DAYS, providerLimits } from './limits.js';
import type { ClientCache, ProviderRow } from './providers.js';
import { classify, type Observation, type OutcomeClass, type Rule } from './reasons.js';
import {
  claimDue,
  deleteResultsBefore,
  dueWithin,
  findProvider as providerRow,
  insertProbeResults,
  loadState,
  recordBackfill,
  recordBackfillFailure,
  releaseClaims,
  seedStates,
  skipDue,
  writeStates,
  type ClaimedUser,
  type ProbeState,
  type StateUpdate,
} from './repo.js';
import { nextState, type UserStatus } from './state.js';
import { clearOrgCondition, noteOrgFailure } from './org-condition.js';
import { writeMailboxStatuses, type MailboxStatusChange } from './status.js';

export interface EngineOptions {
  /** Overrides every org's orgs.mailbox_probe_minutes (tests and benchmarks run compressed intervals). */
  intervalSeconds?: number;
  recheckSeconds: number;
  backfillDays: number;
}

export interface EngineDeps {
  db: Knex;
  clients: ClientCache;
  log: FastifyBaseLogger;
  options: EngineOptions;
  /** Hands an onboarding backfill to the job queue; without one it runs in line. */
  enqueueBackfill?: (orgId: string, userId: string) => Promise<void>;
  /** Told each recorded probe's outcome and reason (the /metrics counter). */
  onOutcome?: (outcome: string, reason: string | null) => void;
}

export interface UserOutcome {
  userId: string;
  outcome: OutcomeClass;
  rule: Rule | null;
  observation: Observation | null;
  status: UserStatus | null;
}

/** How long a user may wait for a Graph batch to fill before a part-filled one goes out. */
const FILL_WAIT_SECONDS = 90;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (seconds: number) => seconds * (1 + Math.random() * 0.5);
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

export function createProbeEngine(deps: EngineDeps) {
  const { db, clients, log, options } = deps;
  const pausedUntil = new Map<string, number>();
  const nextAllowed = new Map<string, number>();

  async function intervalSeconds(scope: OrgScope): Promise<number> {
    if (options.intervalSeconds) return options.intervalSeconds;
    const org = await findOrg(scope.db, scope.orgId);
    return (org?.mailbox_probe_minutes ?? 15) * 60;
  }

  /** The per-tenant rate cap: waits until `calls` more HTTP calls fit this org's calls per second. */
  async function pace(orgId: string, calls: number, perSecond: number) {
    const now = Date.now();
    const start = Math.max(now, nextAllowed.get(orgId) ?? 0);
    nextAllowed.set(orgId, start + (calls / perSecond) * 1000);
    if (start > now) await sleep(start - now);
  }

  function kindsFor(u: ProbeState, interval: number): ProbeKind[] {
    // Healthy users alternate mail and calendar (one request each per interval keeps Graph at 5,000 calls per
    // 100k users); anyone new, failing or recovering proves both.
    const healthy = u.status === 'active' && u.consecutive_failures === 0 && u.last_outcome === 'ok';
    if (!healthy) return ['mail', 'calendar'];
    return Math.floor(Date.now() / (interval * 1000)) % 2 === 0 ? ['mail'] : ['calendar'];
  }

  /** Classifies answers, moves counters and statuses in one transaction, then starts onboarding scans. */
  async function apply(
    row: ProviderRow,
    users: ProbeState[],
    answers: ProbeAnswer[],
    kinds: Map<string, ProbeKind[]>,
    confirming = false,
  ): Promise<UserOutcome[]> {
    const orgId = row.org_id;
    const byId = new Map(users.map((u) => [u.user_id, u]));
    const now = new Date();
    const classified = answers.map((a) => ({ a, rule: a.ok ? null : classify(row.provider, a.observation) }));
    // A generic denial is the org's only on evidence from more than one user (or from the canary re-checking a
    // condition already seen across users): one user's 403, say from "test access now", is that user's alone.
    const everyoneDenied = (classified.length > 1 || confirming) && classified.every((c) => c.rule?.orgWhenAll);
    const outcomes: UserOutcome[] = [];
    const updates: StateUpdate[] = [];
    const onboard: string[] = [];
    let orgFailure: { rule: Rule; observation: Observation } | null = null;
    let anyOk = false;
    const statusChanges: MailboxStatusChange[] = [];
    for (const { a, rule } of classified) {
      const u = byId.get(a.userId)!;
      const observation = a.ok ? null : a.observation;
      const outcome: OutcomeClass = !rule ? 'ok' : rule.orgWhenAll && everyoneDenied ? 'org' : rule.class;
      if (outcome === 'org') orgFailure ??= { rule: rule!, observation: observation! };
      if (outcome === 'ok') anyOk = true;
      if (outcome === 'internal')
        log.error({ orgId, userId: u.user_id, observation }, 'mailbox probe answer not understood');
      const t = nextState(
        {
          status: u.status,
          consecutiveFailures: u.consecutive_failures,
          consecutiveSuccesses: u.consecutive_successes,
          firstFailureAt: u.first_failure_at,
          onboarded: !!u.backfill_finished_at,
        },
        outcome,
        now,
      );
      const recentlyStarted =
        u.onboarding_started_at && now.getTime() - new Date(u.onboarding_started_at).getTime() < 600_000;
      const startOnboarding = t.startOnboarding && !(u.status === 'onboarding' && recentlyStarted);
      if (startOnboarding) onboard.push(u.user_id);
      const next = t.recheck
        ? inSeconds(jitter(options.recheckSeconds))
        : outcome === 'transient'
          ? inSeconds(jitter(observation?.retryAfterSeconds ?? options.recheckSeconds))
          : outcome === 'org'
            ? inSeconds(jitter(options.recheckSeconds))
            : null;
      updates.push({
        user_id: u.user_id,
        consecutive_failures: t.consecutiveFailures,
        consecutive_successes: t.consecutiveSuccesses,
        first_failure_at: t.firstFailureAt ? new Date(t.firstFailureAt).toISOString() : null,
        last_checked_at: now.toISOString(),
        last_outcome: outcome,
        last_reason: rule?.reason ?? null,
        last_rule: rule?.id ?? null,
        last_error: observation ? JSON.stringify(observation) : null,
        next_probe_at: next,
        onboarding_started_at: startOnboarding ? now.toISOString() : null,
      });
      outcomes.push({ userId: u.user_id, outcome, rule, observation, status: t.status ?? u.status });
      if (t.status && t.status !== u.status)
        statusChanges.push({
          userId: u.user_id,
          to: t.status,
          since: t.permissionErrorSince,
          reason: rule?.reason ?? null,
        });
    }

    await db.transaction(async (trx) => {
      const scope = scoped(trx, orgId);
      await insertProbeResults(
        scope,
        classified.map(({ a, rule }, i) => {
          const o = a.ok ? null : a.observation;
          return {
            user_id: a.userId,
            probed_at: now,
            outcome: outcomes[i]!.outcome,
            reason: rule?.reason ?? null,
            rule: rule?.id ?? null,
            http_status: o?.httpStatus ?? null,
            provider_code: o?.providerCode ?? null,
            message: o?.message?.slice(0, 2000) ?? null,
            request_id: o?.requestId ?? null,
            stage: o?.stage ?? null,
            kinds: (kinds.get(a.userId) ?? []).join(','),
          };
        }),
      );
      await writeStates(trx, orgId, updates);
      await writeMailboxStatuses(scope, statusChanges);
      if (orgFailure) await noteOrgFailure(scope, row, orgFailure.rule, orgFailure.observation, now);
      else if (anyOk && row.org_condition_rule) await clearOrgCondition(scope, now);
    });
    for (const o of outcomes) deps.onOutcome?.(o.outcome, o.rule?.reason ?? null);
    if (onboard.length) {
      if (deps.enqueueBackfill) await Promise.all(onboard.map((id) => deps.enqueueBackfill!(orgId, id)));
      else for (const id of onboard) await backfill(orgId, id);
    }
    return outcomes;
  }

  async function probeClaimed(
    row: ProviderRow,
    users: ProbeState[],
    interval: number,
    allKinds = false,
    confirming = false,
  ) {
    const client = clients.get(row);
    const kinds = new Map(
      users.map((u) => [u.user_id, allKinds ? (['mail', 'calendar'] as ProbeKind[]) : kindsFor(u, interval)]),
    );
    const targets: ProbeTarget[] = users.map((u) => ({
      userId: u.user_id,
      email: u.email,
      providerUserId: u.provider_user_id,
      kinds: kinds.get(u.user_id)!,
    }));
    const requests = targets.reduce((n, t) => n + t.kinds.length, 0);
    const limits = providerLimits[row.provider];
    await pace(row.org_id, row.provider === 'microsoft' ? Math.ceil(requests / 20) : requests, limits.callsPerSecond);
    // Which replica probed whom, and when: a batch sent and never recorded died with its replica.
    log.debug({ orgId: row.org_id, users: users.map((u) => u.user_id) }, 'mailbox probe batch sent');
    const answers = await client.probe(targets);
    const outcomes = await apply(row, users, answers, kinds, confirming);
    log.debug({ orgId: row.org_id, users: users.length }, 'mailbox probe batch recorded');
    return outcomes;
  }

  /**
   * Graph bills a part-filled `$batch` like a full one. The users making up the part of a last batch (the ones who
   * became due last, `requests % 20` requests between them) are the claim's spill: they wait for the next claim's
   * users, as long as the claim after theirs will fill their batch.
   */
  function spillOf(users: ClaimedUser[], interval: number): ClaimedUser[] {
    const requests = users.reduce((n, u) => n + kindsFor(u, interval).length, 0);
    let left = requests % GRAPH_BATCH_SIZE;
    if (!left) return [];
    const spill: ClaimedUser[] = [];
    for (let i = users.length - 1; i >= 0 && left > 0; i -= 1) {
      const n = kindsFor(users[i]!, interval).length;
      if (n <= left) {
        spill.push(users[i]!);
        left -= n;
      }
    }
    return spill;
  }

  /**
   * Probes this org's due users until none are due (or `deadline`, or `stopped()`: the service is shutting down),
   * honouring a Retry-After pause. While an org-wide condition stands, only one canary user is probed per recheck
   * and the rest are skipped.
   */
  async function runDue(orgId: string, opts: { deadline?: number; stopped?: () => boolean } = {}) {
    const scope = scoped(db, orgId);
    const summary = { probed: 0, skipped: 0, canary: false };
    const row = await providerRow(scope);
    if (!row) return summary;
    const interval = await intervalSeconds(scope);
    await seedStates(scope, interval);
    if ((pausedUntil.get(orgId) ?? 0) > Date.now()) return summary;
    if (row.org_condition_rule) {
      const detail = (row.org_condition_detail ?? {}) as { checkedAt?: string };
      const wait = (row.org_condition_strikes < 2 ? options.recheckSeconds : interval) * 1000;
      if (!detail.checkedAt || Date.parse(detail.checkedAt) + wait <= Date.now()) {
        const canary = await claimDue(scope, interval, 1);
        if (canary.length) {
          summary.canary = true;
          summary.probed += (await probeClaimed(row, canary, interval, true, true)).length;
        }
      }
      const fresh = await providerRow(scope);
      if (fresh?.org_condition_rule) {
        summary.skipped = await skipDue(scope, interval);
        return summary;
      }
    }
    const limits = providerLimits[row.provider];
    const batched = row.provider === 'microsoft';
    // A run probes who was due when it started: rechecks it schedules wait for the next run, and the users it leased
    // are never claimed again by it, however long their batch takes.
    const dueBy = new Date();
    // The spill of the last claim, sent with the next claim's users (so every batch but the run's last is full).
    let carried: ClaimedUser[] = [];
    try {
      while ((!opts.deadline || Date.now() < opts.deadline) && !opts.stopped?.()) {
        const claimed = await claimDue(scope, interval, limits.chunk, dueBy);
        const last = claimed.length < limits.chunk;
        let users = carried.length ? [...carried, ...claimed] : claimed;
        carried = [];
        if (batched) {
          const spill = spillOf(users, interval);
          // The run's last part-filled batch waits for the next run only when users due within the fill wait will
          // fill it (at most that long, then); otherwise it goes now, so a small org is never held back.
          const wait = Math.min(FILL_WAIT_SECONDS, interval / 10);
          const held =
            spill.length &&
            (!last ||
              (await dueWithin(
                scope,
                wait,
                GRAPH_BATCH_SIZE,
                users.map((u) => u.user_id),
              )) >= GRAPH_BATCH_SIZE)
              ? new Set(spill)
              : null;
          if (held) {
            users = users.filter((u) => !held.has(u));
            if (last) await releaseClaims(scope, spill);
            else carried = spill;
          }
        }
        if (!users.length) break;
        const outcomes = await probeClaimed(row, users, interval);
        summary.probed += outcomes.length;
        if (outcomes.some((o) => o.outcome === 'org')) break; // everyone else would fail alike: the canary takes over
        // The provider throttling Roster as a whole (not one busy mailbox) pauses the org for Retry-After, the run's
        // last claim too: the users it held back for a fuller batch wait out the pause with the rest.
        const wholeRequest = outcomes.some((o) => o.outcome === 'transient' && o.observation?.wholeRequest);
        if (wholeRequest || (outcomes.length > 1 && outcomes.every((o) => o.outcome === 'transient'))) {
          const retryAfter = Math.max(
            ...outcomes.map((o) => o.observation?.retryAfterSeconds ?? options.recheckSeconds),
          );
          pausedUntil.set(orgId, Date.now() + retryAfter * 1000);
          break;
        }
        if (last) break;
      }
    } finally {
      // Claimed but not probed (a deadline, a pause, an error): due again as they were.
      if (carried.length) await releaseClaims(scope, carried);
    }
    await deleteResultsBefore(scope, new Date(Date.now() - HISTORY_DAYS * 86_400_000));
    return summary;
  }

  /** "Test access now": one user, mail and calendar, recorded like any scheduled probe. */
  async function probeNow(orgId: string, userId: string): Promise<UserOutcome | null> {
    const scope = scoped(db, orgId);
    const row = await providerRow(scope);
    const user = await loadState(scope, userId);
    if (!row || !user) return null;
    await seedStates(scope, await intervalSeconds(scope));
    const [outcome] = await probeClaimed(row, [user], 0, true);
    if (!outcome) return null;
    const fresh = await findUserRow(scope, userId);
    return { ...outcome, status: fresh?.status ?? outcome.status };
  }

  /** The onboarding scan: counts message and event ids over the window, records them, and activates the user. */
  async function backfill(orgId: string, userId: string) {
    const scope = scoped(db, orgId);
    const row = await providerRow(scope);
    const user = await loadState(scope, userId);
    if (!row || !user || user.status !== 'onboarding') return;
    const since = new Date(Date.now() - options.backfillDays * 86_400_000);
    try {
      const found = await clients
        .get(row)
        .backfill({ userId, email: user.email, providerUserId: user.provider_user_id, kinds: [] }, since);
      await db.transaction(async (trx) => {
        const s = scoped(trx, orgId);
        await recordBackfill(s, userId, {
          messages: found.messages,
          events: found.events,
          providerUserId: found.providerUserId ?? user.provider_user_id,
        });
        await changeStatus(s, SYSTEM_ACTOR, {
          to: 'active',
          ids: [userId],
          eligible: (q) => q.where('status', 'onboarding'),
          audit: () => ({
            action: 'user.mailbox_status',
            before: { status: 'onboarding' },
            after: { status: 'active', backfill: { messages: found.messages, events: found.events, since } },
          }),
        });
      });
    } catch (err) {
      const message = err instanceof ProbeFailure ? err.message : (err as Error).message;
      log.warn({ orgId, userId, err }, 'mailbox onboarding scan failed');
      await recordBackfillFailure(scope, userId, message);
    }
  }

  return { runDue, probeNow, backfill };
}
export type ProbeEngine = ReturnType<typeof createProbeEngine>;
