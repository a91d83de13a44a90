import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { unstorableText } from '../../src/shared/text.js';
import { LICENSES, ROLES, VISIBILITIES } from '../../src/users/vocabulary.js';
import { setupApp, type TestOrg } from '../helper.js';

const t = setupApp();
let target: TestOrg;
// The source org's team and profile ids by name.
const teams = new Map<string, string>();
const profiles = new Map<string, string>();

// Names a careless admin or a synced org could give teams and profiles: quotes, delimiters, line breaks, formulas.
const TEAM_NAMES = ['Sales, "East"', '=Ops\r\nNight', "'+Support", 'Café ☕ team'];
const PROFILE_NAMES = ['@Field; "Reps"', '-Tab\there', 'Ünïcødé 𝄞'];

// Fragments that stress CSV and formula handling, mixed with any Unicode text (no NUL: the API refuses it).
const HOSTILE = [
  '\r\n',
  '\n',
  '\r',
  '"',
  '""',
  ',',
  ';',
  '\t',
  "'",
  "'=x",
  '=',
  '+',
  '-',
  '@',
  '\uFF1D',
  ' ',
  '\u2028',
  '\u00a0',
  '\ufeff',
  '=HYPERLINK("http://evil")',
  'é',
  '😀',
];
const text = (maxLength: number) =>
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 12 })), { maxLength: 8 })
    .map((parts) => parts.join(''))
    .filter((s) => s.length <= maxLength && unstorableText(s) === null);

const userArb = fc.record({
  firstName: text(200).filter((s) => s.trim().length > 0),
  lastName: text(200).filter((s) => s.trim().length > 0),
  jobTitle: text(200),
  role: fc.constantFrom(...ROLES),
  objectVisibility: fc.constantFrom(...VISIBILITIES),
  licenses: fc.subarray([...LICENSES], { minLength: 1 }),
  team: fc.option(fc.constantFrom(...TEAM_NAMES), { nil: undefined }),
  profile: fc.option(fc.constantFrom(...PROFILE_NAMES), { nil: undefined }),
});

const listUsers = async (org: TestOrg) => {
  const res = await t.api('GET', '/api/v1/users?limit=500', { org });
  expect(res.statusCode).toBe(200);
  return new Map<string, any>(res.data.items.map((u: any) => [u.email, u]));
};

/** What an admin sees of a user, as the CSV carries it. */
const carried = (u: any) => ({
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
  jobTitle: u.jobTitle,
  role: u.role,
  objectVisibility: u.objectVisibility,
  licenses: [...u.licenses].sort(),
  teamName: u.teamName,
  profileName: u.profileName,
});

/**
 * The export with Add in the Operation cell of the rows for `emails`, changing no other byte of the file: each
 * record's text is located by csv-parse, and the file is checked to be exactly those records joined by CRLF.
 */
function markAdds(exported: string, emails: Set<string>): string {
  const records = parse(exported, { bom: true, raw: true }) as unknown as { record: string[]; raw: string }[];
  // raw holds the record and the CR of its CRLF; Operation, the last cell, is always empty in an export.
  const texts = records.map((r) => r.raw.replace(/\r$/, ''));
  expect('\ufeff' + texts.join('\r\n') + '\r\n').toBe(exported);
  return (
    '\ufeff' +
    texts.map((txt, i) => (i > 0 && emails.has(records[i]!.record[0]!) ? `${txt}Add` : txt)).join('\r\n') +
    '\r\n'
  );
}

beforeAll(async () => {
  target = await t.createOrg('Target');
  for (const org of [t.org, target]) {
    for (const [path, names, byName] of [
      ['/api/v1/teams', TEAM_NAMES, teams],
      ['/api/v1/profiles', PROFILE_NAMES, profiles],
    ] as const) {
      for (const name of names) {
        const res = await t.api('POST', path, { org, body: { name } });
        expect(res.statusCode, res.body).toBe(201);
        if (org === t.org) byName.set(name, res.data.id);
      }
    }
  }
});

