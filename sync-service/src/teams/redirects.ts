import type { OrgScope } from '../db/scoped.js';
import { AppError } from '../shared/errors.js';
import { recordAudit, type Actor, type AuditEntry } from '../shared/audit.js';
import { findRedirectWithTarget, settleRedirect } from './redirects-repo.js';
import { headcountByTeam } from '../users/team-members-repo.js';
import { teamNamesAndKinds } from './repo.js';

/** Where a replaced team's people (or, with none, its id) could sensibly point, for the admin to choose. */
export interface TeamChoice {
  id: string;
  name: string;
  people: number;
}

export interface ReplacedTeamInfo {
  id: string;
  name: string;
  members: string[];
  /** Teams an old id could mean besides where its people went: a same-named new team, the nearest ancestor. */
  alternatives: string[];
}

/** 410: the team id is no longer a team; the details say which team took over, or which teams could. */
export class TeamReplacedError extends AppError {
  constructor(id: string, name: string | null, replacedBy: { id: string; name: string } | null, choices: TeamChoice[]) {
    const label = name ? `Team "${name}" (${id})` : `Team ${id}`;
    super(
      410,
      'team_replaced',
      replacedBy
        ? `${label} was replaced: most of its people are now in "${replacedBy.name}" (${replacedBy.id}).`
        : `${label} was replaced and no single team took over its people; choose one of: ${
            choices.map((c) => `"${c.name}" (${c.id})`).join(', ') || 'none (it had no people)'
          }.`,
      { teamId: id, name, replacedBy, choices },
    );
  }
}

const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/**
 * After a run has placed every user, each replaced team's id points to the team that took most of its people.
 * Never to the top-level team (a saved view on the old team would silently widen to the whole org): where that is
 * the only taker, or no one was in the team, the id keeps no target and lists the choices instead.
 */
export async function settleRedirects(scope: OrgScope, actor: Actor, replaced: ReplacedTeamInfo[]): Promise<void> {
  if (!replaced.length) return;
  const teams = await teamNamesAndKinds(scope);
  const audits: AuditEntry[] = [];
  for (const r of replaced) {
    const landed = await headcountByTeam(scope, r.members);
    const choices: TeamChoice[] = [...landed]
      .map(([id, people]) => ({ id, name: teams.get(id)?.name ?? id, people }))
      .sort((a, b) => b.people - a.people || a.name.localeCompare(b.name));
    for (const id of r.alternatives)
      if (teams.has(id) && !landed.has(id)) choices.push({ id, name: teams.get(id)!.name, people: 0 });
    const [best, second] = choices;
    const narrow = best && best.people > 0 && teams.get(best.id)?.kind === 'hierarchy';
    const target = narrow && (!second || second.people < best.people) ? best.id : null;
    await settleRedirect(scope, { oldId: r.id, oldName: r.name, target, choices });
    audits.push({
      action: 'team.delete',
      targetType: 'team',
      targetId: r.id,
      before: { name: r.name },
      after: { redirectTo: target, choices },
    });
  }
  await recordAudit(scope, actor, audits);
}

/** A team id that is not a team any more: where it went, or null when the id was never a team of this org. */
export async function replacement(
  scope: OrgScope,
  id: string,
): Promise<{ name: string | null; replacedBy: { id: string; name: string } | null; choices: TeamChoice[] } | null> {
  const row = await findRedirectWithTarget(scope, id);
  if (!row) return null;
  const choices = parse<TeamChoice[]>(row.choices ?? []);
  return {
    name: row.old_name ?? null,
    replacedBy: row.new_team_id ? { id: row.new_team_id, name: row.new_name! } : null,
    choices,
  };
}

export async function teamReplacedError(scope: OrgScope, id: string): Promise<TeamReplacedError | null> {
  const r = await replacement(scope, id);
  return r ? new TeamReplacedError(id, r.name, r.replacedBy, r.choices) : null;
}
