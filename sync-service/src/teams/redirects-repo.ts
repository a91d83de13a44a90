import type { OrgScope } from '../db/scoped.js';
import type { TeamRedirectRow } from './rows.js';

// team_redirects: where the ids of replaced teams point, so saved views and reports keep working.

/** Reports that name `oldId` (or a team it took over) resolve to `newId` from now on. */
export async function redirectTeam(scope: OrgScope, oldId: string, newId: string, oldName: string): Promise<void> {
  await scope.table('team_redirects').where('new_team_id', oldId).update({ new_team_id: newId });
  await scope.insert('team_redirects', { old_team_id: oldId, new_team_id: newId, old_name: oldName });
}

/** Where a replaced team's id points, or undefined when the id was never redirected. */
export async function findRedirect(
  scope: OrgScope,
  oldId: string,
): Promise<Pick<TeamRedirectRow, 'new_team_id'> | undefined> {
  return scope.table('team_redirects').where('old_team_id', oldId).first('new_team_id');
}

/** A replaced team's redirect, with the name of the team it points to. */
export type RedirectWithTarget = Pick<TeamRedirectRow, 'old_name' | 'new_team_id' | 'choices'> & {
  new_name: string | null;
};

export async function findRedirectWithTarget(scope: OrgScope, oldId: string): Promise<RedirectWithTarget | undefined> {
  return scope
    .table('team_redirects')
    .leftJoin('teams', 'teams.id', 'team_redirects.new_team_id')
    .where('team_redirects.old_team_id', oldId)
    .first('team_redirects.old_name', 'team_redirects.new_team_id', 'team_redirects.choices', 'teams.name as new_name');
}

/**
 * Points a replaced team's id at `target` (or at none, leaving the choices), and the older ids that pointed to it
 * follow on.
 */
export async function settleRedirect(
  scope: OrgScope,
  redirect: { oldId: string; oldName: string; target: string | null; choices: unknown },
): Promise<void> {
  const choices = JSON.stringify(redirect.choices);
  await scope
    .table('team_redirects')
    .where('new_team_id', redirect.oldId)
    .update({ new_team_id: redirect.target, choices });
  await scope
    .db('team_redirects')
    .insert({
      org_id: scope.orgId,
      old_team_id: redirect.oldId,
      new_team_id: redirect.target,
      old_name: redirect.oldName,
      choices,
    })
    .onConflict(['org_id', 'old_team_id'])
    .merge();
}

/** A team that exists, or existed and was replaced (its memberships outlive it). */
export async function teamKnown(scope: OrgScope, id: string): Promise<boolean> {
  return !!(
    (await scope.table('teams').where('id', id).first('id')) ??
    (await scope.table('team_redirects').where('old_team_id', id).first('old_team_id'))
  );
}

/** A redirect as rules refer to it: which replaced team id points where, and the replaced team's name. */
export type RedirectReferenceRow = Pick<TeamRedirectRow, 'old_team_id' | 'new_team_id' | 'old_name'>;

/** Every redirect of the org, as rules refer to them. */
export async function allRedirects(scope: OrgScope): Promise<RedirectReferenceRow[]> {
  return scope.table('team_redirects').select('old_team_id', 'new_team_id', 'old_name');
}
