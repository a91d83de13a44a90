import { AppError } from '../shared/errors.js';

/** Why a Salesforce call failed, in the words an admin acts on. */
export type SalesforceProblem =
  | 'bad_credentials'
  | 'api_disabled'
  | 'ip_restricted'
  | 'insufficient_access'
  | 'limit_exceeded'
  | 'unreachable'
  | 'session_expired'
  | 'query_failed';

export class SalesforceError extends AppError {
  constructor(
    readonly problem: SalesforceProblem,
    message: string,
    readonly sfCode?: string,
    status = 502,
  ) {
    super(status, `salesforce_${problem}`, message, sfCode ? { salesforceCode: sfCode } : undefined);
  }
}

/** The run stops cleanly on this; it is recorded as `limit_exceeded`, never as success. */
export class ApiBudgetError extends SalesforceError {
  constructor(message: string, sfCode?: string) {
    super('limit_exceeded', message, sfCode, 429);
  }
}

interface Pattern {
  test: RegExp;
  problem: SalesforceProblem;
  message: string;
}

// OAuth `error`/`error_description` and REST `errorCode` values, first match wins: data, not branches.
const patterns: Pattern[] = [
  {
    test: /REQUEST_LIMIT_EXCEEDED/i,
    problem: 'limit_exceeded',
    message: "The org's daily Salesforce API limit is used up; syncing resumes when it resets.",
  },
  {
    test: /ip restricted|invalid login hours|LOGIN_MUST_USE_SECURITY_TOKEN|INVALID_LOGIN_IP/i,
    problem: 'ip_restricted',
    message:
      "Salesforce refused the login from this service's IP address (or outside the user's login hours). Relax the connected app's IP policy to \"Relax IP restrictions\" or add the service's IP range to the profile's Login IP Ranges.",
  },
  {
    test: /API_DISABLED_FOR_ORG/i,
    problem: 'api_disabled',
    message:
      'The REST API is not enabled for this Salesforce org (it needs Enterprise, Unlimited, Developer or Performance edition, or the API add-on).',
  },
  {
    test: /API_CURRENTLY_DISABLED|not valid for use with the REST API/i,
    problem: 'api_disabled',
    message:
      'The integration user cannot use the API: give its profile or a permission set "API Enabled", and check API Access Control allows this connected app.',
  },
  {
    test: /user hasn't approved this consumer|not admin approved|invalid_app_access|OAUTH_APP_BLOCKED|app_not_found|inactive_user|inactive_org/i,
    problem: 'insufficient_access',
    message:
      'Salesforce refused this connected app for the integration user: in the connected app, set "Admin approved users are pre-authorized" and add the user\'s profile or permission set, and check the user is active.',
  },
  {
    test: /INSUFFICIENT_ACCESS|INVALID_TYPE|sObject type .* is not supported/i,
    problem: 'insufficient_access',
    message:
      'The integration user cannot read Users and Roles: give it "View Setup and Configuration" (which brings "View Roles and Role Hierarchy") and "View All Users".',
  },
  {
    test: /invalid_client_id|client identifier invalid|invalid_client/i,
    problem: 'bad_credentials',
    message:
      "Salesforce does not know this connected app's consumer key (client id): copy it again from the connected app.",
  },
  {
    test: /expired access\/refresh token|invalid_grant.*refresh|token.*(revoked|expired)/i,
    problem: 'bad_credentials',
    message: 'The refresh token was revoked or has expired: authorize the connected app again and save the new token.',
  },
  {
    test: /invalid_grant|authentication failure|invalid assertion|audience|INVALID_SESSION_ID|unsupported_grant_type/i,
    problem: 'bad_credentials',
    message:
      'Salesforce rejected the credentials: check the username, the consumer key, and that the certificate uploaded to the connected app matches the private key.',
  },
  {
    test: /ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|fetch failed|SERVER_UNAVAILABLE|ERROR_HTTP_50\d/i,
    problem: 'unreachable',
    message: 'Salesforce could not be reached at the login or instance URL; check the URLs (My Domain) and try again.',
  },
];

/** Turns anything jsforce or the network threw into a SalesforceError an admin can act on. */
export function explainSalesforceError(err: unknown): SalesforceError {
  if (err instanceof SalesforceError) return err;
  const e = err as { name?: string; errorCode?: string; code?: string; message?: string };
  const sfCode = e?.errorCode ?? (e?.name && e.name !== 'Error' ? e.name : undefined) ?? e?.code;
  const text = [sfCode, e?.code, e?.name, e?.message].filter(Boolean).join(' ');
  const found = patterns.find((p) => p.test.test(text));
  if (!found)
    return new SalesforceError('query_failed', `Salesforce returned an error: ${e?.message ?? String(err)}`, sfCode);
  if (found.problem === 'limit_exceeded') return new ApiBudgetError(found.message, sfCode);
  return new SalesforceError(found.problem, found.message, sfCode);
}

/** Network failures worth a retry (connection resets and friends). */
export const RETRYABLE_NETWORK =
  /ECONNRESET|UND_ERR_SOCKET|EPIPE|socket hang up|ECONNREFUSED|ETIMEDOUT|other side closed|premature close/i;
export const RETRYABLE_STATUS = new Set([502, 503, 504]);
