import { beforeAll, describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();

const HEADER =
  'Email,First Name,Last Name,Job Title,Role,Team,Object Visibility,Licenses,Configuration Profile,Operation';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\n');
const upload = (body: string | Buffer, dryRun = true, org = t.org) =>
  t.api('POST', `/api/v1/users/import?dryRun=${dryRun}`, {
    org,
    payload: body,
    headers: { 'content-type': 'text/csv' },
  });

/** Every row the import could touch, to prove a refused import changed nothing. */
const snapshot = async () => {
  const db = t.app.db;
  const [users, memberships, teams, audit] = await Promise.all([
    db('users').where('org_id', t.org.orgId).orderBy('id'),
    db('team_memberships').where('org_id', t.org.orgId).orderBy('id'),
    db('teams').where('org_id', t.org.orgId).orderBy('id'),
    db('audit_log').where('org_id', t.org.orgId).orderBy('id'),
  ]);
  return JSON.stringify({ users, memberships, teams, audit });
};

beforeAll(async () => {
  expect((await t.api('POST', '/api/v1/teams', { body: { name: 'Sales' } })).statusCode).toBe(201);
  for (const email of [
    'existing@example.com',
    'edit.me@example.com',
    'suspend.me@example.com',
    'delete.me@example.com',
  ]) {
    expect(
      (await t.api('POST', '/api/v1/users', { body: { email, role: 'member', firstName: 'Old', lastName: 'Timer' } }))
        .statusCode,
    ).toBe(201);
  }
});

describe('CSV import: every problem by line and column', () => {
  it('reports each bad input of the file with its line, column and code, and writes nothing', async () => {
    const before = await snapshot();
    const file = csv(
      'new1@example.com,Ann,One,,Member,Nowhere,Full,Foundation,Default - Intake Off,Add', // 2 unknown team
      'new2@example.com,Bob,Two,,Member,Sales,Full,Foundation,No Such Profile,Add', // 3 unknown profile
      'not-an-email,Cy,Three,,Member,Sales,Full,Foundation,,Add', // 4 bad email
      'dupe@example.com,Di,Four,,Member,,,,,Add', // 5 fine
      'DUPE@example.com,Di,Four,,Member,,,,,Add', // 6 duplicate email in file
      'ghost@example.com,,,,,,,,,Edit', // 7 edit of unknown user
      'existing@example.com,Ed,Five,,Member,,,,,Add', // 8 add of existing
      'new3@example.com,Fay,Six,,Boss,,,,,Add', // 9 unknown role
      'new4@example.com,Gus,Seven,,Member,,,Foundation;Platinum,,Add', // 10 unknown license
      'new5@example.com,Hal,Eight,,Member,Add', // 11 wrong column count
      'new6@example.com,Ivy,Nine,,Member,,Sideways,,,Add', // 12 unknown visibility
      'new7@example.com,Jo,Ten,,Member,,,,,Upsert', // 13 unknown operation
    );
    const res = await upload(file, false);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.applied).toBe(false);
    const found = res.data.errors.map((e: any) => [e.line, e.column, e.code]);
    expect(found).toEqual([
      [2, 'Team', 'unknown_team'],
      [3, 'Configuration Profile', 'unknown_profile'],
      [4, 'Email', 'invalid_email'],
      [6, 'Email', 'duplicate_email'],
      [7, 'Email', 'unknown_user'],
      [8, 'Email', 'user_exists'],
      [9, 'Role', 'unknown_role'],
      [10, 'Licenses', 'unknown_license'],
      [11, null, 'wrong_column_count'],
      [12, 'Object Visibility', 'unknown_visibility'],
      [13, 'Operation', 'unknown_operation'],
    ]);
    expect(res.data.errors[3].message).toMatch(/line 5/);
    expect(res.data.errors[7].message).toMatch(/Platinum/);
    expect(res.data.summary).toMatchObject({ add: 1 });
    expect(await snapshot()).toBe(before);
  });

  it('reports unreadable encoding with the line of the first bad byte', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(csv('ok@example.com,Ok,,,Member,,,,,Add') + '\n'),
      Buffer.from('caf\xe9@example.com,Ren\xe9,,,Member,,,,,Add\n', 'latin1'),
    ]);
    const res = await upload(latin1);
    expect(res.data.errors).toEqual([expect.objectContaining({ line: 3, column: null, code: 'unreadable_encoding' })]);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(csv('a@example.com,,,,Member,,,,,Add'), 'utf16le'),
    ]);
    expect((await upload(utf16)).data.errors[0]).toMatchObject({ line: 1, code: 'unreadable_encoding' });
  });

  it('reports an unclosed quote as malformed CSV', async () => {
    const res = await upload(csv('a@example.com,"Unclosed,,,Member,,,,,Add'));
    expect(res.data.errors[0]).toMatchObject({ code: 'malformed_csv' });
  });

  it('reports unknown and missing header columns, and an empty file', async () => {
    const unknown = await upload('Email,Frist Name,Last Name,Role,Operation\na@example.com,A,B,Member,Add');
    expect(unknown.data.errors[0]).toMatchObject({ line: 1, column: 'Frist Name', code: 'unknown_column' });
    const missing = await upload('Email,First Name\na@example.com,A');
    expect(missing.data.errors).toEqual([
      expect.objectContaining({ line: 1, column: 'Operation', code: 'missing_column' }),
    ]);
    expect((await upload('')).data.errors[0].code).toBe('empty_file');
  });

  it('refuses a non-CSV body', async () => {
    const res = await t.api('POST', '/api/v1/users/import', { body: { rows: [] } });
    expect(res.statusCode).toBe(415);
  });
});

