import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '@roster/fake-google';
import { build, type TestApp } from '../helper.js';
import { addUsers, mailboxEnv, testAccess, useGoogle, userStatus } from './support.js';

describe('mailbox probes through Google Workspace', () => {
  let t: TestApp;
  let google: FakeGoogle;
  beforeAll(async () => {
    google = await startFakeGoogle();
    t = await build({ env: mailboxEnv() });
    await useGoogle(t, google);
  });
  afterAll(async () => {
    await t.close();
    await google.close();
  });

  it('keeps the service-account key sealed and never returns it', async () => {
    const res = await t.api('GET', '/api/v1/mailbox/provider');
    expect(res.statusCode).toBe(200);
    expect(res.data.provider).toBe('google');
    expect(res.data.secretSet).toBe(true);
    expect(res.body).not.toContain('PRIVATE KEY');
    const row = await t.app.db('mailbox_providers').first();
    expect(row.encrypted_secret).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('PRIVATE KEY');
    const audit = await t.app.db('audit_log').where({ action: 'mailbox_provider.create' }).first();
    expect(JSON.stringify(audit)).not.toContain('PRIVATE KEY');
  });

  it('onboards a new user on their first passing probe: pending, then a counted backfill scan, then active', async () => {
    const [id] = await addUsers(t, ['new.hire@acme.test']);
    google.control.users.set('new.hire@acme.test', 'ok');
    expect((await userStatus(t, id!)).status).toBe('pending');
    const res = await testAccess(t, id!);
    expect(res.statusCode).toBe(200);
    expect(res.data.outcome).toBe('ok');
    expect(res.data.status).toBe('active');
    const state = await t.app.db('mailbox_probe_state').where({ user_id: id }).first();
    expect(state.backfill_messages).toBe(google.control.messagesPerUser);
    expect(state.backfill_events).toBe(google.control.eventsPerUser);
    expect(state.backfill_finished_at).not.toBeNull();
    const transitions = await t.app
      .db('audit_log')
      .where({ action: 'user.mailbox_status', target_id: id })
      .orderBy('id');
    expect(transitions.map((a) => a.after.status)).toEqual(['onboarding', 'active']);
  });

  it('flags a user only after two failures in a row, dated from the first, and clears only after two passes', async () => {
    const [id] = await addUsers(t, ['gmail.off@acme.test'], { status: 'active' });
    google.control.users.set('gmail.off@acme.test', 'mail_off');
    const first = await testAccess(t, id!);
    expect(first.data.outcome).toBe('hard');
    expect(first.data.reason.code).toBe('mailbox_unavailable');
    expect(first.data.provider).toMatchObject({
      httpStatus: 400,
      code: 'failedPrecondition',
      message: 'Mail service not enabled',
    });
    expect((await userStatus(t, id!)).status).toBe('active');
    const firstAt = (await t.app.db('mailbox_probe_state').where({ user_id: id }).first()).first_failure_at;

    await testAccess(t, id!);
    const flagged = await userStatus(t, id!);
    expect(flagged.status).toBe('permission_error');
    expect(flagged.permission_error_since?.toISOString()).toBe(new Date(firstAt).toISOString());

    google.control.users.set('gmail.off@acme.test', 'ok');
    await testAccess(t, id!);
    expect((await userStatus(t, id!)).status).toBe('permission_error');
    await testAccess(t, id!);
    expect((await userStatus(t, id!)).status).not.toBe('permission_error');
  });

  it.each([
    ['an unknown address', 'nobody@acme.test', undefined, 'user_unknown', 'hard'],
    ['a deleted account', 'gone@acme.test', 'deleted', 'user_unknown', 'hard'],
    ['a suspended Workspace account', 'held@acme.test', 'suspended', 'user_unknown', 'hard'],
    ['Calendar turned off', 'nocal@acme.test', 'calendar_off', 'mailbox_unavailable', 'hard'],
    ['Gmail turned off', 'nomail@acme.test', 'mail_off', 'mailbox_unavailable', 'hard'],
    ['a 429 from Gmail', 'busy@acme.test', 'throttled', 'throttled', 'transient'],
    ['a 503 from Google', 'down@acme.test', 'outage', 'provider_outage', 'transient'],
  ] as const)('classifies %s', async (_what, email, behavior, reason, outcome) => {
    const [id] = await addUsers(t, [email], { status: 'active' });
    if (behavior) google.control.users.set(email, behavior);
    const res = await testAccess(t, id!);
    expect(res.data.outcome).toBe(outcome);
    expect(res.data.reason.code).toBe(reason);
    expect(res.data.reason.fix.length).toBeGreaterThan(10);
  });

  it('never flags a throttled user, however often the provider says slow down', async () => {
    const [id] = await addUsers(t, ['slow@acme.test'], { status: 'active' });
    google.control.users.set('slow@acme.test', 'throttled');
    const before = google.calls.api;
    for (let i = 0; i < 3; i += 1) await testAccess(t, id!);
    expect((await userStatus(t, id!)).status).toBe('active');
    expect(google.calls.api - before).toBe(3); // client retries are off: one probe, one call
  });

  it.each([
    [
      'domain-wide delegation missing',
      (): void => void (google.control.delegatedScopes = null),
      'provider_not_authorized',
    ],
    [
      'a delegation without the Calendar scope',
      (): void => void (google.control.delegatedScopes = ['https://www.googleapis.com/auth/gmail.readonly']),
      'provider_not_authorized',
    ],
    [
      'the Gmail API disabled in the Cloud project',
      (): void => void (google.control.apiDisabled = true),
      'provider_not_authorized',
    ],
    ['a deleted service-account key', (): void => void (google.control.keyDeleted = true), 'credentials_invalid'],
  ] as const)('reports %s as an org-wide condition', async (_what, breakIt, reason) => {
    const [id] = await addUsers(t, [`canary.${reason}.${Math.random().toString(36).slice(2, 6)}@acme.test`], {
      status: 'active',
    });
    const email = (await t.app.db('users').where({ id }).first()).email;
    google.control.users.set(email, 'ok');
    breakIt();
    try {
      const res = await testAccess(t, id!);
      expect(res.data.outcome).toBe('org');
      expect(res.data.reason.code).toBe(reason);
      expect((await userStatus(t, id!)).status).toBe('active');
      const provider = await t.api('GET', '/api/v1/mailbox/provider');
      expect(provider.data.orgCondition.code).toBe(reason);
    } finally {
      Object.assign(google.control, {
        delegatedScopes: [
          'https://www.googleapis.com/auth/gmail.readonly',
          'https://www.googleapis.com/auth/calendar.readonly',
        ],
        apiDisabled: false,
        keyDeleted: false,
      });
      await testAccess(t, id!); // a passing probe clears the condition
    }
    expect((await t.api('GET', '/api/v1/mailbox/provider')).data.orgCondition).toBeNull();
  });

  it('lists errored users with since, reason, fix and last check, and exports them as formula-safe CSV', async () => {
    const [id] = await addUsers(t, ['-dash@acme.test'], { status: 'active' });
    await testAccess(t, id!);
    await testAccess(t, id!); // unknown at Google twice
    const list = await t.api('GET', '/api/v1/permission-errors');
    const item = list.data.items.find((i: { email: string }) => i.email === '-dash@acme.test');
    expect(item).toMatchObject({
      reason: { code: 'user_unknown' },
      provider: { code: 'invalid_grant', message: 'Invalid email or User ID' },
    });
    expect(item.since).not.toBeNull();
    expect(item.lastChecked).not.toBeNull();
    const csv = await t.api('GET', '/api/v1/permission-errors.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe(
      'Email,Permission Error Since,Reason,Fix,Takes Effect,Last Checked,Provider Code,Provider Message',
    );
    const row = lines.find((l) => l.includes('dash@acme.test'))!;
    expect(row.startsWith("'-dash@acme.test,")).toBe(true);
    expect(row).toContain('Unknown or suspended user');
    expect(row).toContain('Not an active Google Workspace user in your domain: check the address.');
    expect(lines.length - 1).toBe(list.data.total);
  });

  it('refuses to probe data users and suspended users', async () => {
    const [dataUser] = await addUsers(t, ['data.only@acme.test'], { role: 'data' });
    const [suspended] = await addUsers(t, ['left@acme.test'], { status: 'suspended' });
    for (const id of [dataUser!, suspended!]) {
      const res = await testAccess(t, id);
      expect(res.statusCode).toBe(422);
      expect(res.data.error.code).toBe('not_probed');
    }
  });
});
