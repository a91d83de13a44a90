import { beforeAll, describe, expect, it } from 'vitest';
import { UserPage } from '../../src/users/schemas.js';
import { setupApp } from '../helper.js';

const t = setupApp();

const names = [
  'Zoe Adams',
  'Yan Baker',
  'Xia Clark',
  'Will Davis',
  'Vera Evans',
  'Uma Fox',
  'Tom Green',
  'Sam Hill',
  'Ria Irwin',
  'Quinn Jones',
];
let sales: string;
let emea: string;

beforeAll(async () => {
  sales = (await t.api('POST', '/api/v1/teams', { body: { name: 'Sales' } })).data.id;
  emea = (await t.api('POST', '/api/v1/teams', { body: { name: 'EMEA', parentId: sales } })).data.id;
  for (const [i, name] of names.entries()) {
    const [firstName, lastName] = name.split(' ');
    const res = await t.api('POST', '/api/v1/users', {
      body: {
        email: `${firstName!.toLowerCase()}@example.com`,
        firstName,
        lastName,
        role: i % 3 === 0 ? 'manager' : 'member',
        teamId: i < 3 ? sales : i < 6 ? emea : undefined,
        licenses: i % 2 === 0 ? ['foundation', 'forecasting'] : ['foundation'],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  const ids = (await t.api('GET', '/api/v1/users?limit=100')).data.items;
  const byEmail = (e: string) => ids.find((u: any) => u.email === e).id;
  await t.app
    .db('users')
    .whereIn('id', [byEmail('zoe@example.com'), byEmail('yan@example.com')])
    .update({ status: 'active' });
  await t.app.db('users').where('id', byEmail('xia@example.com')).update({ status: 'permission_error' });
  await t.app.db('users').where('id', byEmail('will@example.com')).update({ status: 'onboarding' });
  await t.api('POST', `/api/v1/users/${byEmail('vera@example.com')}/suspend`, { body: { reason: 'leave' } });
});

const emails = (res: any) => res.data.items.map((u: any) => u.email);

describe('listing users', () => {
  it('sorts by name and walks every page with the keyset cursor, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.api('GET', `/api/v1/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...emails(res));
      cursor = res.data.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(11);
    expect(seen.slice(0, 3)).toEqual(['zoe@example.com', 'admin1@example.com', 'yan@example.com']);
    expect(new Set(seen).size).toBe(11);
  });

  it('answers pages exactly as the documented schema describes them, every field of every user', async () => {
    // The listing's serializer does not check bodies against the schema on each request: this does.
    for (const query of ['limit=100', 'status=suspended', 'sort=-createdAt&limit=4', `teamId=${sales}`]) {
      const res = await t.api('GET', `/api/v1/users?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(UserPage.parse(res.data), query).toEqual(res.data); // parse drops keys the schema does not name
    }
  });

  it('sorts descending by email and by creation time', async () => {
    const byEmail = await t.api('GET', '/api/v1/users?sort=-email&limit=2');
    expect(emails(byEmail)).toEqual(['zoe@example.com', 'yan@example.com']);
    const next = await t.api('GET', `/api/v1/users?sort=-email&limit=2&cursor=${byEmail.data.nextCursor}`);
    expect(emails(next)).toEqual(['xia@example.com', 'will@example.com']);
    const newest = await t.api('GET', '/api/v1/users?sort=-createdAt&limit=1');
    expect(emails(newest)).toEqual(['quinn@example.com']);
    const byStatus = await t.api('GET', '/api/v1/users?sort=status&limit=1');
    expect(byStatus.data.items[0].status).toBe('active');
  });

  it('searches by name or email, case-insensitively', async () => {
    expect(emails(await t.api('GET', '/api/v1/users?search=GREEN'))).toEqual(['tom@example.com']);
    expect(emails(await t.api('GET', '/api/v1/users?search=sam%20hill'))).toEqual(['sam@example.com']);
    expect(emails(await t.api('GET', '/api/v1/users?search=ria@'))).toEqual(['ria@example.com']);
    expect(emails(await t.api('GET', '/api/v1/users?search=%25'))).toEqual([]);
    // Text that only spans two parts (the email's end and the first name, or the name twice) matches nobody.
    expect(emails(await t.api('GET', '/api/v1/users?search=com%20tom'))).toEqual([]);
    expect(emails(await t.api('GET', '/api/v1/users?search=green%20green'))).toEqual([]);
  });

  it('filters by status, role, license, profile and team including sub-teams', async () => {
    expect(emails(await t.api('GET', '/api/v1/users?status=active'))).toEqual(['zoe@example.com', 'yan@example.com']);
    expect(emails(await t.api('GET', '/api/v1/users?role=manager')).sort()).toEqual([
      'quinn@example.com',
      'tom@example.com',
      'will@example.com',
      'zoe@example.com',
    ]);
    expect(emails(await t.api('GET', '/api/v1/users?license=forecasting'))).toHaveLength(5);
    expect(emails(await t.api('GET', `/api/v1/users?teamId=${sales}`))).toHaveLength(6);
    expect(emails(await t.api('GET', `/api/v1/users?teamId=${emea}`)).sort()).toEqual([
      'uma@example.com',
      'vera@example.com',
      'will@example.com',
    ]);
    expect(
      emails(await t.api('GET', `/api/v1/users?profileId=${t.org.defaultProfileId}&teamId=${emea}&role=manager`)),
    ).toEqual(['will@example.com']);
  });

  it('rejects a bad filter or a forged cursor with a 400', async () => {
    expect((await t.api('GET', '/api/v1/users?status=happy')).statusCode).toBe(400);
    expect((await t.api('GET', '/api/v1/users?sort=shoeSize')).statusCode).toBe(400);
    const res = await t.api('GET', '/api/v1/users?cursor=bm9wZQ');
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('invalid_cursor');
  });

  it('lists exactly the users a screen names by id, and refuses ids that are not ids', async () => {
    const all = (await t.api('GET', '/api/v1/users?limit=100')).data.items;
    const [zoe, uma] = ['zoe@example.com', 'uma@example.com'].map((e) => all.find((u: any) => u.email === e).id);
    const res = await t.api('GET', `/api/v1/users?ids=${zoe},${uma}&sort=email`);
    expect(res.statusCode, res.body).toBe(200);
    expect(emails(res)).toEqual(['uma@example.com', 'zoe@example.com']);
    const bad = await t.api('GET', '/api/v1/users?ids=not-an-id');
    expect(bad.statusCode).toBe(400);
  });

  it('counts users by status', async () => {
    const res = await t.api('GET', '/api/v1/users/counts');
    expect(res.data).toEqual({ total: 11, pending: 6, onboarding: 1, permissionErrors: 1, active: 2, suspended: 1 });
  });

  it('never lists users of another org', async () => {
    const other = await t.createOrg();
    const res = await t.api('GET', '/api/v1/users?limit=100', { org: other });
    expect(emails(res)).toEqual([other.adminEmail]);
    expect((await t.api('GET', '/api/v1/users/counts', { org: other })).data.total).toBe(1);
  });
});
