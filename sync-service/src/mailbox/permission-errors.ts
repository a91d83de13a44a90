import type { OrgScope } from '../db/scoped.js';
import type { ProviderRow } from './providers.js';
import { explain, type Provider } from './reasons.js';
import { findProvider, permissionErrorPage, type PermissionErrorRow } from './repo.js';

export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** A provider's answer as the screens show it (HTTP status, its code and message, its request id), or null. */
export const providerAnswer = (
  e:
    | { httpStatus?: number | null; providerCode?: string | null; message?: string | null; requestId?: string | null }
    | null
    | undefined,
) =>
  e
    ? {
        httpStatus: e.httpStatus ?? null,
        code: e.providerCode ?? null,
        message: e.message ?? null,
        requestId: e.requestId ?? null,
      }
    : null;

/** A page of the users whose mailbox or calendar Roster cannot read, each with the reason and its fix. */
export async function permissionErrorList(scope: OrgScope, page: { limit: number; offset: number }) {
  const provider = await findProvider(scope);
  const { total, rows } = await permissionErrorPage(scope, page);
  return { total, items: rows.map((r) => errorRow(r, provider)) };
}

function errorRow(r: PermissionErrorRow, row: ProviderRow | undefined) {
  const provider: Provider = row?.provider ?? 'google';
  // A user failing on their own shows their own answer; otherwise the org-wide condition's.
  const own = (r.consecutive_failures ?? 0) > 0 && r.last_rule;
  const ruleId = own ? r.last_rule : (row?.org_condition_rule ?? r.last_rule);
  const error = own ? r.last_error : row?.org_condition_rule ? row.org_condition_detail : r.last_error;
  return {
    userId: r.id,
    email: r.email,
    since: iso(r.permission_error_since),
    reason: explain(ruleId, provider),
    lastChecked: iso(r.last_checked_at),
    provider: providerAnswer(typeof error === 'string' ? JSON.parse(error) : error),
  };
}
