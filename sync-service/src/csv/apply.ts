import type { OrgScope } from '../db/scoped.js';
import type { Actor } from '../shared/audit.js';
import { createUsers, deleteUsers, suspendUsers, updateUsers } from '../users/repo.js';
import type { ImportPlan } from './plan.js';

/** Writes a validated plan; call inside one transaction so the import lands entirely or not at all. */
export async function applyPlan(scope: OrgScope, actor: Actor, plan: ImportPlan): Promise<void> {
  if (plan.adds.length) await createUsers(scope, actor, plan.adds, 'csv');
  if (plan.edits.length) await updateUsers(scope, actor, plan.edits);
  const byReason = new Map<string, string[]>();
  for (const s of plan.suspends) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.id]);
  for (const [reason, ids] of byReason) await suspendUsers(scope, actor, ids, reason);
  if (plan.deletes.length) await deleteUsers(scope, actor, plan.deletes);
}
