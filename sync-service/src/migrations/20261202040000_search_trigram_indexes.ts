import type { Knex } from 'knex';

// The user search is `ILIKE '%text%'` on the email and on both name orders: a B-tree cannot answer a pattern that
// starts with a wildcard, so at 100k users every search scanned the org. Trigram GIN indexes answer it for any text of
// three characters or more. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension, so a database owner
// may create it; where it is not installed the search still works, by scanning (the README says so).
const INDEXES = {
  users_email_trgm: 'email',
  users_first_last_trgm: "(first_name || ' ' || last_name)",
  users_last_first_trgm: "(last_name || ' ' || first_name)",
};

export async function up(knex: Knex): Promise<void> {
  const { rows } = await knex.raw(
    `SELECT installed_version IS NOT NULL AS installed, has_database_privilege(current_database(), 'CREATE') AS allowed
       FROM pg_available_extensions WHERE name = 'pg_trgm'`,
  );
  const trgm = rows[0] as { installed: boolean; allowed: boolean } | undefined;
  if (!trgm || (!trgm.installed && !trgm.allowed)) return;
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  for (const [name, expression] of Object.entries(INDEXES))
    await knex.raw(`CREATE INDEX ${name} ON users USING gin ((${expression}) gin_trgm_ops)`);
}

export async function down(knex: Knex): Promise<void> {
  for (const name of Object.keys(INDEXES)) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
}
