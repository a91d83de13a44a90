import type { OrgScope } from '../db/scoped.js';
import { recordAudit, SYSTEM_ACTOR } from '../shared/audit.js';
import { changeStatus } from '../users/status.js';
import type { ProviderRow } from './providers.js';
import { failingOnTheirOwn, findProvider, NO_ORG_CONDITION, onboarded, setOrgCondition } from './repo.js';
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
  const current = await findProvider(scope, true);
  if (!current) return;
  const strikes = (current.org_condition_rule ? current.org_condition_strikes : 0) + 1;
  const since: Date = current.org_condition_since ?? now;
  await setOrgCondition(scope, {
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
  await changeStatus(scope, SYSTEM_ACTOR, {
    to: 'permission_error',
    eligible: (q) => q.whereNot('role', 'data').whereIn('status', ['pending', 'onboarding', 'active']),
    with: { permission_error_since: since },
    audit: (u) => ({
      action: 'user.mailbox_status',
      before: { status: u.status },
      after: { status: 'permission_error', reason: rule.reason },
    }),
  });
}

export async function clearOrgCondition(scope: OrgScope, now: Date) {
  const current = await findProvider(scope, true);
  if (!current?.org_condition_rule) return;
  await setOrgCondition(scope, NO_ORG_CONDITION, current.updated_at);
  await recordAudit(scope, SYSTEM_ACTOR, {
    action: 'mailbox.org_condition_cleared',
    targetType: 'mailbox_provider',
    targetId: scope.orgId,
    before: { rule: current.org_condition_rule },
    after: { at: now },
  });
  if (current.org_condition_strikes < FLAG_AFTER) return;
  // Users failing on their own keep their error; the rest go back to where they were.
  const failingAlone = failingOnTheirOwn(scope, FLAG_AFTER);
  const scanned = onboarded(scope);
  for (const to of ['active', 'pending'] as const) {
    await changeStatus(scope, SYSTEM_ACTOR, {
      to,
      eligible: (q) =>
        q
          .where('status', 'permission_error')
          .whereNotExists(failingAlone)
          .modify((r) => (to === 'active' ? r.whereExists(scanned) : r.whereNotExists(scanned))),
      with: { permission_error_since: null },
      audit: () => ({ action: 'user.mailbox_status', before: { status: 'permission_error' }, after: { status: to } }),
    });
  }
}
