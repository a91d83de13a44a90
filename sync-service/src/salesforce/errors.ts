import { AppError } from '../shared/errors.js';

/** Why a Salesforce call failed, in the words an admin acts on. */
export type SalesforceProblem =
  | 'bad_credentials'
  | 'bad_audience'
  | 'secret_required'
  | 'bad_secret'
  | 'not_pre_authorized'
  | 'api_disabled'
  | 'ip_restricted'
  | 'insufficient_access'
  | 'limit_exceeded'
  | 'concurrent_limit'
  | 'unreachable'
  | 'session_expired'
  | 'query_failed';

/** Problems that mean the connection itself (app, user, credentials) is refused, not one query. */
export const CONNECTION_REFUSED: ReadonlySet<SalesforceProblem> = new Set([
  'bad_credentials',
  'bad_audience',
  'secret_required',
  'bad_secret',
  'not_pre_authorized',
  'ip_restricted',
]);

/**
 * A refusal the admin fixes in Salesforce or in the saved connection (credentials, app policy, the integration
 * user's access) is the request's own state, a 409; 502 is left for Salesforce failing or out of reach.
 */
const ADMIN_FIXES: ReadonlySet<SalesforceProblem> = new Set([
  ...CONNECTION_REFUSED,
  'api_disabled',
  'insufficient_access',
]);

