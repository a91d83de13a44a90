import type { Knex } from 'knex';

// Long operations the screens poll (mode switch, role import, re-apply, health check): state and progress per job.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('jobs', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('orgs.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    // Jobs of one lane exclude each other per org (see the partial unique index below).
    t.text('lane').notNullable();
    t.text('state').notNullable().defaultTo('queued').checkIn(['queued', 'running', 'succeeded', 'failed']);
    t.jsonb('params').notNullable().defaultTo('{}');
    t.jsonb('actor').notNullable();
    t.text('phase');
    t.integer('done').notNullable().defaultTo(0);
    t.integer('total');
    t.jsonb('result');
    t.jsonb('error');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['org_id', 'created_at']);
  });
  // The database refuses a second active job of a lane, whichever replica starts it.
  await knex.raw(
    `CREATE UNIQUE INDEX jobs_one_active_per_lane ON jobs (org_id, lane) WHERE state IN ('queued', 'running')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('jobs');
}
