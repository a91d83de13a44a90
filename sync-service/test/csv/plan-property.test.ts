import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyImport } from '../../src/csv/apply.js';
import { loadImportContext } from '../../src/csv/load.js';
import { planImport } from '../../src/csv/plan.js';
import { inOrgTransaction, scoped } from '../../src/db/scoped.js';
import { setupApp, type TestApp, type TestOrg } from '../helper.js';

const t = setupApp();

const HEADER =
  'Email,First Name,Last Name,Job Title,Role,Team,Object Visibility,Licenses,Configuration Profile,Suspension Reason,Operation';
const ROLES = ['member', 'manager', 'admin', 'data'] as const;
const TEAMS = ['Sales', 'Support', 'Ops'];
const PROFILES = ['Field', 'Desk'];

/** A random Roster: hand-made teams, profiles, users, some suspended. */
const rosterState = fc.record({
  teams: fc.uniqueArray(fc.constantFrom(...TEAMS), { maxLength: 3 }),
  profiles: fc.uniqueArray(fc.constantFrom(...PROFILES), { maxLength: 2 }),
  users: fc.array(
    fc.record({
      role: fc.constantFrom(...ROLES),
      team: fc.nat(),
      title: fc.constantFrom('', 'Engineer', 'Account Executive'),
      suspended: fc.nat({ max: 3 }).map((n) => n === 0),
    }),
    { maxLength: 6 },
  ),
});

/** Cells an admin might type, now and then one Roster refuses. */
const cell = (...values: string[]) => fc.constantFrom('', '', ...values);
const row = fc.record({
  who: fc.nat({ max: 9 }),
  operation: fc.constantFrom('Add', 'Edit', 'edit', 'Suspend', 'Delete', '', 'Add', 'Edit', 'Upsert'),
  firstName: cell('Ada', 'Grace'),
  lastName: cell('Lovelace', 'Hopper'),
  jobTitle: cell('Engineer', 'Account Executive'),
  role: cell('Member', 'Manager', 'Admin', 'Data', 'Boss'),
  team: cell(...TEAMS, 'Top-level team', 'Nowhere'),
  visibility: cell('Full', 'Team', 'Individual'),
  licenses: cell('Foundation', 'Foundation;Forecasting', 'Engagement Dashboard', 'Gold'),
  profile: cell(...PROFILES, 'Missing'),
  reason: cell('On leave'),
});
/** Two files in three are clean (every row valid against the Roster), so most runs write something. */
const file = fc.record({
  clean: fc.nat({ max: 2 }).map((n) => n > 0),
  rows: fc.uniqueArray(row, { selector: (r) => r.who, minLength: 1, maxLength: 8 }),
});

type RosterState = typeof rosterState extends fc.Arbitrary<infer T> ? T : never;
type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;
type File = typeof file extends fc.Arbitrary<infer T> ? T : never;

/** A clean file's rows: operations that fit who exists, values the Roster knows, whole rows for new people. */
function rowsOf(state: RosterState, f: File): Row[] {
  if (!f.clean) return f.rows;
  return f.rows.map((r) => {
    const exists = r.who < state.users.length;
    const op = r.operation.toLowerCase();
    const operation =
      op === '' ? '' : r.who === 9 ? 'Edit' : exists ? (op === 'add' || op === 'upsert' ? 'Edit' : r.operation) : 'Add';
    return {
      ...r,
      operation,
      firstName: operation === 'Add' ? r.firstName || 'New' : r.firstName,
      lastName: operation === 'Add' ? r.lastName || 'Person' : r.lastName,
      // The acting admin keeps their own Admin role (they cannot take it away): their row leaves it as it is.
      role:
        r.who === 9 && r.role !== 'Admin'
          ? ''
          : r.role === 'Boss' || (operation === 'Add' && !r.role)
            ? 'Member'
            : r.role,
      team:
        r.team === 'Nowhere' || (r.team && !state.teams.includes(r.team) && r.team !== 'Top-level team') ? '' : r.team,
      licenses: r.licenses === 'Gold' ? '' : r.licenses,
      profile: r.profile === 'Missing' || (r.profile && !state.profiles.includes(r.profile)) ? '' : r.profile,
    };
  });
}

