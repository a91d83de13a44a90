import { describe, expect, it } from 'vitest';
import { refusedCondition, salesforceReason } from '../../src/matching/eligible-counts.js';

// Salesforce echoes the query before its reason; the admin is shown the condition, never the SOQL.
const REFUSED =
  "\nSELECT COUNT() FROM Account WHERE (Tier__c = 'Gold')\n                                   ^\nERROR at Row:1:Column:36\nNo such column 'Tier__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.";

describe('a refused eligibility query', () => {
  it('is reported on the condition whose field Salesforce named', () => {
    const err = refusedCondition(
      'Account',
      [
        { id: 'g1', name: 'Partners', conditions: [{ field: 'Type', operator: 'equals', value: 'Partner' }] },
        {
          id: 'g2',
          name: 'Gold',
          conditions: [
            { field: 'Type', operator: 'is_empty' },
            { field: 'tier__c', operator: 'equals', value: 'Gold' },
          ],
        },
      ],
      REFUSED,
    );
    expect(err.message).toBe(
      'The Account group "Gold", condition 2: Account no longer has the field "tier__c"; edit or remove the condition.',
    );
    expect(err.details).toEqual({ objectType: 'Account', groupId: 'g2', conditionIndex: 1, field: 'tier__c' });
  });

  it("otherwise gives Salesforce's reason without the query", () => {
    const err = refusedCondition('Lead', [], REFUSED);
    expect(err.message).not.toContain('SELECT');
    expect(err.message).toContain("No such column 'Tier__c' on entity 'Account'");
    expect(salesforceReason(undefined)).toBe('Salesforce refused the query.');
  });
});
