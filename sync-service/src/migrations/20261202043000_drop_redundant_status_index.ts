import type { Knex } from 'knex';

// users (org_id, status) is the first two columns of users_org_status_name (org_id, status, last_name, first_name, id):
// every query it could answer, the longer index answers too, and each insert or status change paid for both. Dropping
// it makes the 100k-user import and the enabling sync write one B-tree fewer per user.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS users_org_id_status_index');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX IF NOT EXISTS users_org_id_status_index ON users (org_id, status)');
}
