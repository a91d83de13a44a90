import type { Knex } from 'knex';

// UserRole has no IsDeleted: a role found deleted (through /deleted or a full id reconcile) stays in the mirror,
// marked, so users still pointing at it resolve to its nearest live ancestor's team.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('salesforce_roles', (t) => {
    t.timestamp('deleted_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('salesforce_roles', (t) => {
    t.dropColumn('deleted_at');
  });
}
