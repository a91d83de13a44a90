import { beforeAll, describe, expect, it } from 'vitest';
import { userId } from '../sync/org.js';
import { automaticOrg, syncNow, usersByEmail } from '../sync/support.js';

describe('the mass-suspension guard and what follows a rejected suspension', () => {
  const { t, salesforce } = automaticOrg(12);
  beforeAll(async () => {
    // Forty people added by hand (no Salesforce record): the sync can never suspend them.
    for (let i = 0; i < 40; i++) {
      const res = await t.api('POST', '/api/v1/users', {
        body: { email: `hand${i}@small.example.com`, firstName: 'Hand', lastName: `Added${i}`, role: 'member' },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  it('counts the suspension share over Salesforce-linked users only, so hand-added users do not dilute it', async () => {
    // 2 of the 12 Salesforce users (17%, over the 10% guard); of everyone in Roster it would be under 4%.
    salesforce().deactivateUser(userId(2));
    salesforce().deactivateUser(userId(3));
    const run = await syncNow(t);
    expect(run.outcome).toBe('awaiting_approval');
    const [approval] = (await t.api('GET', '/api/v1/sync/approvals')).data.items;
    expect(approval).toMatchObject({ status: 'pending', suspendCount: 2 });
    expect(approval.totalUsers).toBeLessThan(20);
  });

  it('shows users an admin kept active while Salesforce has them inactive as drift, until suspended or back', async () => {
    const [approval] = (await t.api('GET', '/api/v1/sync/approvals')).data.items;
    const decided = await t.api('POST', `/api/v1/sync/approvals/${approval.id}/reject`);
    expect(decided.statusCode, decided.body).toBe(200);
    let drift = (await t.api('GET', '/api/v1/sync/drift')).data;
    expect(drift.count).toBe(2);
    expect(drift.items.map((d: any) => [d.email, d.reason]).sort()).toEqual([
      ['user2@small.example.com', 'Deactivated in Salesforce'],
      ['user3@small.example.com', 'Deactivated in Salesforce'],
    ]);

    // A later change to one of them does not suspend them behind the admin's back: they stay drift.
    salesforce().updateUser(userId(2), { Title: 'Still gone' });
    await syncNow(t);
    let users = await usersByEmail(t);
    expect(users.get('user2@small.example.com').status).not.toBe('suspended');
    expect((await t.api('GET', '/api/v1/sync/drift')).data.count).toBe(2);

    // An admin suspends one; Salesforce brings the other back.
    const suspend = await t.api('POST', `/api/v1/users/${users.get('user2@small.example.com').id}/suspend`, {
      body: { reason: 'Left the company' },
    });
    expect(suspend.statusCode, suspend.body).toBe(200);
    drift = (await t.api('GET', '/api/v1/sync/drift')).data;
    expect(drift.items.map((d: any) => d.email)).toEqual(['user3@small.example.com']);
    salesforce().activateUser(userId(3));
    await syncNow(t);
    expect((await t.api('GET', '/api/v1/sync/drift')).data).toEqual({ count: 0, items: [] });
    users = await usersByEmail(t);
    expect(users.get('user3@small.example.com').status).not.toBe('suspended');
  });

  it('refuses the one-time role import in Automatic Mode with a clear code', async () => {
    for (const url of ['/api/v1/salesforce/roles/import/preview', '/api/v1/salesforce/roles/import']) {
      const res = await t.api('POST', url);
      expect(res.statusCode, url).toBe(409);
      expect(res.data.error.code).toBe('automatic_mode');
      expect(res.data.error.message).toMatch(/Manual Mode/);
    }
  });
});
