import type { Knex } from 'knex';

// The user list filtered to a team and sorted by creation date (newest first, the team screen's default) walked the
// whole org's users_org_created index backwards, filtering by team: at 100k users in 40 teams, about 1,600 index
// entries for a page of 50 (12 ms under load). Led by the team, the index gives the team's users already in that
// order, a page's worth of entries. It replaces (org_id, team_id), which is its prefix, so writes pay no more.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX IF NOT EXISTS users_org_team_created ON users (org_id, team_id, created_at, id)');
  await knex.raw('DROP INDEX IF EXISTS users_org_id_team_id_index');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX IF NOT EXISTS users_org_id_team_id_index ON users (org_id, team_id)');
  await knex.raw('DROP INDEX IF EXISTS users_org_team_created');
}
