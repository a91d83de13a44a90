import type { Knex } from 'knex';

// The profiles article names every eligibility and ranking group ("Enter a name for your group").
export async function up(knex: Knex): Promise<void> {
  for (const table of ['eligibility_groups', 'ranking_groups']) {
    await knex.schema.alterTable(table, (t) => {
      t.text('name').notNullable().defaultTo('');
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['eligibility_groups', 'ranking_groups']) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('name');
    });
  }
}
