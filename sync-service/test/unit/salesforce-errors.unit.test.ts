import { describe, expect, it } from 'vitest';
import { explainSalesforceError, isConcurrentLimitResponse } from '../../src/salesforce/errors.js';

// What jsforce throws for a REST error body `[{"message","errorCode"}]`: the code as name and errorCode.
const restError = (errorCode: string, message: string) =>
  Object.assign(new Error(message), { name: errorCode, errorCode });
const body = (errorCode: string, message: string) => JSON.stringify([{ message, errorCode }]);

describe('Salesforce’s concurrent request limits', () => {
  it.each([
    'ConcurrentPerOrgLongTxn Limit exceeded.',
    'ConcurrentRequests (Concurrent API Requests) Limit exceeded.',
    'ConcurrentPerOrgApex Limit exceeded.',
  ])('are told from the daily allowance by the message "%s", and retried', (message) => {
    expect(explainSalesforceError(restError('REQUEST_LIMIT_EXCEEDED', message)).problem).toBe('concurrent_limit');
    expect(isConcurrentLimitResponse(403, body('REQUEST_LIMIT_EXCEEDED', message))).toBe(true);
  });

  it('leave the daily allowance’s "TotalRequests Limit exceeded." as the daily limit, not retried', () => {
    const daily = restError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    expect(explainSalesforceError(daily).problem).toBe('limit_exceeded');
    expect(isConcurrentLimitResponse(403, body('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'))).toBe(false);
  });

  it('are not an error that merely says concurrent: a field, a record or another refusal is what it is', () => {
    const field = restError('INVALID_FIELD', "No such column 'Concurrent_Licenses__c' on entity 'User'.");
    expect(explainSalesforceError(field)).toMatchObject({ problem: 'query_failed' });
    expect(explainSalesforceError(field).message).toContain('Concurrent_Licenses__c');
    const locked = restError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access: concurrent update');
    expect(explainSalesforceError(locked).problem).toBe('query_failed');
    const streaming = new Error('403::Organization concurrent user limit exceeded');
    expect(explainSalesforceError(streaming).problem).not.toBe('concurrent_limit');
    // A daily refusal whose body also names a ConcurrentRequests__c field is still the daily limit.
    const daily = `${body('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')} ConcurrentRequests__c concurrent`;
    expect(isConcurrentLimitResponse(403, daily)).toBe(false);
    expect(isConcurrentLimitResponse(400, body('INVALID_FIELD', 'ConcurrentRequests Limit exceeded.'))).toBe(false);
  });
});