describe('CSV import: reading real-world files', () => {
  it('reads a BOM, CRLF line ends, headers in any order and case, quoted commas and newlines, and ignores export-only columns', async () => {
    const file =
      '\ufeffoperation,STATUS,email,job title,first_name,Last Name,Role,Licenses,Suspended At\r\n' +
      'Add,Active,quoted@example.com,"Head of ""Sales"", EMEA\r\nand APAC",Quinn,"O\'Neil, Jr.",manager,"Foundation; PeopleGlass Enterprise",2020-01-01\r\n' +
      '\r\n' +
      ',,,,,,,,\r\n' +
      ',Suspended,existing@example.com,,,,,,\r\n';
    const dry = await upload(file);
    expect(dry.data).toMatchObject({
      dryRun: true,
      applied: false,
      errors: [],
      summary: { add: 1, edit: 0, suspend: 0, delete: 0, unchanged: 1 },
    });
    const res = await upload(file, false);
    expect(res.data).toMatchObject({ applied: true, errors: [] });
    const [user] = (await t.api('GET', '/api/v1/users?search=quoted')).data.items;
    expect(user).toMatchObject({
      firstName: 'Quinn',
      lastName: "O'Neil, Jr.",
      // The CRLF inside the quoted cell is the cell's own text, kept as written.
      jobTitle: 'Head of "Sales", EMEA\r\nand APAC',
      role: 'manager',
      licenses: ['foundation', 'unified_application_enterprise'],
      status: 'pending',
      source: 'csv',
      teamId: t.org.topTeamId,
      profileName: 'Default - Intake Off',
    });
  });

  it('counts lines from where each record starts when quoted fields span lines', async () => {
    const res = await upload(
      csv('multi@example.com,"Line\nbreak",Two,,Member,,,,,Add', 'x@example.com,X,Ray,,Boss,,,,,Add'),
    );
    expect(res.data.errors).toEqual([expect.objectContaining({ line: 4, column: 'Role' })]);
  });
});

