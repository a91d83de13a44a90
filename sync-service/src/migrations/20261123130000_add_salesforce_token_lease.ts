import type { Knex } from 'knex';

// The current access token is shared by every replica (sealed like the secret), and a short lease row lock
// serializes token refresh per org: Salesforce rejects concurrent refreshes of one refresh token. A lease (not a
// session advisory lock) because the embedded PGlite multiplexes every connection onto one backend session.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('salesforce_connections', (t) => {
    t.text('encrypted_access_token');
    t.timestamp('access_token_at', { useTz: true });
    t.text('refresh_lease_owner');
    t.timestamp('refresh_lease_until', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('salesforce_connections', (t) => {
    t.dropColumn('encrypted_access_token');
    t.dropColumn('access_token_at');
    t.dropColumn('refresh_lease_owner');
    t.dropColumn('refresh_lease_until');
  });
}
