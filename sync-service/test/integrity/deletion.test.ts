import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';
import { userId } from '../sync/org.js';
import { automaticOrg, syncNow, usersByEmail } from '../sync/support.js';

describe('deleting a user deletes their personal data', () => {
  const t = setupApp();

  it('keeps who deleted which user id and when, and strips the name and email from every earlier entry', async () => {
    const created = await t.api('POST', '/api/v1/users', {
      body: { email: 'Gone.Person@example.com', firstName: 'Gone', lastName: 'Person', jobTitle: 'AE', role: 'member' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.data.id;
    const other = await t.api('POST', '/api/v1/users', {
      body: { email: 'agone.person@example.com', firstName: 'Stays', lastName: 'Here', role: 'member' },
    });
    await t.api('PATCH', `/api/v1/users/${id}`, { body: { firstName: 'Goner', email: 'gone@example.com' } });
    const del = await t.api('DELETE', `/api/v1/users/${id}?confirm=gone@example.com`);
    expect(del.statusCode, del.body).toBe(204);

    const log = (await t.api('GET', `/api/v1/audit-log?targetType=user&targetId=${id}`)).data.items as any[];
    const deletion = log.find((e) => e.action === 'user.delete');
    expect(deletion).toMatchObject({ targetId: id, actor: expect.any(String), at: expect.any(String) });
    expect(log.length).toBeGreaterThan(1);
    const everything = JSON.stringify((await t.api('GET', '/api/v1/audit-log?limit=500')).data.items);
    for (const personal of ['"Gone.Person@example.com', '"gone@example.com', '"Goner"', '"Gone"', '"Person"', '"AE"'])
      expect(everything.toLowerCase(), personal).not.toContain(personal.toLowerCase());
    // Someone else whose email merely contains the deleted one keeps theirs.
    expect(everything).toContain('agone.person@example.com');
    expect(other.statusCode).toBe(201);
  });

  it("rewrites a CSV import's result file that named the deleted user to [deleted user]", async () => {
    const imported = await t.api('POST', '/api/v1/users/import?dryRun=false', {
      payload: ['Email,First Name,Last Name,Role,Operation', 'Imported.Gone@example.com,Im,Gone,Member,Add'].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const before = (await t.api('GET', imported.data.resultCsvUrl)).body;
    expect(before).toContain('Imported.Gone@example.com');
    const users = (await t.api('GET', '/api/v1/users?search=imported.gone')).data.items as { id: string }[];
    expect(users).toHaveLength(1);
    const del = await t.api('DELETE', `/api/v1/users/${users[0]!.id}?confirm=imported.gone@example.com`);
    expect(del.statusCode, del.body).toBe(204);
    const after = (await t.api('GET', imported.data.resultCsvUrl)).body;
    expect(after.toLowerCase()).not.toContain('imported.gone@example.com');
    expect(after).toContain('[deleted user]');
  });
});

describe('deleting a user a paused sync would suspend', () => {
  const { t, salesforce } = automaticOrg(12);

  it("rewrites the paused plan's mention of them to [deleted user] and keeps the others'", async () => {
    salesforce().deactivateUser(userId(2));
    salesforce().deactivateUser(userId(3));
    expect((await syncNow(t)).outcome).toBe('awaiting_approval');
    const gone = (await usersByEmail(t)).get('user2@small.example.com');
    const del = await t.api('DELETE', `/api/v1/users/${gone.id}?confirm=user2@small.example.com`);
    expect(del.statusCode, del.body).toBe(204);
    const [approval] = (await t.api('GET', '/api/v1/sync/approvals')).data.items;
    const plan = JSON.stringify(approval.plan).toLowerCase();
    expect(plan).not.toContain('user2@small.example.com');
    expect(plan).toContain('[deleted user]');
    expect(plan).toContain('user3@small.example.com');
  });
});