describe('CSV import: applying', () => {
  it('adds, edits, suspends and deletes in one go, leaving empty cells and rows without an operation alone', async () => {
    const file = csv(
      'added@example.com,Ada,Added,Engineer,Admin,Sales,Team,Forecasting;Engagement Dashboard,,Add',
      'edit.me@example.com,New,,,,Sales,,,,edit',
      'suspend.me@example.com,,,,,,,,,Suspend',
      'delete.me@example.com,,,,,,,,,DELETE',
      'existing@example.com,Ignored,Ignored,,,,,,,',
    );
    const res = await upload(file, false);
    expect(res.data).toMatchObject({
      applied: true,
      errorCount: 0,
      summary: { add: 1, edit: 1, suspend: 1, delete: 1, unchanged: 1 },
    });

    const find = async (q: string) => (await t.api('GET', `/api/v1/users?search=${q}`)).data.items[0];
    expect(await find('added@')).toMatchObject({
      role: 'admin',
      teamName: 'Sales',
      objectVisibility: 'team',
      licenses: ['engagement_dashboard', 'forecasting'],
    });
    expect(await find('edit.me@')).toMatchObject({
      firstName: 'New',
      lastName: 'Timer',
      teamName: 'Sales',
      role: 'member',
    });
    expect(await find('suspend.me@')).toMatchObject({
      status: 'suspended',
      suspensionReason: 'Suspended by CSV import',
    });
    expect(await find('delete.me@')).toBeUndefined();
    expect(await find('existing@')).toMatchObject({ firstName: 'Old' });

    const result = await t.api('GET', res.data.resultCsvUrl);
    expect(result.headers['content-type']).toMatch(/text\/csv/);
    const lines = result.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Line,Email,Operation,Outcome,Message');
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual([
      'Added',
      'Edited',
      'Suspended',
      'Deleted',
      'Unchanged',
    ]);

    const audit = (await t.api('GET', '/api/v1/audit-log?action=user.create&limit=1')).data.items[0];
    expect(audit).toMatchObject({
      actor: t.org.adminUserId,
      after: expect.objectContaining({ email: 'added@example.com', source: 'csv' }),
    });
  });

  it('a result CSV of a refused import marks valid rows as not applied', async () => {
    const res = await upload(
      csv('fine@example.com,Fi,Ne,,Member,,,,,Add', 'bad@example.com,Ba,D,,Boss,,,,,Add'),
      false,
    );
    const body = (await t.api('GET', res.data.resultCsvUrl)).body;
    expect(body).toContain('2,fine@example.com,Add,Not applied,');
    expect(body).toContain('3,bad@example.com,Add,Error,"""Boss"" is not a role');
  });

  // More Add rows than one statement writes (5,000): the first chunks are written while the file is still read.
  const manyAdds = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com,First${i},Last${i},,Member,,,,,Add`);

  it('writes none of the thousands of Add rows before a wrong last row', async () => {
    const org = await t.createOrg();
    const rows = (where: string) =>
      t.app
        .db(where)
        .where('org_id', org.orgId)
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n));
    const before = await Promise.all(['users', 'team_memberships', 'audit_log'].map(rows));
    const res = await upload(csv(...manyAdds(12_000, 'early'), 'late@example.com,La,Te,,Boss,,,,,Add'), false, org);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.data).toMatchObject({ applied: false, errorCount: 1, errors: [{ line: 12_002, column: 'Role' }] });
    expect(await Promise.all(['users', 'team_memberships', 'audit_log'].map(rows))).toEqual(before);
    expect((await t.api('GET', '/api/v1/users?search=early0@', { org })).data.items).toEqual([]);
  });

  it('adds every one of thousands of Add rows, each with an open membership and an audit entry', async () => {
    const org = await t.createOrg();
    const res = await upload(csv(...manyAdds(12_000, 'many')), false, org);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.data).toMatchObject({ applied: true, errorCount: 0, summary: { add: 12_000 } });
    expect((await t.api('GET', '/api/v1/users/counts', { org })).data.total).toBe(12_001);
    const added = t.app.db('users').where('org_id', org.orgId).whereLike('email', 'many%');
    const memberships = await t.app
      .db('team_memberships')
      .whereIn('user_id', added.clone().select('id'))
      .whereNull('ended_at')
      .count({ n: '*' })
      .first();
    expect(Number(memberships!.n)).toBe(12_000);
    const audited = await t.app
      .db('audit_log')
      .where({ org_id: org.orgId, action: 'user.create' })
      .whereIn('target_id', added.clone().select(t.app.db.raw('id::text')))
      .count({ n: '*' })
      .first();
    expect(Number(audited!.n)).toBe(12_000);
    expect((await t.api('GET', '/api/v1/users?search=many11999@', { org })).data.items[0]).toMatchObject({
      firstName: 'First11999',
      source: 'csv',
    });
  });

  it('is refused in Automatic Mode with a clear message', async () => {
    const org = await t.createOrg('Auto');
    await t.app.db('orgs').where({ id: org.orgId }).update({ management_mode: 'automatic' });
    const res = await upload(csv('a@example.com,,,,Member,,,,,Add'), true, org);
    expect(res.statusCode).toBe(409);
    expect(res.data.error).toMatchObject({ code: 'owned_by_salesforce' });
    expect(res.data.error.message).toMatch(/Automatic Mode/);
  });

  it('the acting admin cannot delete themselves by CSV', async () => {
    const res = await upload(csv(`${t.org.adminEmail},,,,,,,,,Delete`));
    expect(res.data.errors[0]).toMatchObject({ line: 2, column: 'Email', code: 'cannot_delete_self' });
  });

  it('the acting admin cannot take away their own Admin role by CSV', async () => {
    const res = await upload(csv(`${t.org.adminEmail},,,,Member,,,,,Edit`));
    expect(res.data.errors[0]).toMatchObject({ line: 2, column: 'Role', code: 'cannot_demote_self' });
    const kept = await upload(csv(`${t.org.adminEmail},,,,Admin,,,,,Edit`));
    expect(kept.data.errors).toEqual([]);
  });

  it('does not show another org a result file', async () => {
    const res = await upload(csv('nobody@example.com,,,,Member,,,,,Add'));
    const other = await t.createOrg();
    expect((await t.api('GET', res.data.resultCsvUrl, { org: other })).statusCode).toBe(404);
  });
});

describe('CSV import: every user has a name, a role, a license and a visibility', () => {
  it('refuses an Add without a first name, a last name, a role or any license, naming the column', async () => {
    const res = await upload(
      csv(
        'noname@example.com,,,,Member,,,,,Add',
        'nolast@example.com,Al,,,Member,,,,,Add',
        'nolic@example.com,No,Lic,,Member,,,;,,Add',
        'norole@example.com,No,Role,,,,,,,Add',
      ),
    );
    const errors = res.data.errors.map((e: any) => [e.line, e.column, e.code]);
    expect(errors).toEqual([
      [2, 'First Name', 'missing_value'],
      [2, 'Last Name', 'missing_value'],
      [3, 'Last Name', 'missing_value'],
      [4, 'Licenses', 'missing_value'],
      [5, 'Role', 'missing_value'],
    ]);
  });
});