export class SalesforceError extends AppError {
  constructor(
    readonly problem: SalesforceProblem,
    message: string,
    readonly sfCode?: string,
    status = ADMIN_FIXES.has(problem) ? 409 : 502,
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

/** The concurrent long-request limit: a transient refusal, retried at the next poll (not a daily-limit wait). */
export class ConcurrentLimitError extends SalesforceError {
  constructor(message: string, sfCode?: string) {
    super('concurrent_limit', message, sfCode, 503);
  }
}

/**
 * The concurrent request limits' refusal: REQUEST_LIMIT_EXCEEDED (shared with the daily allowance's "TotalRequests
 * Limit exceeded.") with a message naming the limit: "ConcurrentPerOrgLongTxn Limit exceeded." (requests of 20 s or
 * more), "ConcurrentRequests (Concurrent API Requests) Limit exceeded.", "ConcurrentPerOrgApex Limit exceeded.". The
 * word alone is no sign of it: a field or record may be called Concurrent.
 */
const CONCURRENT_LIMITS = ['ConcurrentPerOrgLongTxn', 'ConcurrentRequests', 'ConcurrentPerOrgApex'];
const CONCURRENT_LIMIT = new RegExp(
  `^(?=[^]*\\bREQUEST_LIMIT_EXCEEDED\\b)(?=[^]*\\b(?:${CONCURRENT_LIMITS.join('|')})\\b)`,
);

interface Pattern {
  test: RegExp;
  problem: SalesforceProblem;
  message: string;
}

const APP = 'External Client App';

// OAuth `error`/`error_description` and REST `errorCode` values, first match wins: data, not branches.
const patterns: Pattern[] = [
  {
    // The concurrent long-running request limit answers the same code as the daily allowance: only the message differs.
    test: CONCURRENT_LIMIT,
    problem: 'concurrent_limit',
    message:
      'Salesforce refused the call because too many long-running requests (20 seconds or more) are running in the org at once; Roster tries again at the next poll, without waiting for the daily limit to reset.',
  },
  {
    test: /REQUEST_LIMIT_EXCEEDED/i,
    problem: 'limit_exceeded',
    message: "The org's daily Salesforce API limit is used up; syncing resumes when it resets.",
  },
  {
    test: /ip restricted|invalid login hours|LOGIN_MUST_USE_SECURITY_TOKEN|INVALID_LOGIN_IP/i,
    problem: 'ip_restricted',
    message: `Salesforce refused the login from this service's IP address (or outside the user's login hours). In the ${APP}'s OAuth policies set IP Relaxation to "Relax IP restrictions", or add the service's IP range to the integration user's profile Login IP Ranges.`,
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
    message: `The integration user cannot use the API: give its profile or a permission set "API Enabled", and check that API Access Control allows this ${APP}.`,
  },
  {
    test: /audience/i,
    problem: 'bad_audience',
    message:
      "Salesforce refused the JWT's audience. The audience must be https://login.salesforce.com (production), https://test.salesforce.com (sandboxes) or the Experience Cloud site URL, never a My Domain URL; the token is still requested from the login URL you saved. Choose the audience that matches this org.",
  },
  {
    test: /user hasn't approved this consumer|not admin approved|not pre-?authori[sz]ed|invalid_app_access|OAUTH_APP_BLOCKED|app_not_found/i,
    problem: 'not_pre_authorized',
    message: `The integration user is not pre-authorized for the ${APP} (or the username is wrong): in the app's OAuth policies set Permitted Users to "Admin approved users are pre-authorized" and add the user's profile or a permission set, then check the username.`,
  },
  {
    test: /inactive_user|inactive user|inactive_org/i,
    problem: 'bad_credentials',
    message:
      'The integration user is inactive (or frozen) in Salesforce: activate it, or connect as another integration user.',
  },
  {
    test: /INSUFFICIENT_ACCESS|INVALID_TYPE|sObject type .* is not supported/i,
    problem: 'insufficient_access',
    message:
      'The integration user cannot read Users and Roles: give it "View Setup and Configuration" (which brings "View Roles and Role Hierarchy") and "View All Users".',
  },
  {
    test: /invalid_client_id|client identifier invalid/i,
    problem: 'bad_credentials',
    message: `Salesforce does not know this ${APP}'s consumer key (client id): copy it again from Setup > External Client App Manager.`,
  },
  {
    test: /invalid_client\b|invalid client credentials/i,
    problem: 'bad_secret',
    message: `Salesforce does not accept this consumer secret: copy the ${APP}'s consumer key and secret again from Setup > External Client App Manager.`,
  },
  {
    test: /expired access\/refresh token|invalid_grant.*refresh|token.*(revoked|expired)/i,
    problem: 'bad_credentials',
    message: `The refresh token was revoked or has expired (with refresh-token rotation, a refresh token used twice revokes the session): authorize the ${APP} again and save the new token.`,
  },
  {
    test: /invalid_grant|authentication failure|invalid assertion|INVALID_SESSION_ID|unsupported_grant_type/i,
    problem: 'bad_credentials',
    message: `Salesforce rejected the credentials: check the username, the consumer key, and that the certificate uploaded to the ${APP} matches the private key.`,
  },
  {
    test: /ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|fetch failed|SERVER_UNAVAILABLE|ERROR_HTTP_50\d/i,
    problem: 'unreachable',
    message: 'Salesforce could not be reached at the login or instance URL; check the URLs (My Domain) and try again.',
  },
];

/** A refused refresh whose app wants its secret, when none was sent: say that, not "bad secret". */
export const SECRET_REQUIRED_MESSAGE = `The ${APP} requires its consumer secret for the refresh-token flow ("Require secret for Refresh Token Flow" is on by default): add the consumer secret to the connection.`;

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
  if (found.problem === 'concurrent_limit') return new ConcurrentLimitError(found.message, sfCode);
  return new SalesforceError(found.problem, found.message, sfCode);
}

/** Network failures worth a retry (connection resets and friends). */
export const RETRYABLE_NETWORK =
  /ECONNRESET|UND_ERR_SOCKET|EPIPE|socket hang up|ECONNREFUSED|ETIMEDOUT|other side closed|premature close/i;
export const RETRYABLE_STATUS = new Set([502, 503, 504]);
/** A 403 REQUEST_LIMIT_EXCEEDED for the concurrent limit: other requests finish within seconds, so retry soon. */
export const isConcurrentLimitResponse = (status: number, body: unknown) =>
  status === 403 && CONCURRENT_LIMIT.test(String(body ?? ''));
