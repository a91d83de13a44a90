import type { Knex } from 'knex';

// The mailbox monitor's bookkeeping beyond the base schema: the rule behind each result (for its fix),
// the onboarding backfill, Graph object ids, and the org-level condition's evidence.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mailbox_probe_state', (t) => {
    t.text('provider_user_id');
    t.text('last_rule');
    t.timestamp('onboarding_started_at', { useTz: true });
    t.timestamp('backfill_finished_at', { useTz: true });
    t.integer('backfill_messages');
    t.integer('backfill_events');
    t.text('backfill_error');
  });
  await knex.schema.alterTable('mailbox_probe_results', (t) => {
    t.text('rule');
    t.text('stage');
    t.text('kinds');
  });
  await knex.schema.alterTable('mailbox_providers', (t) => {
    t.text('org_condition_rule');
    t.timestamp('org_condition_since', { useTz: true });
    t.jsonb('org_condition_detail');
    t.integer('org_condition_strikes').notNullable().defaultTo(0);
  });
  await knex.raw('CREATE INDEX mailbox_probe_results_org_time ON mailbox_probe_results (org_id, probed_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS mailbox_probe_results_org_time');
  await knex.schema.alterTable('mailbox_providers', (t) => {
    t.dropColumns('org_condition_rule', 'org_condition_since', 'org_condition_detail', 'org_condition_strikes');
  });
  await knex.schema.alterTable('mailbox_probe_results', (t) => t.dropColumns('rule', 'stage', 'kinds'));
  await knex.schema.alterTable('mailbox_probe_state', (t) => {
    t.dropColumns(
      'provider_user_id',
      'last_rule',
      'onboarding_started_at',
      'backfill_finished_at',
      'backfill_messages',
      'backfill_events',
      'backfill_error',
    );
  });
}
