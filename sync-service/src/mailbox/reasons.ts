/**
 * What each provider answer means, as data (../shared/mailbox-errors.md): the first rule that matches an
 * observation decides its class and reason code; the reason table words it for the admin.
 */
export type Provider = 'google' | 'microsoft';
export type OutcomeClass = 'ok' | 'hard' | 'transient' | 'org' | 'internal';
export type ReasonCode =
  | 'provider_not_authorized'
  | 'user_out_of_scope'
  | 'mailbox_unavailable'
  | 'user_unknown'
  | 'credentials_invalid'
  | 'throttled'
  | 'provider_outage'
  | 'internal_error';

export const REASON_CODES = [
  'provider_not_authorized',
  'user_out_of_scope',
  'mailbox_unavailable',
  'user_unknown',
  'credentials_invalid',
  'throttled',
  'provider_outage',
  'internal_error',
] as const satisfies readonly ReasonCode[];

/** The plain-language reason shown beside a user; the fix comes from the rule that matched. */
export const reasons: Record<ReasonCode, { label: string; reason: string; userError: boolean }> = {
  provider_not_authorized: {
    label: 'Provider not authorized',
    reason: 'Roster is not authorized to read mail and calendars in your tenant.',
    userError: true,
  },
  user_out_of_scope: {
    label: 'Outside the authorized group',
    reason: "This mailbox is outside the group or scope Roster's app may read.",
    userError: true,
  },
  mailbox_unavailable: {
    label: 'Mailbox missing or unlicensed',
    reason: 'The user has no mailbox or calendar Roster can read (not licensed, or the service is off).',
    userError: true,
  },
  user_unknown: {
    label: 'Unknown or suspended user',
    reason: 'The mailbox provider does not know this user as an active user.',
    userError: true,
  },
  credentials_invalid: {
    label: 'Credentials invalid',
    reason: "The provider rejected Roster's credentials for your tenant.",
    userError: true,
  },
  throttled: {
    label: 'Throttled',
    reason: 'The provider asked Roster to slow down. Not a user error.',
    userError: false,
  },
  provider_outage: {
    label: 'Provider not responding',
    reason: 'The provider is not responding. Not a user error.',
    userError: false,
  },
  internal_error: {
    label: 'Roster error',
    reason: 'Roster made a mistake probing this mailbox; our operators are alerted.',
    userError: false,
  },
};

/** Shown beside every Microsoft 365 fix: changes there propagate slowly. */
export const MICROSOFT_PROPAGATION_NOTE = 'Microsoft 365 changes can take up to 24 hours to take effect.';

/** Where in the probe the answer came from: the token grant or an API call. */
export type Stage = 'token' | 'api' | 'network';

/** One probe's raw answer, kept verbatim with the result. */
export interface Observation {
  stage: Stage;
  httpStatus: number | null;
  providerCode: string | null;
  message: string | null;
  requestId?: string | null;
  retryAfterSeconds?: number | null;
  /** The whole request failed (a throttled or failed `$batch`), not one mailbox. */
  wholeRequest?: boolean;
}

export interface Rule {
  id: string;
  provider: Provider;
  stage: Stage;
  status?: number[];
  code?: RegExp;
  message?: RegExp;
  class: Exclude<OutcomeClass, 'ok'>;
  /** Microsoft's generic access denial is an org problem when every probed user gets it, else the user's. */
  orgWhenAll?: boolean;
  reason: ReasonCode;
  fix: string;
  /** How long the fix takes to show, said beside it. */
  propagation?: string;
}

const googleDelegationFix =
  'In Google Admin > Security > Access and data control > API controls > Manage Domain Wide Delegation, add the numeric client ID (not the email) with exactly the listed scopes.';
const graphCredentialsFix =
  'Create a new client secret in Entra > App registrations > Certificates & secrets and paste its value (not its id) here.';

