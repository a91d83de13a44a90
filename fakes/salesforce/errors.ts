/** An error Salesforce answers with `[{"message","errorCode"}]` and this status. */
export class SfError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
  body(): string {
    return JSON.stringify([{ message: this.message, errorCode: this.errorCode }]);
  }
}

/** An OAuth endpoint error: `{"error","error_description"}`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
  body(): string {
    return JSON.stringify({ error: this.error, error_description: this.message });
  }
}

/** The status Salesforce uses for each error code the fake can produce. */
export const STATUS_BY_CODE: Record<string, number> = {
  INVALID_SESSION_ID: 401,
  REQUEST_LIMIT_EXCEEDED: 403,
  API_DISABLED_FOR_ORG: 403,
  API_CURRENTLY_DISABLED: 403,
  INSUFFICIENT_ACCESS: 403,
  INVALID_QUERY_LOCATOR: 400,
  MALFORMED_QUERY: 400,
  INVALID_FIELD: 400,
  INVALID_TYPE: 400,
  INVALID_QUERY_FILTER_OPERATOR: 400,
  INVALID_REPLICATION_DATE: 400,
  NUMBER_OUTSIDE_VALID_RANGE: 400,
  JSON_PARSER_ERROR: 400,
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  SERVER_UNAVAILABLE: 503,
  UNKNOWN_EXCEPTION: 500,
};

export const MESSAGES: Record<string, string> = {
  INVALID_SESSION_ID: 'Session expired or invalid',
  REQUEST_LIMIT_EXCEEDED: 'TotalRequests Limit exceeded.',
  /** The same code, for the org's concurrent long-running request limit (25 requests of 20 s or more). */
  CONCURRENT_LIMIT_EXCEEDED: 'ConcurrentPerOrgLongTxn Limit exceeded.',
  API_DISABLED_FOR_ORG: 'The REST API is not enabled for this Organization.',
  API_CURRENTLY_DISABLED: 'API is disabled for this User',
  SERVER_UNAVAILABLE: 'Server temporarily unavailable. Please try again later.',
  INVALID_QUERY_LOCATOR: 'invalid query locator',
  NOT_FOUND: 'The requested resource does not exist',
  UNKNOWN_EXCEPTION:
    'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
};

export const sfError = (errorCode: string, message?: string, status?: number) =>
  new SfError(status ?? STATUS_BY_CODE[errorCode] ?? 400, errorCode, message ?? MESSAGES[errorCode] ?? errorCode);
