import type { OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor, type AuditEntry } from '../shared/audit.js';
import { chunks } from '../shared/chunks.js';
import { touchManagers } from '../teams/managers.js';
import type { License, Role, Visibility } from './vocabulary.js';

// What assigning settings writes: the rules' assignments (re-apply) and a profile put on many users.

/** What the assignment rules give one user, with the rule that decided and what changed (for the audit). */
export interface RuleAssignment {
  id: string;
  profileId: string;
  role: Role;
  objectVisibility: Visibility;
  licenses: License[];
  ruleId: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  roleChanged: boolean;
}

/**
 * Writes what the rules assign many users, one statement per chunk, audited as `user.rules_reapplied` each (then
 * `summary`, if given); re-derives the managers of the teams whose people changed role.
 */
export async function assignFromRules(
  scope: OrgScope,
  actor: Actor,
  assignments: readonly RuleAssignment[],
  summary?: AuditEntry,
): Promise<void> {
  const teamOf = new Map<string, string | null>();
  for (const part of chunks(assignments)) {
    const records = part.map((a) => ({
      id: a.id,
      profile_id: a.profileId,
      role: a.role,
      object_visibility: a.objectVisibility,
      licenses: a.licenses,
      rule_id: a.ruleId,
    }));
    const { rows } = await scope.db.raw(
      `UPDATE users u SET profile_id = v.profile_id, role = v.role, object_visibility = v.object_visibility,
         licenses = v.licenses, rule_id = v.rule_id, updated_at = now()
       FROM jsonb_to_recordset(?::jsonb) AS v(id uuid, profile_id uuid, role text, object_visibility text,
         licenses text[], rule_id uuid)
       WHERE u.org_id = ? AND u.id = v.id
       RETURNING u.id, u.team_id`,
      [JSON.stringify(records), scope.orgId],
    );
    for (const r of rows as { id: string; team_id: string | null }[]) teamOf.set(r.id, r.team_id);
  }
  await recordAudit(scope, actor, [
    ...assignments.map((a) => ({
      action: 'user.rules_reapplied',
      targetType: 'user',
      targetId: a.id,
      before: a.before,
      after: a.after,
    })),
    ...(summary ? [summary] : []),
  ]);
  // A team's derived manager is its Manager-role member: a role change can hand the team to someone else.
  await touchManagers(
    scope,
    assignments.filter((a) => a.roleChanged).map((a) => teamOf.get(a.id)),
    actor,
  );
}

/** Puts users on a configuration profile; `users` carry the profile each had, for the audit. */
export async function assignProfile(
  scope: OrgScope,
  actor: Actor,
  users: readonly { id: string; profile_id: string }[],
  profileId: string,
): Promise<void> {
  for (const part of chunks(users)) {
    await scope
      .table('users')
      .whereIn(
        'id',
        part.map((u) => u.id),
      )
      .update({ profile_id: profileId, updated_at: scope.db.fn.now() });
  }
  await recordAudit(
    scope,
    actor,
    users.map((u) => ({
      action: 'user.profile_assign',
      targetType: 'user',
      targetId: u.id,
      before: { profileId: u.profile_id },
      after: { profileId },
    })),
  );
}
