import type { Knex } from 'knex';

// Issue 4: the derived-manager warning shown with a team, CSV import results kept for download,
// and the indexes the user list sorts on at 100k users (few: every index slows bulk imports).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('teams', (t) => {
    t.text('manager_warning');
  });
  await knex.schema.createTable('user_imports', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('orgs.id').onDelete('CASCADE');
    t.text('actor').notNullable();
    t.boolean('dry_run').notNullable();
    t.boolean('applied').notNullable();
    t.jsonb('summary').notNullable();
    t.integer('error_count').notNullable();
    t.text('result_csv').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['org_id', 'created_at']);
  });
  await knex.raw('CREATE INDEX users_org_status_name ON users (org_id, status, last_name, first_name, id)');
  await knex.raw('CREATE INDEX users_org_created ON users (org_id, created_at, id)');
}

export async function down(knex: Knex): Promise<void> {
  for (const index of ['users_org_status_name', 'users_org_created']) {
    await knex.raw(`DROP INDEX IF EXISTS ${index}`);
  }
  await knex.schema.dropTable('user_imports');
  await knex.schema.alterTable('teams', (t) => {
    t.dropColumn('manager_warning');
  });
}
