import type { Knex } from 'knex';

// The whole domain of SPEC.md, one org per tenant: every table below carries org_id.
const uuidPk = (knex: Knex, t: Knex.CreateTableBuilder) =>
  t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
const orgRef = (t: Knex.CreateTableBuilder) => t.uuid('org_id').notNullable().references('orgs.id').onDelete('CASCADE');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('orgs', (t) => {
    uuidPk(knex, t);
    t.text('name').notNullable();
    t.text('management_mode').notNullable().defaultTo('manual').checkIn(['manual', 'automatic']);
    t.text('hierarchy_source').notNullable().defaultTo('role').checkIn(['role', 'manager']);
    t.integer('sync_poll_seconds').notNullable().defaultTo(60);
    t.decimal('suspension_guard_share', 5, 4).notNullable().defaultTo(0.1);
    t.decimal('api_budget_share', 5, 4).notNullable().defaultTo(0.8);
    t.integer('mailbox_probe_minutes').notNullable().defaultTo(15);
    t.timestamps(true, true);
  });

  await knex.schema.createTable('api_keys', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.text('name').notNullable();
    t.text('key_hash').notNullable().unique();
    t.text('key_prefix').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });

  await knex.schema.createTable('configuration_profiles', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.text('name').notNullable();
    t.boolean('is_builtin').notNullable().defaultTo(false);
    // The eight activity toggles: { intakeData, transcriptIntake, displayData, pushData, emailSync, meetingSync, contactCreation, contactRoleCreation }.
    t.jsonb('activity').notNullable().defaultTo('{}');
    // Per object type: 'all' (no group ever defined), 'filtered', or 'none' (last group removed).
    t.jsonb('eligibility_state')
      .notNullable()
      .defaultTo(JSON.stringify({ Opportunity: 'all', Account: 'all', Lead: 'all' }));
    t.decimal('min_score', 10, 4).notNullable().defaultTo(0);
    // { meetingCategoryField, creationRecipients, completionRecipients }
    t.jsonb('notifications').notNullable().defaultTo('{}');
    t.timestamps(true, true);
  });
  await knex.raw('CREATE UNIQUE INDEX configuration_profiles_org_name ON configuration_profiles (org_id, lower(name))');

  await knex.schema.createTable('eligibility_groups', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.uuid('profile_id').notNullable().references('configuration_profiles.id').onDelete('CASCADE');
    t.text('object_type').notNullable().checkIn(['Opportunity', 'Account', 'Lead']);
    t.integer('position').notNullable();
    t.jsonb('conditions').notNullable().defaultTo('[]');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('ranking_groups', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.uuid('profile_id').notNullable().references('configuration_profiles.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('target').notNullable().checkIn(['Opportunity', 'Account', 'Lead', 'All']);
    t.text('kind').notNullable().checkIn(['sort', 'select']);
    t.text('sort_field');
    t.text('sort_direction').checkIn(['asc', 'desc']);
    t.jsonb('conditions').notNullable().defaultTo('[]');
  });

  await knex.schema.createTable('follow_up_questions', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.uuid('profile_id').notNullable().references('configuration_profiles.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('crm_category').notNullable();
    t.text('question').notNullable();
    t.text('answer_field').notNullable();
  });

  await knex.schema.createTable('teams', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.text('name').notNullable();
    t.text('kind').notNullable().checkIn(['top', 'hierarchy', 'custom', 'unassigned']);
    t.uuid('parent_id').references('teams.id').onDelete('RESTRICT');
    t.text('sf_role_id');
    t.text('sf_manager_id');
    t.uuid('manager_user_id');
    t.boolean('manager_set_by_hand').notNullable().defaultTo(false);
    t.timestamps(true, true);
    t.index(['org_id', 'parent_id']);
  });
  await knex.raw("CREATE UNIQUE INDEX teams_one_top ON teams (org_id) WHERE kind = 'top'");
  await knex.raw("CREATE UNIQUE INDEX teams_one_unassigned ON teams (org_id) WHERE kind = 'unassigned'");
  await knex.raw('CREATE UNIQUE INDEX teams_sf_role ON teams (org_id, sf_role_id) WHERE sf_role_id IS NOT NULL');
  await knex.raw(
    'CREATE UNIQUE INDEX teams_sf_manager ON teams (org_id, sf_manager_id) WHERE sf_manager_id IS NOT NULL',
  );

  await knex.schema.createTable('team_redirects', (t) => {
    orgRef(t);
    t.uuid('old_team_id').notNullable();
    t.uuid('new_team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['org_id', 'old_team_id']);
  });

  await knex.schema.createTable('user_settings_rules', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.text('name').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.integer('position').notNullable();
    t.boolean('is_catch_all').notNullable().defaultTo(false);
    t.jsonb('filters').notNullable().defaultTo('[]');
    // { profileId, role, visibility, licenses }
    t.jsonb('assignments').notNullable();
    t.timestamps(true, true);
  });
  await knex.raw('CREATE UNIQUE INDEX user_settings_rules_org_name ON user_settings_rules (org_id, lower(name))');
  await knex.raw(
    'CREATE UNIQUE INDEX user_settings_rules_one_catch_all ON user_settings_rules (org_id) WHERE is_catch_all',
  );

  await knex.schema.createTable('users', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.text('email').notNullable();
    t.text('first_name').notNullable().defaultTo('');
    t.text('last_name').notNullable().defaultTo('');
    t.text('job_title').notNullable().defaultTo('');
    t.text('sf_user_id');
    t.uuid('team_id').references('teams.id').onDelete('SET NULL');
    t.text('role').notNullable().checkIn(['admin', 'manager', 'member', 'data']);
    t.specificType('licenses', 'text[]').notNullable().defaultTo('{}');
    t.text('object_visibility').notNullable().defaultTo('full').checkIn(['full', 'team', 'individual']);
    t.uuid('profile_id').notNullable().references('configuration_profiles.id').onDelete('RESTRICT');
    t.text('status')
      .notNullable()
      .defaultTo('pending')
      .checkIn(['pending', 'onboarding', 'active', 'permission_error', 'suspended']);
    t.text('source').notNullable().checkIn(['manual', 'csv', 'role_import', 'automatic']);
    t.uuid('rule_id').references('user_settings_rules.id').onDelete('SET NULL');
    t.text('suspension_reason');
    t.timestamp('suspended_at', { useTz: true });
    t.timestamp('permission_error_since', { useTz: true });
    t.timestamps(true, true);
    t.index(['org_id', 'status']);
    t.index(['org_id', 'team_id']);
  });
  await knex.raw('CREATE UNIQUE INDEX users_org_email ON users (org_id, lower(email))');
  await knex.raw('CREATE UNIQUE INDEX users_org_sf_user ON users (org_id, sf_user_id) WHERE sf_user_id IS NOT NULL');
  await knex.raw('CREATE INDEX users_org_name_sort ON users (org_id, last_name, first_name, id)');
  await knex.schema.alterTable('teams', (t) => {
    t.foreign('manager_user_id').references('users.id').onDelete('SET NULL');
  });

  await knex.schema.createTable('team_memberships', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('team_id').notNullable(); // no FK: history outlives deleted teams (team_redirects resolves them)
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('ended_at', { useTz: true });
    t.index(['org_id', 'user_id']);
    t.index(['org_id', 'team_id']);
  });

  await knex.schema.createTable('custom_team_members', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('member_user_id').references('users.id').onDelete('CASCADE');
    t.uuid('member_team_id').references('teams.id').onDelete('CASCADE');
    t.check('(member_user_id IS NULL) <> (member_team_id IS NULL)', [], 'custom_team_members_one_kind');
  });

  await knex.schema.createTable('custom_team_viewers', (t) => {
    orgRef(t);
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.primary(['team_id', 'user_id']);
  });

  await knex.schema.createTable('salesforce_connections', (t) => {
    t.uuid('org_id').primary().references('orgs.id').onDelete('CASCADE');
    t.text('login_url').notNullable();
    t.text('instance_url');
    t.text('auth_kind').notNullable().checkIn(['jwt', 'refresh_token']);
    t.text('client_id').notNullable();
    t.text('username');
    t.text('encrypted_secret').notNullable(); // AES-256-GCM: private key (JWT) or refresh token
    t.text('api_version').notNullable().defaultTo('62.0');
    t.text('status').notNullable().defaultTo('untested');
    t.text('last_error');
    t.timestamp('last_tested_at', { useTz: true });
    t.timestamps(true, true);
  });

  await knex.schema.createTable('salesforce_roles', (t) => {
    orgRef(t);
    t.text('sf_role_id').notNullable();
    t.text('name').notNullable();
    t.text('developer_name');
    t.text('parent_sf_role_id');
    t.integer('active_user_count').notNullable().defaultTo(0);
    t.boolean('import_enabled').notNullable().defaultTo(false);
    t.timestamp('system_modstamp', { useTz: true });
    t.primary(['org_id', 'sf_role_id']);
  });

  await knex.schema.createTable('salesforce_users', (t) => {
    orgRef(t);
    t.text('sf_user_id').notNullable();
    t.text('email').notNullable();
    t.text('first_name').notNullable().defaultTo('');
    t.text('last_name').notNullable().defaultTo('');
    t.text('title').notNullable().defaultTo('');
    t.text('sf_role_id');
    t.text('sf_manager_id');
    t.boolean('is_active').notNullable();
    t.text('user_type');
    t.text('license');
    t.timestamp('system_modstamp', { useTz: true });
    t.primary(['org_id', 'sf_user_id']);
  });

  await knex.schema.createTable('sync_cursors', (t) => {
    orgRef(t);
    t.text('object').notNullable();
    t.timestamp('last_modstamp', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['org_id', 'object']);
  });

  await knex.schema.createTable('sync_runs', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.text('kind').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.text('outcome').notNullable().defaultTo('running');
    t.jsonb('counts').notNullable().defaultTo('{}');
    t.integer('api_calls').notNullable().defaultTo(0);
    t.jsonb('warnings').notNullable().defaultTo('[]');
    t.text('error');
    t.index(['org_id', 'started_at']);
  });

  await knex.schema.createTable('sync_conflicts', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.text('kind').notNullable();
    t.text('sf_user_id');
    t.uuid('user_id').references('users.id').onDelete('CASCADE');
    t.text('email');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.text('status').notNullable().defaultTo('open').checkIn(['open', 'resolved', 'dismissed']);
    t.text('resolved_by');
    t.timestamp('resolved_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('sync_approvals', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.uuid('sync_run_id').references('sync_runs.id').onDelete('CASCADE');
    t.integer('suspend_count').notNullable();
    t.integer('total_users').notNullable();
    t.jsonb('plan').notNullable().defaultTo('{}');
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'approved', 'rejected']);
    t.text('decided_by');
    t.timestamp('decided_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('integration_health_results', (t) => {
    uuidPk(knex, t);
    orgRef(t);
    t.timestamp('checked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('overall').notNullable().checkIn(['healthy', 'degraded', 'blocked', 'unavailable']);
    t.jsonb('items').notNullable().defaultTo('[]');
    t.integer('api_calls').notNullable().defaultTo(0);
    t.text('error');
    t.index(['org_id', 'checked_at']);
  });

  await knex.schema.createTable('mailbox_providers', (t) => {
    t.uuid('org_id').primary().references('orgs.id').onDelete('CASCADE');
    t.text('provider').notNullable().checkIn(['google', 'microsoft']);
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.text('encrypted_secret').notNullable();
    t.text('org_condition'); // an org-wide failure (bad credentials, no consent) shown on every user
    t.timestamps(true, true);
  });

  await knex.schema.createTable('mailbox_probe_state', (t) => {
    t.uuid('user_id').primary().references('users.id').onDelete('CASCADE');
    orgRef(t);
    t.integer('consecutive_failures').notNullable().defaultTo(0);
    t.integer('consecutive_successes').notNullable().defaultTo(0);
    t.timestamp('first_failure_at', { useTz: true });
    t.timestamp('last_checked_at', { useTz: true });
    t.text('last_outcome');
    t.text('last_reason');
    t.jsonb('last_error');
    t.timestamp('next_probe_at', { useTz: true });
    t.index(['org_id', 'next_probe_at']);
  });

  await knex.schema.createTable('mailbox_probe_results', (t) => {
    t.bigIncrements('id');
    orgRef(t);
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.timestamp('probed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('outcome').notNullable(); // ok | hard | transient | org | internal
    t.text('reason');
    t.integer('http_status');
    t.text('provider_code');
    t.text('message');
    t.text('request_id');
    t.index(['org_id', 'user_id', 'probed_at']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    orgRef(t);
    t.text('actor').notNullable(); // a user id, or 'sync' / 'system'
    t.text('action').notNullable();
    t.text('target_type').notNullable();
    t.text('target_id');
    t.jsonb('before');
    t.jsonb('after');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['org_id', 'target_type', 'target_id']);
    t.index(['org_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'audit_log',
    'mailbox_probe_results',
    'mailbox_probe_state',
    'mailbox_providers',
    'integration_health_results',
    'sync_approvals',
    'sync_conflicts',
    'sync_runs',
    'sync_cursors',
    'salesforce_users',
    'salesforce_roles',
    'salesforce_connections',
    'custom_team_viewers',
    'custom_team_members',
    'team_memberships',
  ]) {
    await knex.schema.dropTable(table);
  }
  await knex.schema.alterTable('teams', (t) => t.dropForeign('manager_user_id'));
  for (const table of [
    'users',
    'user_settings_rules',
    'team_redirects',
    'teams',
    'follow_up_questions',
    'ranking_groups',
    'eligibility_groups',
    'configuration_profiles',
    'api_keys',
    'orgs',
  ]) {
    await knex.schema.dropTable(table);
  }
}
