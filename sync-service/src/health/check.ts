import { SalesforceError } from '../salesforce/errors.js';
import type { Connection } from 'jsforce';
import { errorCodeOf, messageOf } from './client.js';
import { CheckUnavailable, classify, collectFacts, type UserFacts } from './collect.js';
import { evaluate, finish } from './evaluate.js';
import { systemPermissionFix, userFixes } from './fixes.js';
import { integrationUser, systemPermissionLabels } from './requirements.js';
import type { HealthItem, HealthReport } from './schemas.js';

/** Errors that mean the user may not read the permission objects at all (as opposed to a broken query). */
const NO_ACCESS = new Set(['INSUFFICIENT_ACCESS', 'INSUFFICIENT_ACCESS_OR_READONLY', 'INVALID_TYPE', 'NOT_FOUND']);

const WHY: Record<CheckUnavailable['reason'], string> = {
  bad_credentials:
    'Salesforce rejected the integration user’s credentials, so nothing could be checked. Reconnect Salesforce with valid credentials.',
  api_disabled:
    'Salesforce refused API access for the integration user: the API Enabled permission is off for it (or API access is off for the org).',
  unreachable: 'Salesforce could not be reached or answered with an error, so nothing could be checked.',
};

/**
 * The integration user's health, checked as that user through `conn` in a handful of API calls:
 * system, object and field permissions against the manifest (SPEC section 6). Never throws for
 * Salesforce's answers: when the check cannot run it says which and why ('unavailable').
 */
export async function runHealthCheck(conn: Connection): Promise<HealthReport> {
  let facts;
  try {
    facts = await collectFacts(conn);
  } catch (err) {
    if (err instanceof CheckUnavailable) return unavailableReport(err);
    if (err instanceof SalesforceError && (err.problem === 'limit_exceeded' || err.problem === 'concurrent_limit'))
      throw err;
    return finish([], [{ id: '*', reason: messageOf(err) }], null, {
      reason: 'check_failed',
      message: `${errorCodeOf(err)}: ${messageOf(err)}`,
    });
  }
  const report = evaluate(facts);
  if (facts.grants !== null) return report;

  // No permission sets to read: say so, and keep what the user could learn about itself.
  const code = (facts.grantsError ?? '').split(':')[0] ?? '';
  const noViewSetup = NO_ACCESS.has(code) || facts.userPermissions?.PermissionsViewSetup === false;
  return {
    ...report,
    overall: 'unavailable',
    unavailable: noViewSetup
      ? {
          reason: 'no_view_setup',
          message:
            `The integration user cannot read its permission sets (${facts.grantsError}): that needs ${systemPermissionLabels.PermissionsViewSetup}, ` +
            'which View All Data includes. The results below come from what the user can read about itself (UserPermissionAccess, describe, userinfo); ' +
            'where each permission comes from, View All and Modify All could not be checked.',
        }
      : { reason: 'check_failed', message: `Reading the permission set assignments failed: ${facts.grantsError}` },
  };
}

/** The report for a check that could not even connect (the org's client failed to authorize). */
export const reportForConnectionFailure = (err: unknown): HealthReport => unavailableReport(classify(err, 0, null));

/** What the check can still say when Salesforce refuses it: the user from userinfo, and the permission at fault. */
function unavailableReport(err: CheckUnavailable): HealthReport {
  const info = err.userinfo;
  const user: UserFacts = {
    id: String(info?.user_id ?? ''),
    username: info?.preferred_username ?? null,
    name: info?.name ?? null,
    active: typeof info?.active === 'boolean' ? info.active : null,
    profileName: null,
    customProfile: null,
    license: null,
    role: null,
    hasRole: null,
    topRoles: null,
  };
  const items: HealthItem[] = [];
  const active = integrationUser.requirements[0];
  if (user.active !== null) {
    items.push({
      id: active.id,
      category: 'integrationUser',
      label: active.label,
      status: user.active ? 'ok' : 'missing',
      severity: 'required',
      grantedBy: [],
      fix: user.active ? null : userFixes[active.id](user),
    });
  }
  if (err.reason === 'api_disabled') {
    items.push({
      id: 'system.PermissionsApiEnabled',
      category: 'systemPermission',
      label: systemPermissionLabels.PermissionsApiEnabled,
      status: 'missing',
      severity: 'required',
      grantedBy: [],
      fix: `${systemPermissionFix(user, 'PermissionsApiEnabled')} If it is already enabled, check that your Salesforce edition includes API access.`,
      detail: err.message,
    });
  }
  const notChecked = ['systemPermission', 'objectPermission', 'inheritedObject', 'field', 'inheritedField'].map(
    (id) => ({ id, reason: WHY[err.reason] }),
  );
  return finish(
    items,
    notChecked,
    info ? { user, apiCalls: err.apiCalls, multiCurrency: null } : null,
    { reason: err.reason, message: `${WHY[err.reason]} (${err.message})` },
    err.apiCalls,
  );
}
