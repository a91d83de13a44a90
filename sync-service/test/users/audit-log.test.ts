import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();

describe('the audit log', () => {
  it('records every admin change with actor, action, target, before and after, newest first, paged and filtered by target', async () => {
    const user = (
      await t.api('POST', '/api/v1/users', {
        body: { email: 'audited@example.com', firstName: 'Au', lastName: 'Dited', role: 'member', jobTitle: 'Rep' },
      })
    ).data;
    await t.api('PATCH', `/api/v1/users/${user.id}`, { body: { jobTitle: 'Senior Rep' } });
    await t.api('POST', `/api/v1/users/${user.id}/suspend`, { body: { reason: 'Parental leave' } });
    await t.api('POST', `/api/v1/users/${user.id}/reactivate`);
    const team = (await t.api('POST', '/api/v1/teams', { body: { name: 'Audited team' } })).data;

    const first = await t.api('GET', `/api/v1/audit-log?targetType=user&targetId=${user.id}&limit=2`);
    expect(first.statusCode).toBe(200);
    expect(first.data.items.map((e: any) => e.action)).toEqual(['user.reactivate', 'user.suspend']);
    expect(first.data.items[1]).toMatchObject({
      actor: t.org.adminUserId,
      targetType: 'user',
      targetId: user.id,
      before: { status: 'pending' },
      after: { status: 'suspended', reason: 'Parental leave' },
    });
    const rest = await t.api(
      'GET',
      `/api/v1/audit-log?targetType=user&targetId=${user.id}&cursor=${first.data.nextCursor}`,
    );
    expect(rest.data.items.map((e: any) => e.action)).toEqual(['user.update', 'user.create']);
    expect(rest.data.items[0]).toMatchObject({ before: { jobTitle: 'Rep' }, after: { jobTitle: 'Senior Rep' } });
    expect(rest.data.nextCursor).toBeNull();

    const teams = await t.api('GET', '/api/v1/audit-log?targetType=team');
    expect(teams.data.items[0]).toMatchObject({
      action: 'team.create',
      targetId: team.id,
      after: { name: 'Audited team' },
    });
  });

  it('shows an org only its own entries', async () => {
    const other = await t.createOrg();
    const res = await t.api('GET', '/api/v1/audit-log?targetType=user', { org: other });
    expect(res.data.items).toEqual([]);
  });

  it('filters by actor, action and time, as the Audit Log screen asks', async () => {
    const user = (
      await t.api('POST', '/api/v1/users', {
        body: { email: 'filtered@example.com', firstName: 'Fil', lastName: 'Tered', role: 'member' },
      })
    ).data;
    await t.api('POST', `/api/v1/users/${user.id}/suspend`, { body: { reason: 'Left' } });
    const mine = await t.api('GET', `/api/v1/audit-log?actor=${t.org.adminUserId}&action=user.suspend`);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.data.items[0].targetId).toBe(user.id);
    expect(new Set(mine.data.items.map((e: any) => `${e.actor} ${e.action}`))).toEqual(
      new Set([`${t.org.adminUserId} user.suspend`]),
    );
    const bySync = await t.api('GET', '/api/v1/audit-log?actor=sync&action=user.suspend');
    expect(bySync.data.items).toEqual([]);

    const at = Date.parse(mine.data.items[0].at);
    const around = (from: number, to: number) =>
      t.api(
        'GET',
        `/api/v1/audit-log?action=user.suspend&targetId=${user.id}&from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`,
      );
    expect((await around(at - 60_000, at + 60_000)).data.items).toHaveLength(1);
    expect((await around(at + 1, at + 60_000)).data.items).toEqual([]);
    // The admin's local midnight arrives with its offset.
    const local = await t.api('GET', `/api/v1/audit-log?from=${encodeURIComponent('2000-01-01T00:00:00+02:00')}`);
    expect(local.statusCode).toBe(200);
  });

  it('refuses a time range that ends before it starts, and a date that is not ISO 8601', async () => {
    const backwards = await t.api('GET', '/api/v1/audit-log?from=2026-12-02T00:00:00.000Z&to=2026-12-01T00:00:00.000Z');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.data.error.message).toContain('from must be before to');
    const bad = await t.api('GET', '/api/v1/audit-log?from=yesterday');
    expect(bad.statusCode).toBe(400);
  });
});
