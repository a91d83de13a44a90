import type { Knex } from 'knex';

// Status counts kept by the database in the same transaction as every change to users, so the page header reads a
// handful of rows instead of counting 100k. Statement-level triggers append one delta row per (org, status) a
// statement changed: appending never waits on another writer (a single counter row per status would serialize every
// writer and deadlock transactions that touch statuses in different orders). Reads sum the deltas and fold them
// into one row per status now and then (users/counts.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('user_status_counts', (t) => {
    t.bigIncrements('id');
    t.uuid('org_id').notNullable().references('orgs.id').onDelete('CASCADE');
    t.text('status').notNullable();
    t.integer('delta').notNullable();
  });
  await knex.raw('CREATE INDEX user_status_counts_org ON user_status_counts (org_id) INCLUDE (status, delta)');
  // Rows of an org being deleted add nothing: the org's deltas go with it (and the foreign key would refuse them).
  await knex.raw(`
    CREATE FUNCTION keep_user_status_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO user_status_counts (org_id, status, delta)
        SELECT n.org_id, n.status, count(*) FROM new_rows n
         WHERE EXISTS (SELECT 1 FROM orgs WHERE orgs.id = n.org_id)
         GROUP BY n.org_id, n.status;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO user_status_counts (org_id, status, delta)
        SELECT o.org_id, o.status, -count(*) FROM old_rows o
         WHERE EXISTS (SELECT 1 FROM orgs WHERE orgs.id = o.org_id)
         GROUP BY o.org_id, o.status;
      ELSE
        INSERT INTO user_status_counts (org_id, status, delta)
        SELECT c.org_id, c.status, sum(c.d) FROM (
          SELECT org_id, status, 1 AS d FROM new_rows
          UNION ALL
          SELECT org_id, status, -1 FROM old_rows
        ) c
         WHERE EXISTS (SELECT 1 FROM orgs WHERE orgs.id = c.org_id)
         GROUP BY c.org_id, c.status
        HAVING sum(c.d) <> 0;
      END IF;
      RETURN NULL;
    END $$`);
  // Transition tables allow one event per trigger.
  await knex.raw(`CREATE TRIGGER users_count_inserts AFTER INSERT ON users REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION keep_user_status_counts()`);
  await knex.raw(`CREATE TRIGGER users_count_updates AFTER UPDATE ON users
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION keep_user_status_counts()`);
  await knex.raw(`CREATE TRIGGER users_count_deletes AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION keep_user_status_counts()`);
  await knex.raw(`INSERT INTO user_status_counts (org_id, status, delta)
                  SELECT org_id, status, count(*) FROM users GROUP BY org_id, status`);
}

export async function down(knex: Knex): Promise<void> {
  for (const event of ['inserts', 'updates', 'deletes']) await knex.raw(`DROP TRIGGER users_count_${event} ON users`);
  await knex.raw('DROP FUNCTION keep_user_status_counts()');
  await knex.schema.dropTable('user_status_counts');
}
