import type { OrgScope } from '../db/scoped.js';
import { recordAudit, SYSTEM_ACTOR } from '../shared/audit.js';
import type { ProviderRow } from './providers.js';
import type { Observation, Rule } from './reasons.js';
import { FLAG_AFTER } from './state.js';

/**
 * An org-wide failure (bad credentials, no consent, API disabled): every user would fail alike, so it is one
 * condition on the provider. Confirmed by a second canary probe, it puts every capturing user in Permission
 * Errors with its reason; a passing canary clears it and gives back each user their own state.
 */
export async function noteOrgFailure(
  scope: OrgScope,
  _row: ProviderRow,
  rule: Rule,
  observation: Observation,
  now: Date,
) {
  const current = await scope.table('mailbox_providers').forUpdate().first();
  const strikes = (current.org_condition_rule ? current.org_condition_strikes : 0) + 1;
  const since: Date = current.org_condition_since ?? now;
  await scope.table('mailbox_providers').update({
    org_condition: rule.reason,
    org_condition_rule: rule.id,
    org_condition_since: since,
    org_condition_strikes: strikes,
    org_condition_detail: JSON.stringify({ ...observation, checkedAt: now.toISOString() }),
  });
  if (strikes !== FLAG_AFTER) return;
  await recordAudit(scope, SYSTEM_ACTOR, {
    action: 'mailbox.org_condition',
    targetType: 'mailbox_provider',
    targetId: scope.orgId,
    after: { reason: rule.reason, rule: rule.id, since },
  });
  const flagged = await scope.db.raw(
    `UPDATE users u SET status = 'permission_error', permission_error_since = ?, updated_at = now()
     FROM (SELECT id, status FROM users WHERE org_id = ? AND role <> 'data' AND status IN ('pending', 'onboarding', 'active') FOR UPDATE) prev
     WHERE u.id = prev.id RETURNING u.id, prev.status AS before`,
    [since, scope.orgId],
  );
  await recordAudit(
    scope,
    SYSTEM_ACTOR,
    flagged.rows.map((r: { id: string; before: string }) => ({
      action: 'user.mailbox_status',
      targetType: 'user',
      targetId: r.id,
      before: { status: r.before },
      after: { status: 'permission_error', reason: rule.reason },
    })),
  );
}

export async function clearOrgCondition(scope: OrgScope, now: Date) {
  const current = await scope.table('mailbox_providers').forUpdate().first();
  if (!current?.org_condition_rule) return;
  await scope.table('mailbox_providers').update({
    org_condition: null,
    org_condition_rule: null,
    org_condition_since: null,
    org_condition_detail: null,
    org_condition_strikes: 0,
    updated_at: current.updated_at,
  });
  await recordAudit(scope, SYSTEM_ACTOR, {
    action: 'mailbox.org_condition_cleared',
    targetType: 'mailbox_provider',
    targetId: scope.orgId,
    before: { rule: current.org_condition_rule },
    after: { at: now },
  });
  if (current.org_condition_strikes < FLAG_AFTER) return;
  // Users failing on their own keep their error; the rest go back to where they were.
  const restored = await scope.db.raw(
    `UPDATE users u SET status = CASE WHEN EXISTS (SELECT 1 FROM mailbox_probe_state s WHERE s.user_id = u.id AND s.backfill_finished_at IS NOT NULL)
       THEN 'active' ELSE 'pending' END, permission_error_since = NULL, updated_at = now()
     WHERE u.org_id = ? AND u.status = 'permission_error'
       AND NOT EXISTS (SELECT 1 FROM mailbox_probe_state s WHERE s.user_id = u.id AND s.consecutive_failures >= ?)
     RETURNING u.id, u.status`,
    [scope.orgId, FLAG_AFTER],
  );
  await recordAudit(
    scope,
    SYSTEM_ACTOR,
    restored.rows.map((r: { id: string; status: string }) => ({
      action: 'user.mailbox_status',
      targetType: 'user',
      targetId: r.id,
      before: { status: 'permission_error' },
      after: { status: r.status },
    })),
  );
}
