import type { OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor } from '../shared/audit.js';
import { chunks } from '../shared/chunks.js';

/** A hierarchy team to create: its id is chosen by the plan, so users can be planned into it. */
export interface NewHierarchyTeam {
  id: string;
  name: string;
  parentId: string;
  /** The Salesforce record it mirrors: a role, or a manager (manager hierarchy). */
  sfRoleId?: string | null;
  sfManagerId?: string | null;
  /** What the audit's `team.create` entry records as created. */
  audited: Record<string, unknown>;
}

/**
 * Creates hierarchy teams, one statement per 5,000 (PostgreSQL checks the parent references at each statement's end,
 * so a new team may sit under another new one in the same chunk: pass them parents first), audited each.
 */
export async function createHierarchyTeams(
  scope: OrgScope,
  actor: Actor,
  teams: readonly NewHierarchyTeam[],
): Promise<void> {
  if (teams.length === 0) return;
  for (const part of chunks(teams))
    await scope.insert(
      'teams',
      part.map((t) => ({
        id: t.id,
        name: t.name,
        kind: 'hierarchy',
        parent_id: t.parentId,
        ...(t.sfRoleId !== undefined && { sf_role_id: t.sfRoleId }),
        ...(t.sfManagerId !== undefined && { sf_manager_id: t.sfManagerId }),
      })),
    );
  await recordAudit(
    scope,
    actor,
    teams.map((t) => ({ action: 'team.create', targetType: 'team', targetId: t.id, after: t.audited })),
  );
}
