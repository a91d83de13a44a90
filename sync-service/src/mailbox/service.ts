import { createPrivateKey } from 'node:crypto';
import type { Knex } from 'knex';
import { scoped, type OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { AppError, BadRequestError, ConflictError, NotFoundError, UnprocessableError } from '../shared/errors.js';
import type { SecretBox } from '../shared/secrets.js';
import type { ProbeEngine } from './engine.js';
import { GOOGLE_SCOPES } from './google.js';
import type { ClientCache, ProviderRow } from './providers.js';
import { iso, permissionErrorList, providerAnswer } from './permission-errors.js';
import { explain } from './reasons.js';
import { findOrg, updateOrg } from '../orgs/repo.js';
import { findUserRow, userExists } from '../users/repo.js';
import { monitoredStatusCounts } from '../users/counts.js';
import {
  findProvider as providerRow,
  NO_ORG_CONDITION,
  recentResults,
  reslot,
  resultTotals,
  saveProvider,
} from './repo.js';
import type { ProviderSettingsIn } from './schemas.js';

export interface MailboxServiceDeps {
  db: Knex;
  secrets: SecretBox;
  engine: ProbeEngine;
  clients: ClientCache;
  customEndpoints: boolean;
  intervalSeconds?: number;
  testAccessPerMinute: number;
}

const URL_FIELDS = ['tokenUrl', 'apiRootUrl', 'authorityUrl', 'graphUrl'] as const;

export function createMailboxService(deps: MailboxServiceDeps) {
  const { db, secrets, engine, clients } = deps;
  const testAccessLog = new Map<string, number[]>();

  function orgCondition(row: ProviderRow | undefined) {
    if (!row?.org_condition_rule) return null;
    const detail = (row.org_condition_detail ?? {}) as Record<string, string | number | null>;
    return {
      ...explain(row.org_condition_rule, row.provider),
      since: iso(row.org_condition_since)!,
      confirmed: row.org_condition_strikes >= 2,
      provider: providerAnswer(detail as never),
    };
  }

  async function intervalSeconds(scope: OrgScope) {
    const org = await findOrg(scope.db, scope.orgId);
    if (!org) throw new NotFoundError('Org', scope.orgId);
    return {
      minutes: org.mailbox_probe_minutes,
      seconds: deps.intervalSeconds ?? org.mailbox_probe_minutes * 60,
    };
  }

  async function getProvider(scope: OrgScope) {
    const row = await providerRow(scope);
    if (!row) throw new NotFoundError('Mailbox provider settings');
    return {
      provider: row.provider,
      settings: row.settings as unknown as Record<string, unknown>,
      secretSet: !!row.encrypted_secret,
      probeMinutes: (await intervalSeconds(scope)).minutes,
      orgCondition: orgCondition(row),
      updatedAt: iso(row.updated_at)!,
    };
  }

  /** Saves the provider (secret sealed, never echoed); new credentials clear any org-wide condition. */
  async function putProvider(scope: OrgScope, actor: Actor | null, input: ProviderSettingsIn) {
    const custom = URL_FIELDS.filter((f) => f in input && (input as Record<string, unknown>)[f] !== undefined);
    if (custom.length && !deps.customEndpoints) {
      throw new BadRequestError(
        'custom_endpoints_disabled',
        `Custom provider endpoints (${custom.join(', ')}) are off on this service (MAILBOX_CUSTOM_ENDPOINTS).`,
      );
    }
    const { probeMinutes, ...rest } = input;
    const existing = await providerRow(scope);
    const sameProvider = existing?.provider === input.provider;
    let secret: string | undefined;
    let settings: Record<string, unknown>;
    if (rest.provider === 'google') {
      const { privateKey, provider: _p, ...s } = rest;
      secret = privateKey;
      if (secret) {
        try {
          createPrivateKey(secret);
        } catch {
          throw new BadRequestError(
            'invalid_private_key',
            'privateKey is not a PEM private key: paste the private_key field of the service account key file.',
          );
        }
      }
      settings = { ...s, scopes: s.scopes ?? GOOGLE_SCOPES };
    } else {
      const { clientSecret, provider: _p, ...s } = rest;
      secret = clientSecret;
      settings = s;
    }
    if (!secret && !sameProvider) {
      throw new UnprocessableError(
        'secret_required',
        input.provider === 'google'
          ? 'privateKey is required the first time.'
          : 'clientSecret is required the first time.',
      );
    }
    await db.transaction(async (trx) => {
      const s = scoped(trx, scope.orgId);
      await saveProvider(
        s,
        {
          provider: input.provider,
          settings: JSON.stringify(settings),
          encrypted_secret: secret ? secrets.seal(secret) : existing!.encrypted_secret,
          ...NO_ORG_CONDITION,
          updated_at: new Date(),
        },
        !!existing,
      );
      if (probeMinutes) {
        await updateOrg(trx, scope.orgId, { mailbox_probe_minutes: probeMinutes });
        await reslot(s, deps.intervalSeconds ?? probeMinutes * 60); // the new interval applies at once
      }
      if (actor) {
        await recordAudit(s, actor, {
          action: existing ? 'mailbox_provider.update' : 'mailbox_provider.create',
          targetType: 'mailbox_provider',
          targetId: scope.orgId,
          before: existing ? { provider: existing.provider, settings: existing.settings } : undefined,
          after: {
            provider: input.provider,
            settings,
            secret: secret ? '[redacted: replaced]' : '[redacted: kept]',
            probeMinutes,
          },
        });
      }
    });
    clients.forget(scope.orgId);
    return getProvider(scope);
  }

  const permissionErrors = permissionErrorList;

  async function testAccess(scope: OrgScope, userId: string) {
    const now = Date.now();
    const recent = (testAccessLog.get(scope.orgId) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= deps.testAccessPerMinute) {
      const retryAfterSeconds = Math.ceil((recent[0]! + 60_000 - now) / 1000);
      throw new AppError(
        429,
        'rate_limited',
        `Test access is limited to ${deps.testAccessPerMinute} per minute; try again in ${retryAfterSeconds} s.`,
        { retryAfterSeconds },
      );
    }
    recent.push(now);
    testAccessLog.set(scope.orgId, recent);
    const user = await findUserRow(scope, userId);
    if (!user) throw new NotFoundError('User', userId);
    if (user.role === 'data')
      throw new UnprocessableError(
        'not_probed',
        `${user.email} is a data user: data users have no mailbox capture, so are never probed.`,
      );
    if (user.status === 'suspended')
      throw new UnprocessableError('not_probed', `${user.email} is suspended: suspended users are not probed.`);
    const row = await providerRow(scope);
    if (!row)
      throw new ConflictError(
        'mailbox_provider_missing',
        'Set up the mailbox provider (PUT /api/v1/mailbox/provider) before testing access.',
      );
    const result = await engine.probeNow(scope.orgId, userId);
    if (!result) throw new NotFoundError('User', userId);
    return {
      userId,
      email: user.email,
      outcome: result.outcome,
      status: result.status ?? user.status,
      checkedAt: new Date().toISOString(),
      reason: result.rule ? explain(result.rule.id, row.provider) : null,
      provider: providerAnswer(result.observation),
    };
  }

  async function stats(scope: OrgScope) {
    const row = await providerRow(scope);
    const { seconds } = await intervalSeconds(scope);
    const since = new Date(Date.now() - seconds * 1000);
    const statusCounts = await monitoredStatusCounts(scope);
    const { byOutcome: outcomes, failuresByReason, usersProbed } = await resultTotals(scope, since);
    return {
      provider: row?.provider ?? null,
      intervalSeconds: seconds,
      capturingUsers: Object.entries(statusCounts)
        .filter(([s]) => s !== 'suspended')
        .reduce((n, [, c]) => n + c, 0),
      statusCounts,
      lastInterval: {
        since: since.toISOString(),
        probes: Object.values(outcomes).reduce((a, b) => a + b, 0),
        usersProbed,
        byOutcome: outcomes,
        failuresByReason,
      },
      orgCondition: orgCondition(row),
    };
  }

  async function history(scope: OrgScope, userId: string) {
    if (!(await userExists(scope, userId))) throw new NotFoundError('User', userId);
    const rows = await recentResults(scope, userId, 200);
    return {
      items: rows.map((r) => ({
        probedAt: iso(r.probed_at)!,
        outcome: r.outcome,
        reason: r.reason,
        kinds: r.kinds,
        provider: { httpStatus: r.http_status, code: r.provider_code, message: r.message, requestId: r.request_id },
      })),
    };
  }

  return { getProvider, putProvider, permissionErrors, testAccess, stats, history };
}
export type MailboxService = ReturnType<typeof createMailboxService>;
