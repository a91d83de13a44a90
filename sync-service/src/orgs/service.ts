import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { scoped } from '../db/scoped.js';
import { recordAudit, SYSTEM_ACTOR } from '../shared/audit.js';
import { sha256 } from '../shared/secrets.js';
import {
  allTogglesOff,
  CATCH_ALL_RULE_NAME,
  catchAllAssignments,
  DEFAULT_PROFILE_NAME,
  TOP_TEAM_NAME,
  UNASSIGNED_TEAM_NAME,
} from './builtins.js';

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
  await scoped(db, orgId).insert('api_keys', { name, key_hash: hash, key_prefix: prefix });
  return key;
}

/** Creates an org with its built-ins (default profile, top-level team, Unassigned, catch-all rule) and first admin. */
export async function createOrg(db: Knex, input: NewOrg): Promise<CreatedOrg> {
  return db.transaction(async (trx) => {
    const [org] = await trx('orgs').insert({ name: input.name }).returning('id');
    const scope = scoped(trx, org.id);
    const [profile] = await scope
      .insert('configuration_profiles', { name: DEFAULT_PROFILE_NAME, is_builtin: true, activity: allTogglesOff() })
      .returning('id');
    const [top] = await scope.insert('teams', { name: TOP_TEAM_NAME, kind: 'top' }).returning('id');
    const [unassigned] = await scope
      .insert('teams', { name: UNASSIGNED_TEAM_NAME, kind: 'unassigned' })
      .returning('id');
    await scope.insert('user_settings_rules', {
      name: CATCH_ALL_RULE_NAME,
      description: 'Applies when no other rule matches.',
      position: 0,
      is_catch_all: true,
      filters: JSON.stringify([]),
      assignments: catchAllAssignments(profile.id),
    });
    const [admin] = await scope
      .insert('users', {
        email: input.admin.email,
        first_name: input.admin.firstName,
        last_name: input.admin.lastName,
        sf_user_id: input.admin.sfUserId ?? null,
        team_id: top.id,
        role: 'admin',
        licenses: ['foundation'],
        profile_id: profile.id,
        source: 'manual',
      })
      .returning('id');
    await scope.insert('team_memberships', { user_id: admin.id, team_id: top.id });
    const apiKey = await issueApiKey(trx, org.id);
    await recordAudit(scope, SYSTEM_ACTOR, { action: 'org.create', targetType: 'org', targetId: org.id, after: input });
    return {
      orgId: org.id,
      apiKey,
      adminUserId: admin.id,
      topTeamId: top.id,
      unassignedTeamId: unassigned.id,
      defaultProfileId: profile.id,
    };
  });
}
