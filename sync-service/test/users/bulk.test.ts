import { beforeAll, describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();

let sales: string;
let fullSync: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  sales = (await t.api('POST', '/api/v1/teams', { body: { name: 'Sales' } })).data.id;
  fullSync = (await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales - Full Sync' } })).data.id;
  for (const name of ['ann', 'ben', 'cat', 'dan', 'eve']) {
    const res = await t.api('POST', '/api/v1/users', {
      body: {
        email: `${name}@example.com`,
        firstName: name,
        lastName: 'Bulk',
        role: 'member',
        teamId: name < 'd' ? sales : undefined,
        licenses: ['foundation'],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    ids[name] = res.data.id;
  }
});

const bulk = (body: unknown) => t.api('POST', '/api/v1/users/bulk', { body });
const user = async (name: string) => (await t.api('GET', `/api/v1/users/${ids[name]}`)).data;

describe('bulk user actions', () => {
  it('counts first, then assigns a profile to every user matching the filters in one request', async () => {
    const selection = { filters: { teamId: sales } };
    const change = { action: 'assign_profile', profileId: fullSync };
    const count = await bulk({ selection, change, dryRun: true });
    expect(count.statusCode, count.body).toBe(200);
    expect(count.data).toEqual({ matched: 3, changed: 3, dryRun: true });
    expect((await user('ann')).profileName).not.toBe('Sales - Full Sync');

    const applied = await bulk({ selection, change, expectedCount: 3 });
    expect(applied.data).toEqual({ matched: 3, changed: 3, dryRun: false });
    for (const name of ['ann', 'ben', 'cat']) expect((await user(name)).profileName).toBe('Sales - Full Sync');
    expect((await user('dan')).profileName).not.toBe('Sales - Full Sync');
    // One audit entry per user changed.
    const audit = (
      await t.app.db('audit_log').where({ action: 'user.update' }).whereIn('target_id', Object.values(ids))
    ).length;
    expect(audit).toBe(3);
    // Again: everyone already has it.
    expect((await bulk({ selection, change, dryRun: true })).data).toEqual({ matched: 3, changed: 0, dryRun: true });
  });

  it('refuses to apply when the selection no longer matches the count the admin confirmed', async () => {
    const res = await bulk({
      selection: { filters: { teamId: sales } },
      change: { action: 'set_visibility', objectVisibility: 'team' },
      expectedCount: 2,
    });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('selection_changed');
    expect((await user('ann')).objectVisibility).toBe('full');
  });

  it('sets licenses, moves team, suspends and reactivates the users ticked in the table', async () => {
    const selection = { userIds: [ids.dan, ids.eve] };
    await bulk({ selection, change: { action: 'set_licenses', licenses: ['foundation', 'forecasting'] } });
    expect((await user('dan')).licenses.sort()).toEqual(['forecasting', 'foundation']);
    await bulk({ selection, change: { action: 'move_team', teamId: sales } });
    expect((await user('eve')).teamId).toBe(sales);
    const suspended = await bulk({ selection, change: { action: 'suspend', reason: 'Contractors left' } });
    expect(suspended.data.changed).toBe(2);
    expect((await user('dan')).status).toBe('suspended');
    expect((await user('dan')).suspensionReason).toBe('Contractors left');
    const back = await bulk({ selection: { userIds: [ids.dan, ids.ann] }, change: { action: 'reactivate' } });
    expect(back.data).toEqual({ matched: 2, changed: 1, dryRun: false });
    expect((await user('dan')).status).toBe('pending');
  });

  it('writes nothing when one part of the change is refused, and never suspends the acting admin', async () => {
    const me = (await t.api('GET', `/api/v1/users?search=${t.org.adminEmail}`)).data.items[0].id;
    const res = await bulk({
      selection: { userIds: [ids.ann, me] },
      change: { action: 'suspend', reason: 'cleanup' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('cannot_suspend_self');
    expect((await user('ann')).status).not.toBe('suspended');
    const unknown = await bulk({
      selection: { userIds: [ids.ann] },
      change: { action: 'assign_profile', profileId: '00000000-0000-4000-8000-000000000999' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.data.error.code).toBe('unknown_profile');
  });

  it('rejects a malformed request with a 400, never a 500', async () => {
    for (const body of [
      {},
      { selection: { userIds: [] }, change: { action: 'reactivate' } },
      { selection: { userIds: [ids.ann] }, change: { action: 'explode' } },
      { selection: { filters: { status: 'happy' } }, change: { action: 'reactivate' } },
      { selection: { userIds: [ids.ann] }, change: { action: 'set_licenses', licenses: [] } },
    ])
      expect((await bulk(body)).statusCode).toBe(400);
  });

  it('never touches users of another org', async () => {
    const other = await t.createOrg();
    const res = await t.api('POST', '/api/v1/users/bulk', {
      org: other,
      body: { selection: { userIds: [ids.ann] }, change: { action: 'suspend', reason: 'x' } },
    });
    expect(res.data).toEqual({ matched: 0, changed: 0, dryRun: false });
    expect((await user('ann')).status).not.toBe('suspended');
  });
});
