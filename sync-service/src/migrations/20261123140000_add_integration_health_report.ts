import type { Knex } from 'knex';

// The rest of a health report beside its items: the user checked, multi-currency, why it was unavailable, what went unchecked.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('integration_health_results', (t) => {
    t.jsonb('report').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('integration_health_results', (t) => {
    t.dropColumn('report');
  });
}