export const rules: Rule[] = [
  // Google token endpoint ({"error","error_description"}).
  {
    id: 'google.token.unauthorized_client',
    provider: 'google',
    stage: 'token',
    code: /^unauthorized_client$/,
    class: 'org',
    reason: 'provider_not_authorized',
    fix: googleDelegationFix,
    propagation: 'Delegation changes can take up to 24 hours.',
  },
  {
    id: 'google.token.access_denied',
    provider: 'google',
    stage: 'token',
    code: /^access_denied$/,
    class: 'org',
    reason: 'provider_not_authorized',
    fix: `${googleDelegationFix} Also check that App access control does not block the app.`,
    propagation: 'Delegation changes can take up to 24 hours.',
  },
  {
    id: 'google.token.deleted',
    provider: 'google',
    stage: 'token',
    code: /^invalid_grant$/,
    message: /account has been deleted/i,
    class: 'hard',
    reason: 'user_unknown',
    fix: 'Deleted in Google Workspace: remove or suspend the user here.',
  },
  {
    id: 'google.token.suspended',
    provider: 'google',
    stage: 'token',
    code: /^invalid_grant$/,
    message: /suspended|disabled/i,
    class: 'hard',
    reason: 'user_unknown',
    fix: 'Suspended in Google Workspace: restore the account there, or suspend the user here.',
  },
  {
    id: 'google.token.unknown_user',
    provider: 'google',
    stage: 'token',
    code: /^(invalid_grant|invalid_request)$/,
    message: /invalid email or user id|not a valid email|impersonation/i,
    class: 'hard',
    reason: 'user_unknown',
    fix: 'Not an active Google Workspace user in your domain: check the address.',
  },
  {
    id: 'google.token.key_gone',
    provider: 'google',
    stage: 'token',
    code: /^invalid_grant$/,
    message: /no valid verifier|account not found/i,
    class: 'org',
    reason: 'credentials_invalid',
    fix: 'The service-account key or account was deleted or rotated: upload a new key.',
  },
  {
    id: 'google.token.clock_skew',
    provider: 'google',
    stage: 'token',
    code: /^invalid_grant$/,
    message: /short-lived token|iat|exp/i,
    class: 'internal',
    reason: 'internal_error',
    fix: 'Nothing to do: Roster is fixing its clock.',
  },
  {
    id: 'google.token.invalid_client',
    provider: 'google',
    stage: 'token',
    code: /^invalid_client$/,
    class: 'org',
    reason: 'credentials_invalid',
    fix: 'Re-upload the service-account key and check it is enabled.',
  },
  // Google APIs ({"error":{"code","message","errors":[{"reason"}],"status"}}).
  {
    id: 'google.api.access_not_configured',
    provider: 'google',
    stage: 'api',
    code: /^accessNotConfigured$/,
    class: 'org',
    reason: 'provider_not_authorized',
    fix: 'Enable the Gmail API and the Google Calendar API in the Cloud project of the service account.',
  },
  {
    id: 'google.api.domain_policy',
    provider: 'google',
    stage: 'api',
    code: /^domainPolicy$/,
    class: 'org',
    reason: 'provider_not_authorized',
    fix: 'Your domain blocks the app: mark it Trusted in Google Admin > App access control.',
  },
  {
    id: 'google.api.mail_off',
    provider: 'google',
    stage: 'api',
    code: /^failedPrecondition$/,
    class: 'hard',
    reason: 'mailbox_unavailable',
    fix: 'Gmail is off for this user or they have no licence: turn it on for their OU or group.',
    propagation: 'Usually minutes, up to 24 hours.',
  },
  {
    id: 'google.api.calendar_off',
    provider: 'google',
    stage: 'api',
    code: /^notACalendarUser$/,
    class: 'hard',
    reason: 'mailbox_unavailable',
    fix: 'Google Calendar is off for this user: turn it on for their OU or group.',
    propagation: 'Usually minutes, up to 24 hours.',
  },
  {
    id: 'google.api.auth_error',
    provider: 'google',
    stage: 'api',
    status: [401],
    class: 'org',
    reason: 'credentials_invalid',
    fix: 'Re-upload the service-account key and check it is enabled.',
  },
  {
    id: 'google.api.throttled',
    provider: 'google',
    stage: 'api',
    code: /^(userRateLimitExceeded|rateLimitExceeded|usageLimits|quotaExceeded)$/,
    class: 'transient',
    reason: 'throttled',
    fix: 'Not a user error; Roster retries.',
  },
  {
    id: 'google.api.throttled_429',
    provider: 'google',
    stage: 'api',
    status: [429],
    class: 'transient',
    reason: 'throttled',
    fix: 'Not a user error; Roster retries.',
  },
  {
    id: 'google.token.throttled',
    provider: 'google',
    stage: 'token',
    status: [429],
    class: 'transient',
    reason: 'throttled',
    fix: 'Not a user error; Roster retries.',
  },
  {
    id: 'google.outage',
    provider: 'google',
    stage: 'api',
    status: [500, 502, 503, 504],
    class: 'transient',
    reason: 'provider_outage',
    fix: 'Google is not responding; Roster retries.',
  },
  {
    id: 'google.token.outage',
    provider: 'google',
    stage: 'token',
    status: [500, 502, 503, 504],
    class: 'transient',
    reason: 'provider_outage',
    fix: 'Google is not responding; Roster retries.',
  },
  {
    id: 'google.network',
    provider: 'google',
    stage: 'network',
    class: 'transient',
    reason: 'provider_outage',
    fix: 'Google is not reachable; Roster retries.',
  },
  // Microsoft identity platform token endpoint (AADSTS codes in error_description).
  {
    id: 'microsoft.token.bad_secret',
    provider: 'microsoft',
    stage: 'token',
    message: /AADSTS(7000215|7000222|700027|7000216)\b/,
    class: 'org',
    reason: 'credentials_invalid',
    fix: graphCredentialsFix,
  },
  {
    id: 'microsoft.token.not_consented',
    provider: 'microsoft',
    stage: 'token',
    message: /AADSTS(700016|650051|65001)\b/,
    class: 'org',
    reason: 'provider_not_authorized',
    fix: 'The app is not consented in this tenant: grant admin consent in Entra, or check the tenant id.',
  },
  {
    id: 'microsoft.token.unknown_tenant',
    provider: 'microsoft',
    stage: 'token',
    message: /AADSTS(90002|900023)\b/,
    class: 'org',
    reason: 'credentials_invalid',
    fix: 'The tenant id is not right: copy the Directory (tenant) ID from Entra > Overview.',
  },
  {
    id: 'microsoft.token.throttled',
    provider: 'microsoft',
    stage: 'token',
    status: [429],
    class: 'transient',
    reason: 'throttled',
    fix: 'Not a user error; Roster retries after the time asked.',
  },
  {
    id: 'microsoft.token.outage',
    provider: 'microsoft',
    stage: 'token',
    status: [500, 502, 503, 504],
    class: 'transient',
    reason: 'provider_outage',
    fix: 'Microsoft 365 is not responding; Roster retries.',
  },
  {
    id: 'microsoft.token.invalid_client',
    provider: 'microsoft',
    stage: 'token',
    code: /^(invalid_client|unauthorized_client)$/,
    class: 'org',
    reason: 'credentials_invalid',
    fix: graphCredentialsFix,
  },
  // Microsoft Graph ({"error":{"code","message","innerError":{"request-id"}}}).
  {
    id: 'microsoft.api.access_policy',
    provider: 'microsoft',
    stage: 'api',
    status: [403],
    code: /^ErrorAccessDenied$/,
    message: /OData is disabled|AccessPolicy|RAOP/i,
    class: 'hard',
    reason: 'user_out_of_scope',
    fix: "The mailbox is outside the app's Exchange application access policy: add the user to its mail-enabled security group (check with Test-ApplicationAccessPolicy).",
    propagation: 'Takes over 1 hour, up to 24 hours.',
  },
  {
    id: 'microsoft.api.rbac_scope',
    provider: 'microsoft',
    stage: 'api',
    status: [403],
    message: /management scope|RBAC|ServicePrincipal/i,
    class: 'hard',
    reason: 'user_out_of_scope',
    fix: "Add the user to the app's management scope (RBAC for Applications); check with Test-ServicePrincipalAuthorization.",
    propagation: 'Takes 30 minutes to 2 hours, up to 24 hours.',
  },
  {
    id: 'microsoft.api.access_denied',
    provider: 'microsoft',
    stage: 'api',
    status: [403],
    code: /^(ErrorAccessDenied|Authorization_RequestDenied|AccessDenied)$/,
    class: 'hard',
    orgWhenAll: true,
    reason: 'provider_not_authorized',
    fix: "Grant the application permissions Mail.Read (or Mail.ReadBasic.All) and Calendars.Read and click Grant admin consent; with RBAC for Applications, add the user to the app's scope.",
  },
  {
    id: 'microsoft.api.no_mailbox',
    provider: 'microsoft',
    stage: 'api',
    status: [404],
    code: /^(MailboxNotEnabledForRESTAPI|MailboxNotSupportedForRESTAPI|ResourceNotFound)$/,
    class: 'hard',
    reason: 'mailbox_unavailable',
    fix: 'No Exchange Online mailbox (no licence, on-premises, guest or soft-deleted): assign a licence or migrate the mailbox.',
  },
  {
    id: 'microsoft.api.invalid_user',
    provider: 'microsoft',
    stage: 'api',
    status: [404],
    code: /^(ErrorInvalidUser|Request_ResourceNotFound)$/,
    class: 'hard',
    reason: 'user_unknown',
    fix: 'No such user in the tenant, or it is a distribution list: check the address.',
  },
  {
    id: 'microsoft.api.bad_token',
    provider: 'microsoft',
    stage: 'api',
    status: [401],
    class: 'org',
    reason: 'credentials_invalid',
    fix: 'Re-enter the app credentials and check the tenant id.',
  },
  {
    id: 'microsoft.api.throttled',
    provider: 'microsoft',
    stage: 'api',
    status: [429],
    class: 'transient',
    reason: 'throttled',
    fix: 'Not a user error; Roster retries after the time asked.',
  },
  {
    id: 'microsoft.outage',
    provider: 'microsoft',
    stage: 'api',
    status: [500, 502, 503, 504],
    class: 'transient',
    reason: 'provider_outage',
    fix: 'Microsoft 365 is not responding; Roster retries.',
  },
  {
    id: 'microsoft.network',
    provider: 'microsoft',
    stage: 'network',
    class: 'transient',
    reason: 'provider_outage',
    fix: 'Microsoft 365 is not reachable; Roster retries.',
  },
];

