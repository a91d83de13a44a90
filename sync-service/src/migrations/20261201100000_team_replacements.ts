import type { Knex } from 'knex';

// A replaced team's id answers where its people went: the team that took most of them, or (none, or only the
// top-level team, which would widen a saved view to the whole org) no target and the choices to pick from.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('team_redirects', (t) => {
    t.text('old_name');
    t.jsonb('choices').notNullable().defaultTo('[]');
  });
  await knex.raw('ALTER TABLE team_redirects ALTER COLUMN new_team_id DROP NOT NULL');
  await knex.raw('ALTER TABLE team_redirects DROP CONSTRAINT IF EXISTS team_redirects_new_team_id_foreign');
  await knex.raw(
    'ALTER TABLE team_redirects ADD CONSTRAINT team_redirects_new_team_id_foreign FOREIGN KEY (new_team_id) REFERENCES teams(id) ON DELETE SET NULL',
  );
  // Suspensions an admin rejected while the user is still inactive in Salesforce: drift, shown until an admin
  // suspends the user or Salesforce brings them back; the sync does not suspend them behind the admin's back.
  await knex.schema.createTable('sync_drift', (t) => {
    t.uuid('org_id').notNullable().references('orgs.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('reason').notNullable();
    t.uuid('approval_id');
    t.timestamp('since', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['org_id', 'user_id']);
  });
  // Salesforce users the sync could not create because an invalid rule stood where their rule is decided: every
  // later run looks at them again, so they arrive as soon as an admin fixes the rule.
  await knex.schema.createTable('sync_held_users', (t) => {
    t.uuid('org_id').notNullable().references('orgs.id').onDelete('CASCADE');
    t.text('sf_user_id').notNullable();
    t.timestamp('since', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['org_id', 'sf_user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sync_held_users');
  await knex.schema.dropTable('sync_drift');
  await knex('team_redirects').whereNull('new_team_id').delete();
  await knex.raw('ALTER TABLE team_redirects DROP CONSTRAINT IF EXISTS team_redirects_new_team_id_foreign');
  await knex.raw(
    'ALTER TABLE team_redirects ADD CONSTRAINT team_redirects_new_team_id_foreign FOREIGN KEY (new_team_id) REFERENCES teams(id) ON DELETE CASCADE',
  );
  await knex.raw('ALTER TABLE team_redirects ALTER COLUMN new_team_id SET NOT NULL');
  await knex.schema.alterTable('team_redirects', (t) => {
    t.dropColumn('old_name');
    t.dropColumn('choices');
  });
}
