import type { TestApp, TestOrg } from '../helper.js';
import type { FakeGoogle } from '@roster/fake-google';
import type { FakeGraph } from '@roster/fake-graph';

/** Env for mailbox tests: the fakes' URLs allowed, compressed intervals, no test-access cap in the way. */
export const mailboxEnv = (extra: Record<string, string> = {}) => ({
  MAILBOX_CUSTOM_ENDPOINTS: 'true',
  MAILBOX_INTERVAL_SECONDS: '2',
  MAILBOX_RECHECK_SECONDS: '0.2',
  MAILBOX_TEST_ACCESS_PER_MINUTE: '1000',
  ...extra,
});

/** Users straight into the users table (the users API is another engineer's), as the brief allows. */
export async function addUsers(
  t: TestApp,
  emails: string[],
  opts: { role?: string; status?: string; org?: TestOrg } = {},
): Promise<string[]> {
  const org = opts.org ?? t.org;
  const rows = await t.app
    .db('users')
    .insert(
      emails.map((email) => ({
        org_id: org.orgId,
        email,
        role: opts.role ?? 'member',
        status: opts.status ?? 'pending',
        profile_id: org.defaultProfileId,
        source: 'manual',
        ...(opts.status === 'suspended' ? { suspended_at: new Date() } : {}),
      })),
    )
    .returning('id');
  return rows.map((r: { id: string }) => r.id);
}

export async function useGoogle(t: TestApp, fake: FakeGoogle) {
  const res = await t.api('PUT', '/api/v1/mailbox/provider', {
    body: { provider: 'google', ...fake.credentials, tokenUrl: fake.tokenUrl, apiRootUrl: fake.apiRootUrl },
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res;
}

export async function useGraph(t: TestApp, fake: FakeGraph, org?: TestOrg) {
  const res = await t.api('PUT', '/api/v1/mailbox/provider', {
    org,
    body: {
      provider: 'microsoft',
      tenantId: fake.tenantId,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      authorityUrl: fake.authorityUrl,
      graphUrl: fake.graphUrl,
    },
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res;
}

export const testAccess = (t: TestApp, userId: string) => t.api('POST', `/api/v1/users/${userId}/test-access`);

export const userStatus = async (t: TestApp, userId: string) =>
  (await t.app.db('users').where({ id: userId }).first('status', 'permission_error_since')) as {
    status: string;
    permission_error_since: Date | null;
  };

/** Makes every probe state due now, as if its slot had come (instead of waiting out the interval). */
export const makeDue = (t: TestApp) =>
  t.app.db('mailbox_probe_state').update({ next_probe_at: t.app.db.raw("now() - interval '1 second'") });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
