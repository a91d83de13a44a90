import type { Team } from './schemas.js';

/** A row of the teams table, as the database returns it: hierarchy teams and custom teams share the table. */
export interface TeamRow {
  id: string;
  org_id: string;
  name: string;
  kind: Team['kind'] | 'custom';
  parent_id: string | null;
  sf_role_id: string | null;
  sf_manager_id: string | null;
  manager_user_id: string | null;
  manager_set_by_hand: boolean;
  manager_warning: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** A team of the hierarchy (top-level, hierarchy or Unassigned): what the hierarchy reads return. */
export type HierarchyTeamRow = TeamRow & { kind: Team['kind'] };

/** A row of team_memberships (a user's stay in a team; open while ended_at is null). */
export interface MembershipRow {
  id: string;
  org_id: string;
  user_id: string;
  team_id: string;
  started_at: Date | string;
  ended_at: Date | string | null;
}

/** A row of custom_team_members: a user or a whole team. */
export interface CustomMemberRow {
  member_user_id: string | null;
  member_team_id: string | null;
}

/** A row of team_redirects: a replaced team's id and the team it points to (null: no single team took over). */
export interface TeamRedirectRow {
  org_id: string;
  old_team_id: string;
  new_team_id: string | null;
  old_name: string | null;
  /** jsonb: the teams an admin may choose from (redirects.ts's TeamChoice[]). */
  choices: unknown;
  created_at: Date | string;
}
