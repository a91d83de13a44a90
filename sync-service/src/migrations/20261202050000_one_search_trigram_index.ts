import type { Knex } from 'knex';

// One trigram index on the search text (email and both name orders) instead of one per part: every user insert
// wrote three GIN indexes, a third of an enabling sync's insert time at 100k users. The listing's query narrows with
// this index, then rechecks each part, so results are the same.
const OLD = {
  users_email_trgm: 'email',
  users_first_last_trgm: "(first_name || ' ' || last_name)",
  users_last_first_trgm: "(last_name || ' ' || first_name)",
};
const SEARCH_TEXT = "(email || ' ' || first_name || ' ' || last_name || ' ' || last_name || ' ' || first_name)";

const trigramsInstalled = async (knex: Knex) =>
  (await knex.raw(`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`)).rows.length > 0;

export async function up(knex: Knex): Promise<void> {
  for (const name of Object.keys(OLD)) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
  if (await trigramsInstalled(knex))
    await knex.raw(`CREATE INDEX users_search_trgm ON users USING gin (${SEARCH_TEXT} gin_trgm_ops)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS users_search_trgm');
  if (await trigramsInstalled(knex))
    for (const [name, expression] of Object.entries(OLD))
      await knex.raw(`CREATE INDEX ${name} ON users USING gin ((${expression}) gin_trgm_ops)`);
}