async function setUpRoster(org: TestOrg, state: RosterState) {
  const teamIds: string[] = [];
  for (const name of state.teams) {
    const res = await t.api('POST', '/api/v1/teams', { org, body: { name } });
    expect(res.statusCode, res.body).toBe(201);
    teamIds.push(res.data.id);
  }
  for (const name of state.profiles)
    expect((await t.api('POST', '/api/v1/profiles', { org, body: { name } })).statusCode).toBe(201);
  for (const [i, u] of state.users.entries()) {
    const res = await t.api('POST', '/api/v1/users', {
      org,
      body: {
        email: `person${i}@prop.example.com`,
        firstName: 'Old',
        lastName: `Timer${i}`,
        jobTitle: u.title,
        role: u.role,
        ...(teamIds.length ? { teamId: teamIds[u.team % teamIds.length] } : {}),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    if (u.suspended) {
      const s = await t.api('POST', `/api/v1/users/${res.data.id}/suspend`, { org, body: { reason: 'Earlier' } });
      expect(s.statusCode, s.body).toBe(200);
    }
  }
}

/** Rows name existing people, new people and (now and then) the acting admin. */
const emailOf = (org: TestOrg, r: Row) => (r.who === 9 ? org.adminEmail : `person${r.who}@prop.example.com`);

const csvOf = (org: TestOrg, rows: Row[]) =>
  [
    HEADER,
    ...rows.map((r) =>
      [
        emailOf(org, r),
        r.firstName,
        r.lastName,
        r.jobTitle,
        r.role,
        r.team,
        r.visibility,
        r.licenses,
        r.profile,
        r.reason,
        r.operation,
      ].join(','),
    ),
  ].join('\n');

/** Every user as the import can change them, by email. */
async function users(org: TestOrg) {
  const rows = await t.app.db('users').where('org_id', org.orgId).orderBy('email');
  return new Map(
    rows.map((u: any) => [
      u.email,
      JSON.stringify({
        id: u.id,
        firstName: u.first_name,
        lastName: u.last_name,
        jobTitle: u.job_title,
        role: u.role,
        teamId: u.team_id,
        visibility: u.object_visibility,
        licenses: [...u.licenses].sort(),
        profileId: u.profile_id,
        status: u.status,
        reason: u.suspension_reason,
      }),
    ]),
  );
}

const upload = (org: TestOrg, body: string, dryRun: boolean) =>
  t.api('POST', `/api/v1/users/import?dryRun=${dryRun}`, {
    org,
    payload: body,
    headers: { 'content-type': 'text/csv' },
  });

/** The result file's outcome per email (rows with an operation). */
async function outcomes(t: TestApp, org: TestOrg, url: string) {
  const rows: string[][] = parse((await t.api('GET', url, { org })).body, { bom: true, from_line: 2 });
  return rows.filter((r) => r[1]).map((r) => [r[1]!.toLowerCase(), r[3]!] as const);
}

const WORDS: Record<string, string> = {
  'Will add': 'add',
  'Will edit': 'edit',
  'Will suspend': 'suspend',
  'Will delete': 'delete',
  Unchanged: 'unchanged',
  Error: 'error',
};

describe('The CSV dry run is the plan the import applies', () => {
  it('for any Roster and any file, the import writes exactly what its dry run said, or nothing when the dry run found errors', async () => {
    await fc.assert(
      fc.asyncProperty(rosterState, file, async (state, f) => {
        const rows = rowsOf(state, f);
        const org = await t.createOrg();
        await setUpRoster(org, state);
        const body = csvOf(org, rows);
        const before = await users(org);

        const dry = await upload(org, body, true);
        expect(dry.statusCode, dry.body).toBe(200);
        expect(await users(org)).toEqual(before);
        const planned = (await outcomes(t, org, dry.data.resultCsvUrl)).map(([email, word]) => [email, WORDS[word]]);
        const mark = Number((await t.app.db('audit_log').max({ m: 'id' }).first())?.m ?? 0);

        const applied = await upload(org, body, false);
        expect(applied.statusCode, applied.body).toBe(200);
        expect(applied.data.summary).toEqual(dry.data.summary);
        expect(applied.data.errorCount).toBe(dry.data.errorCount);
        const after = await users(org);
        if (f.clean) expect(dry.data.errors).toEqual([]);
        if (dry.data.errorCount > 0) {
          expect(applied.data.applied).toBe(false);
          expect(after).toEqual(before);
          return;
        }
        expect(applied.data.applied).toBe(true);

        // Each user's change, read back from the table: the dry run's word for them, and nobody else changed.
        const change = (email: string) => {
          const [b, a] = [before.get(email), after.get(email)];
          if (!b) return a ? 'add' : 'absent';
          if (!a) return 'delete';
          if (b === a) return 'unchanged';
          const [pb, pa] = [JSON.parse(b), JSON.parse(a)];
          return pb.status !== 'suspended' && pa.status === 'suspended' ? 'suspend' : 'edit';
        };
        const emails = new Set([...before.keys(), ...after.keys()]);
        const named = new Map(planned.map(([email, word]) => [email!, word!]));
        for (const email of emails) expect([email, change(email)]).toEqual([email, named.get(email) ?? 'unchanged']);

        // The audit log tells the same story.
        const audits = await t.app
          .db('audit_log')
          .where({ org_id: org.orgId })
          .where('id', '>', mark)
          .select('action', 'target_id');
        const idOf = new Map([...before, ...after].map(([email, u]) => [JSON.parse(u).id, email]));
        const audited = (action: string) =>
          [...new Set(audits.filter((a) => a.action === action).map((a) => idOf.get(a.target_id)))].sort();
        const plannedAs = (word: string) =>
          planned
            .filter(([, w]) => w === word)
            .map(([email]) => email)
            .sort();
        expect(audited('user.create')).toEqual(plannedAs('add'));
        expect(audited('user.suspend')).toEqual(plannedAs('suspend'));
        expect(audited('user.delete')).toEqual(plannedAs('delete'));
        expect([...new Set([...audited('user.update'), ...audited('user.move')])].sort()).toEqual(plannedAs('edit'));

        // What the file asked for is what the users now have.
        for (const r of rows) {
          const email = emailOf(org, r).toLowerCase();
          if (!['add', 'edit'].includes(named.get(email) ?? '')) continue;
          const u = JSON.parse(after.get(email)!);
          if (r.firstName) expect(u.firstName).toBe(r.firstName);
          if (r.jobTitle) expect(u.jobTitle).toBe(r.jobTitle);
          if (r.role) expect(u.role).toBe(r.role.toLowerCase());
        }
      }),
      { numRuns: 40, seed: 20261202 },
    );
  }, 300_000);

  it('refuses an import whose users changed after the file was checked, names them, and writes none of it', async () => {
    const org = await t.createOrg();
    await setUpRoster(org, {
      teams: [],
      profiles: [],
      users: [{ role: 'member', team: 0, title: '', suspended: false }],
    });
    const person = (await t.api('GET', '/api/v1/users?search=person0@', { org })).data.items[0];
    const body = `${HEADER}\nperson0@prop.example.com,New,,,,,,,,,Edit\nnew@prop.example.com,Ne,W,,Member,,,,,,Add`;
    // The edit lands between the check and the write: another admin renames the same person.
    const records = (parse(body) as string[][]).map((cells, i) => ({ line: i + 1, cells }));
    const planned = planImport(await loadImportContext(scoped(t.app.db, org.orgId)), org.adminUserId, records);
    expect(planned.errors).toEqual([]);
    expect(
      (await t.api('PATCH', `/api/v1/users/${person.id}`, { org, body: { lastName: 'Renamed' } })).statusCode,
    ).toBe(200);
    await expect(
      inOrgTransaction(t.app.db, org.orgId, (trx) =>
        applyImport(trx, { id: org.adminUserId, label: org.adminEmail }, planned.plan, planned.basis),
      ),
    ).rejects.toMatchObject({ statusCode: 409, code: 'import_stale' });
    expect((await t.api('GET', '/api/v1/users?search=new@prop', { org })).data.items).toEqual([]);
    expect((await t.api('GET', `/api/v1/users/${person.id}`, { org })).data).toMatchObject({ firstName: 'Old' });

    // Someone adds a person of the file's Add rows after the check: refused the same way, naming them.
    const replanned = planImport(await loadImportContext(scoped(t.app.db, org.orgId)), org.adminUserId, records);
    const added = await t.api('POST', '/api/v1/users', {
      org,
      body: { email: 'NEW@prop.example.com', firstName: 'Be', lastName: 'Fore', role: 'member' },
    });
    expect(added.statusCode, added.body).toBe(201);
    await expect(
      inOrgTransaction(t.app.db, org.orgId, (trx) =>
        applyImport(trx, { id: org.adminUserId, label: org.adminEmail }, replanned.plan, replanned.basis),
      ),
    ).rejects.toMatchObject({ code: 'import_stale', details: { changed: ['new@prop.example.com'] } });
    expect((await t.api('GET', `/api/v1/users/${person.id}`, { org })).data).toMatchObject({ firstName: 'Old' });
  });
});