const fallback = (provider: Provider): Rule => ({
  id: `${provider}.unrecognised`,
  provider,
  stage: 'api',
  class: 'internal',
  reason: 'internal_error',
  fix: 'Roster did not recognise this answer; our operators are alerted. Test access again later.',
});

export const ruleById = new Map(rules.map((r) => [r.id, r]));

/** The rule for an observation: the first whose provider, stage, status, code and message all match. */
export function classify(provider: Provider, o: Observation): Rule {
  const found = rules.find(
    (r) =>
      r.provider === provider &&
      r.stage === o.stage &&
      (!r.status || (o.httpStatus !== null && r.status.includes(o.httpStatus))) &&
      (!r.code || r.code.test(o.providerCode ?? '')) &&
      (!r.message || r.message.test(o.message ?? '')),
  );
  return found ?? fallback(provider);
}

/** What the admin reads: reason, fix, and how long the fix takes (Microsoft fixes always carry the 24-hour note). */
export function explain(ruleId: string | null, provider: Provider) {
  const rule = (ruleId && ruleById.get(ruleId)) || fallback(provider);
  const note =
    provider === 'microsoft'
      ? rule.propagation
        ? `${rule.propagation} ${MICROSOFT_PROPAGATION_NOTE}`
        : MICROSOFT_PROPAGATION_NOTE
      : (rule.propagation ?? null);
  return {
    code: rule.reason,
    label: reasons[rule.reason].label,
    reason: reasons[rule.reason].reason,
    fix: rule.fix,
    propagation: rule.reason === 'throttled' || rule.reason === 'provider_outage' ? null : note,
  };
}
