import type { Knex } from 'knex';

// Deleting a user (or an org) makes PostgreSQL find every row that references it, one lookup per user per
// referencing table. A lookup by user_id alone cannot use an index that starts with org_id, so each was a scan:
// deleting 19k users spent about 21 s in team_memberships and 5 s in teams.manager_user_id. An index led by the
// user id answers those lookups and every query by (org_id, user_id), since a user id names one org's user; it
// replaces the (org_id, user_id) indexes of team_memberships and mailbox_probe_results instead of adding one, so inserts pay nothing more there.
const indexes: Array<[name: string, sql: string]> = [
  ['team_memberships_user', 'team_memberships (user_id)'],
  ['teams_manager_user', 'teams (manager_user_id) WHERE manager_user_id IS NOT NULL'],
  ['custom_team_members_user', 'custom_team_members (member_user_id) WHERE member_user_id IS NOT NULL'],
  ['custom_team_viewers_user', 'custom_team_viewers (user_id)'],
  ['sync_conflicts_user', 'sync_conflicts (user_id) WHERE user_id IS NOT NULL'],
  ['sync_drift_user', 'sync_drift (user_id)'],
  ['mailbox_probe_results_user_time', 'mailbox_probe_results (user_id, probed_at)'],
];
// Each led by org_id and then the user id: the user-led index above answers what they did.
const replaced: Array<[name: string, on: string]> = [
  ['team_memberships_org_id_user_id_index', 'team_memberships (org_id, user_id)'],
  ['mailbox_probe_results_org_id_user_id_probed_at_index', 'mailbox_probe_results (org_id, user_id, probed_at)'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [name, on] of indexes) await knex.raw(`CREATE INDEX IF NOT EXISTS ${name} ON ${on}`);
  for (const [name] of replaced) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name, on] of replaced) await knex.raw(`CREATE INDEX IF NOT EXISTS ${name} ON ${on}`);
  for (const [name] of indexes) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
}
