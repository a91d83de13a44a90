import type { Knex } from 'knex';

// A claim leases its users: next_probe_at is the lease's end while next_slot_at holds the slot that recording their
// probe moves them to, so a batch lost with its replica is due again within the lease instead of at the next slot.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mailbox_probe_state', (t) => {
    t.timestamp('next_slot_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mailbox_probe_state', (t) => {
    t.dropColumn('next_slot_at');
  });
}
