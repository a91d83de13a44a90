import type { Knex } from 'knex';

// The External Client App's consumer secret (sent on refresh: apps require it by default), the JWT audience the admin
// chose (null: derived from the login URL), and the identity URL of the token response (it names the running user, so
// nothing depends on the userinfo endpoint and the scopes it needs).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('salesforce_connections', (t) => {
    t.text('encrypted_client_secret');
    t.text('jwt_audience');
    t.text('identity_url');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('salesforce_connections', (t) => {
    t.dropColumn('encrypted_client_secret');
    t.dropColumn('jwt_audience');
    t.dropColumn('identity_url');
  });
}
