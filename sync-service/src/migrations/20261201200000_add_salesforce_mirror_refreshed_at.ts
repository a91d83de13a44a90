import type { Knex } from 'knex';

// When the role import's mirror of Salesforce roles and users was last read: the Role Hierarchy screen serves the
// mirror and refreshes it in the background once it is this old.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orgs', (t) => {
    t.timestamp('salesforce_mirror_refreshed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orgs', (t) => {
    t.dropColumn('salesforce_mirror_refreshed_at');
  });
}
