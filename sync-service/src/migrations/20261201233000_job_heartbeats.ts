import type { Knex } from 'knex';

// A running job's replica stamps it every few seconds; a job whose stamp goes stale lost its replica (a kill, a
// crash) and is handed to another one within a minute, instead of after pg-boss's 15-minute expiry.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('jobs', (t) => {
    t.timestamp('heartbeat_at', { useTz: true });
  });
  await knex.raw(`CREATE INDEX jobs_running_heartbeat ON jobs (heartbeat_at) WHERE state = 'running'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('jobs', (t) => {
    t.dropColumn('heartbeat_at');
  });
}
