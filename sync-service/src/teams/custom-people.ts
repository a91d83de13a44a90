import type { OrgScope } from '../db/scoped.js';
import { recordAudit, type Actor, type AuditEntry } from '../shared/audit.js';
import { addUserMembers, clearMembers, customTeamMembers, customTeamsWithMemberTeams } from './custom-repo.js';
import { existingHierarchyTeamIds } from './repo.js';
import { CUSTOM_TEAM_MAX_PEOPLE } from './schemas.js';
import { existingUserIds } from '../users/repo.js';

/** A custom team's people before a run: everyone, and who came through each member team. */
export interface CustomTeamPeople {
  name: string;
  people: Set<string>;
  viaTeam: Map<string, Set<string>>;
}

/** The people of every custom team that has member teams (only those can change when the hierarchy does). */
export async function customTeamPeople(scope: OrgScope): Promise<Map<string, CustomTeamPeople>> {
  const out = new Map<string, CustomTeamPeople>();
  for (const r of await customTeamsWithMemberTeams(scope)) {
    let c = out.get(r.custom_id);
    if (!c) out.set(r.custom_id, (c = { name: r.name, people: new Set(), viaTeam: new Map() }));
    if (r.member_user_id) c.people.add(r.member_user_id);
    if (r.member_team_id) {
      let via = c.viaTeam.get(r.member_team_id);
      if (!via) c.viaTeam.set(r.member_team_id, (via = new Set()));
      if (r.via_user) {
        via.add(r.via_user);
        c.people.add(r.via_user);
      }
    }
  }
  return out;
}

/**
 * Custom teams never change by sync (SPEC 2). After a run has moved teams and users (or an admin deleted a team): a
 * member team that was replaced or deleted is kept as the people it held; a custom team whose people would otherwise change on enabling, or grow
 * past the cap, keeps exactly the people it had, as user members. Returns a warning per custom team kept so.
 */
export async function keepCustomTeamPeople(
  scope: OrgScope,
  actor: Actor,
  before: Map<string, CustomTeamPeople>,
  opts: { enabling: boolean; displaced?: Iterable<string> },
): Promise<string[]> {
  const displaced = new Set(opts.displaced ?? []);
  if (before.size === 0) return [];
  const existingUsers = await existingUserIds(
    scope,
    [...before.values()].flatMap((c) => [...c.people]),
  );
  const liveTeams = await existingHierarchyTeamIds(
    scope,
    [...before.values()].flatMap((c) => [...c.viaTeam.keys()]),
  );
  const warnings: string[] = [];
  const audits: AuditEntry[] = [];
  const addUsers = async (customId: string, ids: Iterable<string>) => {
    const have = new Set((await customTeamMembers(scope, customId)).map((m) => m.member_user_id));
    await addUserMembers(
      scope,
      customId,
      [...ids].filter((id) => existingUsers.has(id) && !have.has(id)),
    );
  };

  // Replaced member teams: their rows went with the team (ON DELETE CASCADE); their people stay, as users.
  for (const [customId, c] of before) {
    const gone = [...c.viaTeam.keys()].filter((t) => !liveTeams.has(t));
    if (!gone.length) continue;
    const kept = new Set(gone.flatMap((t) => [...c.viaTeam.get(t)!]));
    await addUsers(customId, kept);
    warnings.push(
      `Custom team "${c.name}": ${gone.length} member team(s) were replaced; their ${kept.size} people stay members.`,
    );
    audits.push({
      action: 'custom_team.keep_people',
      targetType: 'custom_team',
      targetId: customId,
      before: { teamIds: gone },
      after: { userIds: [...kept].filter((id) => existingUsers.has(id)) },
    });
  }

  const after = await customTeamPeople(scope);
  for (const [customId, c] of before) {
    const now = after.get(customId)?.people ?? new Set<string>();
    const grew = [...now].some((id) => !c.people.has(id));
    const changed = grew || [...c.people].some((id) => existingUsers.has(id) && !now.has(id));
    // Growth from a replaced team's people moving up is the sync's doing, never Salesforce's: kept out too.
    const byReplacement = [...now].some((id) => !c.people.has(id) && displaced.has(id));
    if (!(opts.enabling ? changed : grew && (now.size > CUSTOM_TEAM_MAX_PEOPLE || byReplacement))) continue;
    // Freeze: the member teams give way to the people they held before this run.
    await clearMembers(scope, customId);
    await addUsers(customId, c.people);
    warnings.push(
      `Custom team "${c.name}" keeps its ${c.people.size} people as members: the new hierarchy would have changed who is in it.`,
    );
    audits.push({
      action: 'custom_team.keep_people',
      targetType: 'custom_team',
      targetId: customId,
      before: { teamIds: [...c.viaTeam.keys()] },
      after: { userIds: [...c.people].filter((id) => existingUsers.has(id)) },
    });
  }
  if (audits.length) await recordAudit(scope, actor, audits);
  return warnings;
}
