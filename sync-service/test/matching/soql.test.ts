import { parseQuery } from '@jetstreamapp/soql-parser-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Condition, CONTROL_CHARS } from '../../src/matching/conditions.js';
import {
  compileCondition,
  compileEligibilityWhere,
  eligibilityCountQuery,
  escapeSoqlString,
} from '../../src/matching/soql.js';

// Reads a SOQL string literal back the way Salesforce does, so a test can compare it with what the admin typed.
const unescape = (literal: string) =>
  literal
    .slice(1, -1)
    .replace(/\\(.)/g, (_m, ch: string) => ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' })[ch] ?? ch);

/** Parses the query and returns the conditions of its WHERE clause as a flat list with the joining operators. */
function whereOf(where: string) {
  const parsed = parseQuery(`SELECT COUNT() FROM Account WHERE ${where}`) as any;
  const out: { field: string; operator: string; value: unknown }[] = [];
  const joins: string[] = [];
  for (let node = parsed.where; node; node = node.right) {
    out.push({ field: node.left.field, operator: node.left.operator, value: node.left.value });
    if (node.operator) joins.push(node.operator);
  }
  return { conditions: out, joins };
}

const printable = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !CONTROL_CHARS.test(s));
const nasty = fc.oneof(
  printable,
  fc.constantFrom(
    "' OR Name != '",
    "\\' OR Id != null OR Name = \\'",
    'x\\',
    "\\\\'",
    "') OR (Id != null",
    '" OR ""="',
    "%' OR Name LIKE '%",
    'AND Id != null',
    'x\nOR Id != null',
    "O'Brien & Sons",
  ),
  fc
    .array(fc.constantFrom("'", '\\', '"', ' OR ', ' AND ', ')', '(', '%', '_', 'Id', '!=', 'null', '\n', '\t'), {
      maxLength: 12,
    })
    .map((parts) => parts.join('')),
);

