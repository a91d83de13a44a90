import { auditEntriesNaming, rewriteAuditEntry } from '../audit/repo.js';
import { scrubImportResults } from '../csv/repo.js';
import type { OrgScope } from '../db/scoped.js';
import { chunks } from '../shared/chunks.js';
import { scrubApprovalPlans } from '../sync/repo.js';

/** Keys that carry a person's identity in audit entries about them. */
const PERSONAL_KEYS = ['email', 'firstName', 'lastName', 'name', 'jobTitle'];
export const FORGOTTEN = '[deleted user]';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function scrub(value: unknown, emails: RegExp, personal: boolean): unknown {
  if (typeof value === 'string') return value.replace(emails, FORGOTTEN);
  if (Array.isArray(value)) return value.map((v) => scrub(v, emails, personal));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (personal && PERSONAL_KEYS.includes(k)) continue;
      out[k] = scrub(v, emails, personal);
    }
    return out;
  }
  return value;
}

const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/**
 * Deleting a user "permanently removes their past data": what Roster keeps about them beyond their row goes too.
 * Audit entries about them lose their name and email (the entry itself, who did what to which id and when, stays);
 * any other entry, paused sync plan or CSV import result that names their email shows "[deleted user]" instead.
 * (The Salesforce mirror is Salesforce's copy of its own users, not Roster's data, and stays.)
 * Call in the deleting transaction, before or after the rows are deleted.
 */
export async function forgetUsers(scope: OrgScope, users: readonly { id: string; email: string }[]): Promise<void> {
  for (const part of chunks(users, 500)) {
    const ids = new Set(part.map((u) => u.id));
    // Whole addresses only: deleting a@x.com must not touch ba@x.com.
    const patterns = part.map((u) => `(?<![A-Za-z0-9._%+-])${escapeRegExp(u.email)}(?![A-Za-z0-9-])`);
    const emails = new RegExp(patterns.join('|'), 'gi');
    const array = `{${patterns.map((p) => JSON.stringify(p)).join(',')}}`;
    for (const r of await auditEntriesNaming(scope, [...ids], array)) {
      const personal = r.target_type === 'user' && r.target_id !== null && ids.has(r.target_id);
      const before = r.before === null ? null : JSON.stringify(scrub(parse(r.before), emails, personal));
      const after = r.after === null ? null : JSON.stringify(scrub(parse(r.after), emails, personal));
      await rewriteAuditEntry(scope, r.id, { before, after });
    }
    // Besides the audit log, what can name a deleted user's email: paused sync plans and CSV import results.
    await scrubApprovalPlans(scope, array, (plan) => scrub(parse(plan), emails, false));
    await scrubImportResults(scope, array, (csv) => csv.replace(emails, FORGOTTEN));
  }
}
