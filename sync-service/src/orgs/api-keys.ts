import type { Knex } from 'knex';
import { inOrgTransaction, scoped } from '../db/scoped.js';
import { recordAudit, SYSTEM_ACTOR } from '../shared/audit.js';
import { NotFoundError } from '../shared/errors.js';
import { findOrg, listApiKeyRows, revokeApiKeyRows, type ApiKeyRow } from './repo.js';
import { issueApiKey } from './service.js';

/**
 * An org's API keys for its operators: a second key can be issued beside the first, the Named Credential moved to
 * it, then the old one revoked (a leaked key likewise); every replica stops accepting a revoked key at its commit.
 */

async function requireOrg(db: Knex, orgId: string): Promise<void> {
  if (!(await findOrg(db, orgId))) throw new NotFoundError('Org', orgId);
}

export async function listApiKeys(db: Knex, orgId: string): Promise<ApiKeyRow[]> {
  await requireOrg(db, orgId);
  return listApiKeyRows(scoped(db, orgId));
}

/** A new key (shown this once) beside the org's others. */
export async function issueAnotherApiKey(db: Knex, orgId: string, name: string): Promise<string> {
  await requireOrg(db, orgId);
  return inOrgTransaction(db, orgId, async (scope) => {
    const key = await issueApiKey(scope.db, orgId, name);
    await recordAudit(scope, SYSTEM_ACTOR, {
      action: 'api_key.issue',
      targetType: 'api_key',
      after: { name, prefix: key.slice(0, 10) },
    });
    return key;
  });
}

/** Revokes the org's live keys with this prefix; returns how many. */
export async function revokeApiKey(db: Knex, orgId: string, prefix: string): Promise<number> {
  await requireOrg(db, orgId);
  return inOrgTransaction(db, orgId, async (scope) => {
    const revoked = await revokeApiKeyRows(scope, prefix);
    for (const key of revoked) {
      await recordAudit(scope, SYSTEM_ACTOR, {
        action: 'api_key.revoke',
        targetType: 'api_key',
        targetId: key.id,
        before: { prefix },
      });
    }
    return revoked.length;
  });
}