describe('CSV round trip', () => {
  it('exports any users and imports the file into another org as exactly the same users', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(userArb, { minLength: 1, maxLength: 4 }), async (users) => {
        run += 1;
        const emails = new Set<string>();
        for (const [i, u] of users.entries()) {
          const email = `run${run}.user${i}@example.com`;
          emails.add(email);
          const res = await t.api('POST', '/api/v1/users', {
            body: {
              email,
              firstName: u.firstName,
              lastName: u.lastName,
              jobTitle: u.jobTitle,
              role: u.role,
              objectVisibility: u.objectVisibility,
              licenses: u.licenses,
              ...(u.team ? { teamId: teams.get(u.team) } : {}),
              ...(u.profile ? { profileId: profiles.get(u.profile) } : {}),
            },
          });
          expect(res.statusCode, res.body).toBe(201);
        }

        const exported = await t.api('GET', '/api/v1/users/export.csv');
        expect(exported.statusCode).toBe(200);
        const imported = await t.api('POST', '/api/v1/users/import?dryRun=false', {
          org: target,
          payload: markAdds(exported.body, emails),
          headers: { 'content-type': 'text/csv' },
        });
        expect(imported.data.errors).toEqual([]);
        expect(imported.data).toMatchObject({ applied: true, summary: { add: emails.size } });

        const [source, copy] = [await listUsers(t.org), await listUsers(target)];
        for (const email of emails) expect(carried(copy.get(email))).toEqual(carried(source.get(email)));

        // The result file is RFC 4180 too: every row reads back with the line and email it reports.
        const result = await t.api('GET', imported.data.resultCsvUrl, { org: target });
        const rows: string[][] = parse(result.body, { bom: true });
        const added = rows.filter((r) => r[3] === 'Added').map((r) => r[1]);
        expect(new Set(added)).toEqual(emails);
      }),
      { numRuns: Number(process.env.CSV_ROUND_TRIP_RUNS ?? 25) },
    );
  });

  it('reads back a cell that starts with a quote before a formula character as written', async () => {
    const res = await t.api('POST', '/api/v1/users', {
      body: { email: 'quote@example.com', firstName: "'=x", lastName: "''@y", jobTitle: "'Neil", role: 'member' },
    });
    expect(res.statusCode).toBe(201);
    const exported = await t.api('GET', '/api/v1/users/export.csv');
    const row = (parse(exported.body, { bom: true }) as string[][]).find((r) => r[0] === 'quote@example.com')!;
    // A spreadsheet shows each cell as text; the guard quote is the only addition.
    expect(row.slice(1, 4)).toEqual(["''=x", "'''@y", "'Neil"]);
    const imported = await t.api('POST', '/api/v1/users/import?dryRun=false', {
      org: target,
      payload: markAdds(exported.body, new Set(['quote@example.com'])),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.data.errors).toEqual([]);
    const copy = (await listUsers(target)).get('quote@example.com');
    expect([copy.firstName, copy.lastName, copy.jobTitle]).toEqual(["'=x", "''@y", "'Neil"]);
  });

  it('keeps a CRLF inside a quoted cell and still reports later problems on the line an editor shows', async () => {
    const file =
      'Email,First Name,Last Name,Job Title,Role,Operation\r\n' +
      'crlf@example.com,Cee,Are,"Head of\r\nSales",Member,Add\r\n' +
      'lone@example.com,Lone,Cr,"One\rTwo",Member,Add\r\n' +
      'bad@example.com,Bad,Role,,Chief,Add\r\n';
    const res = await t.api('POST', '/api/v1/users/import?dryRun=true', {
      payload: file,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.data.errors).toEqual([expect.objectContaining({ line: 6, column: 'Role', code: 'unknown_role' })]);
    const ok = file.replace(',Chief,', ',Member,');
    const applied = await t.api('POST', '/api/v1/users/import?dryRun=false', {
      payload: ok,
      headers: { 'content-type': 'text/csv' },
    });
    expect(applied.data.errors).toEqual([]);
    const users = await listUsers(t.org);
    expect(users.get('crlf@example.com').jobTitle).toBe('Head of\r\nSales');
    expect(users.get('lone@example.com').jobTitle).toBe('One\rTwo');
  });
});
