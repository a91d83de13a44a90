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
});
