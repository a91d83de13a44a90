import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();

const exportRows = async (): Promise<string[][]> => {
  const res = await t.api('GET', '/api/v1/users/export.csv');
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/text\/csv/);
  expect(res.body.startsWith('\ufeff')).toBe(true);
  return parse(res.body, { bom: true });
};

const usersById = async () => {
  const rows = await t.app.db('users').where('org_id', t.org.orgId).orderBy('id');
  return new Map(rows.map((r: any) => [r.id, JSON.stringify({ ...r, updated_at: undefined })]));
};

beforeAll(async () => {
  await t.api('POST', '/api/v1/teams', { body: { name: 'Sales' } });
  for (let i = 0; i < 8; i++) {
    const res = await t.api('POST', '/api/v1/users', {
      body: {
        email: `user${i}@example.com`,
        firstName: `First${i}`,
        lastName: `Last${i}`,
        role: 'member',
        licenses: ['foundation', 'unified_application_enterprise'],
      },
    });
    expect(res.statusCode).toBe(201);
  }
  // Cells a spreadsheet would run as formulas, written straight to the database as a sync might.
  await t.app
    .db('users')
    .where({ org_id: t.org.orgId, email: 'user0@example.com' })
    .update({ job_title: '=HYPERLINK("http://evil")', first_name: '+1', last_name: '@me' });
  await t.app
    .db('users')
    .where({ org_id: t.org.orgId, email: 'user1@example.com' })
    .update({ job_title: '-VP', first_name: '\tTab', last_name: '\rCR' });
});

describe('CSV export', () => {
  it('writes every user with the spec columns and labels', async () => {
    const [header, ...rows] = await exportRows();
    expect(header).toEqual([
      'Email',
      'First Name',
      'Last Name',
      'Job Title',
      'Role',
      'Team',
      'Object Visibility',
      'Licenses',
      'Configuration Profile',
      'Status',
      'Suspended At',
      'Operation',
    ]);
    expect(rows).toHaveLength(9);
    const row = rows.find((r) => r[0] === 'user5@example.com')!;
    expect(row).toEqual([
      'user5@example.com',
      'First5',
      'Last5',
      '',
      'Member',
      'Top-level team',
      'Full',
      'Foundation; Unified Application Enterprise',
      'Default - Intake Off',
      'Pending',
      '',
      '',
    ]);
  });

  it('escapes cells starting with =, +, -, @, tab or CR so spreadsheets show them as text', async () => {
    const rows = await exportRows();
    const zero = rows.find((r) => r[0] === 'user0@example.com')!;
    expect(zero.slice(1, 4)).toEqual(["'+1", "'@me", `'=HYPERLINK("http://evil")`]);
    const one = rows.find((r) => r[0] === 'user1@example.com')!;
    expect(one.slice(1, 4)).toEqual(["'\tTab", "'\rCR", "'-VP"]);
  });

  it('round trip: export, edit two rows, import: exactly those rows change', async () => {
    const before = await usersById();
    const [header, ...rows] = await exportRows();
    const op = header!.indexOf('Operation');
    const edited = rows.map((r) => [...r]);
    const a = edited.find((r) => r[0] === 'user2@example.com')!;
    a[1] = 'Renamed';
    a[op] = 'Edit';
    const b = edited.find((r) => r[0] === 'user3@example.com')!;
    b[5] = 'Sales';
    b[7] = 'PeopleGlass Enterprise';
    b[op] = 'Edit';
    // An escaped cell marked Edit but not changed must come back as it was.
    const z = edited.find((r) => r[0] === 'user0@example.com')!;
    z[op] = 'Edit';
    const file = stringify([header!, ...edited], { bom: true, record_delimiter: 'windows' });

    const res = await t.api('POST', '/api/v1/users/import?dryRun=false', {
      payload: file,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.data, res.body).toMatchObject({
      applied: true,
      errors: [],
      summary: { add: 0, edit: 2, suspend: 0, delete: 0, unchanged: 7 },
    });

    const after = await usersById();
    const changed = [...after.keys()].filter((id) => after.get(id) !== before.get(id));
    const emails = (await t.app.db('users').whereIn('id', changed).pluck('email')).sort();
    expect(emails).toEqual(['user2@example.com', 'user3@example.com']);
    const three = (await t.api('GET', '/api/v1/users?search=user3@')).data.items[0];
    expect(three).toMatchObject({ teamName: 'Sales', licenses: ['unified_application_enterprise'] });
  });
});
