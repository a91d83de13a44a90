import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { scoped, type OrgScope } from '../db/scoped.js';
import { insertBuiltinProfile } from '../profiles/repo.js';
import { insertCatchAllRule } from '../rules/repo.js';
import { recordAudit, SYSTEM_ACTOR } from '../shared/audit.js';
import { sha256 } from '../shared/secrets.js';
import { insertBuiltinTeam } from '../teams/write-repo.js';
import { insertFirstAdmin } from '../users/write-repo.js';
import { TOP_TEAM_NAME, UNASSIGNED_TEAM_NAME } from './builtins.js';
import { insertApiKey, insertOrg } from './repo.js';

export interface NewOrg {
  name: string;
  admin: { email: string; firstName: string; lastName: string; sfUserId?: string };
}

export interface CreatedOrg {
  orgId: string;
  apiKey: string;
  adminUserId: string;
  topTeamId: string;
  unassignedTeamId: string;
  defaultProfileId: string;
}

/** API keys are shown once; only their SHA-256 is stored (they carry 256 bits, so no slow hash is needed). */
export function newApiKey(): { key: string; hash: string; prefix: string } {
  const key = `rst_${randomBytes(32).toString('base64url')}`;
  return { key, hash: sha256(key), prefix: key.slice(0, 10) };
}

export async function issueApiKey(db: Knex | Knex.Transaction, orgId: string, name = 'default'): Promise<string> {
  const { key, hash, prefix } = newApiKey();
  await insertApiKey(scoped(db, orgId), { name, hash, prefix });
  return key;
}

/** Writes what every org starts with (builtins.ts), each through its domain's repository. */
async function insertBuiltins(
  scope: OrgScope,
): Promise<{ defaultProfileId: string; topTeamId: string; unassignedTeamId: string }> {
  const defaultProfileId = await insertBuiltinProfile(scope);
  const topTeamId = await insertBuiltinTeam(scope, 'top', TOP_TEAM_NAME);
  const unassignedTeamId = await insertBuiltinTeam(scope, 'unassigned', UNASSIGNED_TEAM_NAME);
  await insertCatchAllRule(scope, defaultProfileId);
  return { defaultProfileId, topTeamId, unassignedTeamId };
}

/** Creates an org with its built-ins (default profile, top-level team, Unassigned, catch-all rule) and first admin. */
export async function createOrg(db: Knex, input: NewOrg): Promise<CreatedOrg> {
  return db.transaction(async (trx) => {
    const orgId = await insertOrg(trx, input.name);
    const scope = scoped(trx, orgId);
    const builtins = await insertBuiltins(scope);
    const adminUserId = await insertFirstAdmin(scope, input.admin, builtins.topTeamId, builtins.defaultProfileId);
    const apiKey = await issueApiKey(trx, orgId);
    await recordAudit(scope, SYSTEM_ACTOR, { action: 'org.create', targetType: 'org', targetId: orgId, after: input });
    return { orgId, apiKey, adminUserId, ...builtins };
  });
}