describe('SOQL string escaping', () => {
  it.each([
    ["O'Brien", "O\\'Brien"],
    ['back\\slash', 'back\\\\slash'],
    ["\\'", "\\\\\\'"],
    ['say "hi"', 'say \\"hi\\"'],
    ['line\nbreak', 'line\\nbreak'],
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeSoqlString(input)).toBe(expected);
  });

  it('keeps any value, however hostile, a single literal of a single condition', () => {
    fc.assert(
      fc.property(nasty, (value) => {
        const { conditions, joins } = whereOf(compileCondition({ field: 'Name', operator: 'equals', value }));
        expect(joins).toEqual([]);
        expect(conditions).toHaveLength(1);
        expect(conditions[0]?.field).toBe('Name');
        expect(unescape(conditions[0]?.value as string)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every value of an IN list its own literal', () => {
    fc.assert(
      fc.property(fc.array(nasty, { minLength: 1, maxLength: 5 }), (values) => {
        const { conditions } = whereOf(compileCondition({ field: 'Type', operator: 'in', value: values }));
        expect(conditions).toHaveLength(1);
        expect((conditions[0]?.value as string[]).map(unescape)).toEqual(values);
      }),
    );
  });

  it('matches a Contains value literally, wildcards included', () => {
    fc.assert(
      fc.property(nasty, (value) => {
        const { conditions } = whereOf(compileCondition({ field: 'Name', operator: 'contains', value }));
        expect(conditions).toHaveLength(1);
        expect(conditions[0]?.operator).toBe('LIKE');
        const pattern = (conditions[0]?.value as string).slice(1, -1);
        // Unescaped wildcards are only the two that wrap the value.
        expect(pattern.replace(/\\./g, '').replace(/[^%_]/g, '')).toBe('%%');
        expect(unescape(`'${pattern.slice(1, -1)}'`)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('writes numbers, booleans and dates as SOQL literals, not strings', () => {
    expect(compileCondition({ field: 'AnnualRevenue', operator: 'greater_than', value: 1000000 })).toBe(
      'AnnualRevenue > 1000000',
    );
    expect(compileCondition({ field: 'IsClosed', operator: 'equals', value: false })).toBe('IsClosed = FALSE');
    expect(compileCondition({ field: 'CloseDate', operator: 'less_than', value: { date: '2026-12-31' } })).toBe(
      'CloseDate < 2026-12-31',
    );
    expect(
      compileCondition({ field: 'CreatedDate', operator: 'greater_than', value: { dateTime: '2026-01-01T00:00:00Z' } }),
    ).toBe('CreatedDate > 2026-01-01T00:00:00Z');
    expect(compileCondition({ field: 'Industry', operator: 'is_empty' })).toBe('Industry = null');
  });

  it.each(['a\u0000b', 'line\u2028separator', 'para\u2029graph', 'bell\u0007'])(
    'refuses control characters and line separators such as %j',
    (value) => {
      expect(Condition.safeParse({ field: 'Name', operator: 'equals', value }).success).toBe(false);
      expect(() => compileCondition({ field: 'Name', operator: 'equals', value })).toThrow(/control characters/);
    },
  );

  it('refuses a date literal that is not a date rather than writing it raw', () => {
    expect(() =>
      compileCondition({ field: 'CloseDate', operator: 'less_than', value: { date: '2026-01-01 OR Id != null' } }),
    ).toThrow(/Unsupported/);
  });
});

describe('SOQL field names', () => {
  it.each(['Name', 'Partner__c', 'ns__Score__c', 'Owner.Name', 'Account.Owner.Email'])('accepts %s', (field) => {
    expect(Condition.safeParse({ field, operator: 'is_empty' }).success).toBe(true);
  });

  it.each(["Name'", 'Name OR Id', 'Name)', '1Name', 'Name--', 'WHERE', 'Owner.NULL', '', 'Name = null OR Id'])(
    'refuses %j before it reaches a query',
    (field) => {
      expect(Condition.safeParse({ field, operator: 'is_empty' }).success).toBe(false);
      expect(() => compileCondition({ field, operator: 'is_empty' })).toThrow(/not a Salesforce field name/);
    },
  );
});

describe('eligibility groups as SOQL', () => {
  it('joins conditions of a group with AND and groups with OR, each group parenthesised', () => {
    const where = compileEligibilityWhere([
      {
        conditions: [
          { field: 'Type', operator: 'equals', value: "Partner' OR Id != null OR Type = '" },
          { field: 'Industry', operator: 'in', value: ['Retail', 'Banking'] },
        ],
      },
      { conditions: [{ field: 'Owner.Name', operator: 'contains', value: 'smith' }] },
    ]);
    expect(where).toBe(
      `(Type = 'Partner\\' OR Id != null OR Type = \\'' AND Industry IN ('Retail', 'Banking')) OR (Owner.Name LIKE '%smith%')`,
    );
    const { conditions, joins } = whereOf(where);
    expect(conditions.map((c) => c.field)).toEqual(['Type', 'Industry', 'Owner.Name']);
    expect(joins).toEqual(['AND', 'OR']);
  });

  it('counts every record when no group was ever defined, and asks nothing when none are eligible', () => {
    expect(eligibilityCountQuery('Lead', { state: 'all', groups: [] })).toBe('SELECT COUNT() FROM Lead');
    expect(eligibilityCountQuery('Lead', { state: 'none', groups: [] })).toBeNull();
    expect(
      eligibilityCountQuery('Opportunity', {
        state: 'filtered',
        groups: [{ conditions: [{ field: 'StageName', operator: 'not_equals', value: 'Closed Lost' }] }],
      }),
    ).toBe("SELECT COUNT() FROM Opportunity WHERE (StageName != 'Closed Lost')");
  });

  it('refuses an object type outside the three', () => {
    expect(() => eligibilityCountQuery('User; DELETE' as never, { state: 'all', groups: [] })).toThrow(
      /Unknown object type/,
    );
  });
});
