import { describe, expect, it } from 'vitest';
import { scoped } from '../../src/db/scoped.js';
import { refreshDerivedManagers } from '../../src/teams/managers.js';
import { setupApp } from '../helper.js';

const t = setupApp();

let n = 0;
const team = async () => (await t.api('POST', '/api/v1/teams', { body: { name: `Team ${++n}` } })).data;
const user = async (teamId: string, role: string, sfUserId?: string) => {
  const res = await t.api('POST', '/api/v1/users', {
    body: { email: `m${++n}@example.com`, firstName: 'M', lastName: `Anager${n}`, teamId, role, sfUserId },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data;
};
const getTeam = async (id: string) => (await t.api('GET', `/api/v1/teams/${id}`)).data;
const sfId = (k: number) => `005MGR${k}`.padEnd(18, '0');

describe('team managers', () => {
  it('derives the only member with the Manager role, and none when nobody has it', async () => {
    const sales = await team();
    await user(sales.id, 'member');
    expect((await getTeam(sales.id)).managerUserId).toBeNull();
    const boss = await user(sales.id, 'manager');
    expect(await getTeam(sales.id)).toMatchObject({
      managerUserId: boss.id,
      managerSetByHand: false,
      managerWarning: null,
    });
  });

  it('with several managers picks the one the others report to in Salesforce, with a warning', async () => {
    const sales = await team();
    const first = await user(sales.id, 'manager', sfId(1));
    const head = await user(sales.id, 'manager', sfId(2));
    await t.app.db('salesforce_users').insert([
      { org_id: t.org.orgId, sf_user_id: sfId(1), email: first.email, is_active: true, sf_manager_id: sfId(2) },
      { org_id: t.org.orgId, sf_user_id: sfId(2), email: head.email, is_active: true },
    ]);
    const results = await refreshDerivedManagers(scoped(t.app.db, t.org.orgId), [sales.id]);
    expect(results[0]).toMatchObject({
      managerUserId: head.id,
      warning: expect.stringMatching(/report to in Salesforce/),
    });
    const res = await t.api('PATCH', `/api/v1/teams/${sales.id}`, { body: {} });
    expect(res.data.warnings[0]).toMatch(/2 members have the Manager role/);
  });

  it('with several managers and no Salesforce reporting line picks the earliest created and warns on the user change', async () => {
    const sales = await team();
    const earliest = await user(sales.id, 'manager');
    const res = await t.api('POST', '/api/v1/users', {
      body: { email: `late${++n}@example.com`, firstName: 'La', lastName: 'Te', teamId: sales.id, role: 'manager' },
    });
    expect(res.data.warnings[0]).toMatch(/earliest created/);
    expect((await getTeam(sales.id)).managerUserId).toBe(earliest.id);
  });

  it('keeps a manager set by hand when members change, and goes back to derivation on null', async () => {
    const sales = await team();
    const member = await user(sales.id, 'member');
    const set = await t.api('PATCH', `/api/v1/teams/${sales.id}`, { body: { managerUserId: member.id } });
    expect(set.data).toMatchObject({ managerUserId: member.id, managerSetByHand: true });
    const derived = await user(sales.id, 'manager');
    await refreshDerivedManagers(scoped(t.app.db, t.org.orgId));
    expect((await getTeam(sales.id)).managerUserId).toBe(member.id);
    const back = await t.api('PATCH', `/api/v1/teams/${sales.id}`, { body: { managerUserId: null } });
    expect(back.data).toMatchObject({ managerUserId: derived.id, managerSetByHand: false });
  });

  it('moves the derived manager away when the manager is suspended or leaves the team', async () => {
    const sales = await team();
    const other = await team();
    const boss = await user(sales.id, 'manager');
    await t.api('POST', `/api/v1/users/${boss.id}/suspend`, { body: { reason: 'leave' } });
    expect((await getTeam(sales.id)).managerUserId).toBeNull();
    await t.api('POST', `/api/v1/users/${boss.id}/reactivate`);
    expect((await getTeam(sales.id)).managerUserId).toBe(boss.id);
    await t.api('PATCH', `/api/v1/users/${boss.id}`, { body: { teamId: other.id } });
    expect((await getTeam(sales.id)).managerUserId).toBeNull();
    expect((await getTeam(other.id)).managerUserId).toBe(boss.id);
  });
});
