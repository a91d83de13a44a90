import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

describe('org settings', () => {
  const t = setupApp();

  it('start with the spec defaults: manual mode, role hierarchy, 60 s polls, 10% guard, 80% API budget, 15-minute probes', async () => {
    const res = await t.api('GET', '/api/v1/org/settings');
    expect(res.statusCode).toBe(200);
    expect(res.data).toEqual({
      name: 'Acme',
      managementMode: 'manual',
      hierarchySource: 'role',
      syncPollSeconds: 60,
      suspensionGuardShare: 0.1,
      apiBudgetShare: 0.8,
      mailboxProbeMinutes: 15,
    });
  });

  it('lets an admin tune the poll interval and guard, and audits the change', async () => {
    const res = await t.api('PATCH', '/api/v1/org/settings', {
      body: { syncPollSeconds: 30, suspensionGuardShare: 0.25 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({ syncPollSeconds: 30, suspensionGuardShare: 0.25 });
    const audit = await t.api('GET', `/api/v1/audit-log?targetType=org&targetId=${t.org.orgId}`);
    expect(
      audit.data.items.some((e: any) => e.action === 'org.settings.update' && e.after.syncPollSeconds === 30),
    ).toBe(true);
  });

  it('refuses out-of-range values and unknown settings with a 400 naming them', async () => {
    const tooFast = await t.api('PATCH', '/api/v1/org/settings', { body: { syncPollSeconds: 1 } });
    expect(tooFast.statusCode).toBe(400);
    expect(tooFast.data.error.message).toContain('syncPollSeconds');
    const unknown = await t.api('PATCH', '/api/v1/org/settings', { body: { managementMode: 'automatic' } });
    expect(unknown.statusCode).toBe(400);
    const empty = await t.api('PATCH', '/api/v1/org/settings', { body: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('lets only an admin change them', async () => {
    const res = await t.api('PATCH', '/api/v1/org/settings', { body: { syncPollSeconds: 45 }, as: null });
    expect(res.statusCode).toBe(403);
  });
});
