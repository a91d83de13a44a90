import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setupApp, type TestOrg } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { fixtureOf, salesforceOrg, type SalesforceOrg } from '../sync/random-org.js';

/** Most people active, standard users, so most runs import someone. */
const importableOrg = salesforceOrg.map((o) => ({
  ...o,
  users: o.users.map((u, i) => (i % 3 === 2 ? u : { ...u, active: true, chatter: false })),
}));

/** A random Roster before the import: hand-added people (some with a Salesforce user's email), and toggles. */
const rosterState = fc.record({
  users: fc.array(fc.option(fc.nat(), { nil: null }), { maxLength: 3 }),
  /** Roles imported once already (their teams exist), and the roles switched on for this import. */
  earlier: fc.array(fc.constantFrom(false, false, true), { minLength: 5, maxLength: 5 }),
  now: fc.array(fc.constantFrom(true, true, false), { minLength: 5, maxLength: 5 }),
});

type RosterState = typeof rosterState extends fc.Arbitrary<infer T> ? T : never;

const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();

describe('The role import preview is the plan the import applies', () => {
  const t = setupApp();

  async function toggle(org: TestOrg, on: boolean[]) {
    const roles = (await t.api('GET', '/api/v1/salesforce/roles', { org })).data.roles;
    const res = await t.api('PUT', '/api/v1/salesforce/roles/toggles', {
      org,
      body: { toggles: roles.map((r: any, i: number) => ({ sfRoleId: r.sfRoleId, importEnabled: !!on[i] })) },
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  async function setUp(org: TestOrg, state: RosterState, sf: SalesforceOrg) {
    for (const [i, who] of state.users.entries()) {
      const email = who === null ? `manual${i}@prop.example.com` : `p${(who % sf.users.length) + 2}@prop.example.com`;
      const res = await t.api('POST', '/api/v1/users', {
        org,
        body: { email, firstName: 'Hand', lastName: `Added${i}`, role: 'member' },
      });
      if (res.statusCode !== 201) expect(res.data.error.code, res.body).toBe('email_taken');
    }
    // The first preview reads Salesforce into the mirror, so roles can be switched on.
    expect((await t.api('POST', '/api/v1/salesforce/roles/import/preview', { org })).statusCode).toBe(200);
    if (state.earlier.some(Boolean)) {
      await toggle(org, state.earlier);
      expect((await t.api('POST', '/api/v1/salesforce/roles/import', { org })).statusCode).toBe(200);
    }
    await toggle(org, state.now);
  }

  it('for any Salesforce org and any Roster state, the preview lists exactly the teams and users the import creates', async () => {
    await fc.assert(
      fc.asyncProperty(importableOrg, rosterState, async (sf, state) => {
        const org = await t.createOrg();
        const fake = await connectFakeOrg(t, fixtureOf(sf), { org });
        try {
          await setUp(org, state, sf);
          const preview = await t.api('POST', '/api/v1/salesforce/roles/import/preview', { org });
          expect(preview.statusCode, preview.body).toBe(200);
          const p = preview.data;
          const mark = Number((await t.app.db('audit_log').max({ m: 'id' }).first())?.m ?? 0);

          // With the preview's token: nothing changed in between, so the previewed plan is the one imported.
          const run = await t.api('POST', '/api/v1/salesforce/roles/import', {
            org,
            body: { previewToken: p.previewToken },
          });
          expect(run.statusCode, run.body).toBe(200);
          const created = p.teams.filter((x: any) => !x.exists);
          expect(run.data).toEqual({
            teamsCreated: created.length,
            usersCreated: p.users.length,
            skipped: p.skipped.length,
          });

          // What the import wrote, read back from the audit log and the tables, in the preview's terms.
          const db = t.app.db;
          const audits = await db('audit_log').where({ org_id: org.orgId }).where('id', '>', mark).orderBy('id');
          const teams = await db('teams').where({ org_id: org.orgId });
          const teamName = new Map<string, string>(teams.map((r: any) => [r.id, r.name]));
          teamName.set(org.topTeamId, 'Top-level team');
          const of = (action: string) => audits.filter((a: any) => a.action === action).map((a: any) => a.after);
          const newTeams = new Set(of('team.create').map((a: any) => a.sfRoleId));
          expect(
            sorted(
              teams
                .filter((r: any) => newTeams.has(r.sf_role_id))
                .map((r: any) => [r.name, teamName.get(r.parent_id), r.sf_role_id]),
            ),
          ).toEqual(sorted(created.map((x: any) => [x.name, x.parentName, x.sfRoleId])));
          const users = await db('users').where({ org_id: org.orgId, source: 'role_import' });
          const before = new Set(of('user.create').map((a: any) => a.email));
          expect(
            sorted(users.filter((u: any) => before.has(u.email)).map((u: any) => [u.email, teamName.get(u.team_id)])),
          ).toEqual(sorted(p.users.map((x: any) => [x.email, x.teamName])));
          expect(sorted(of('user.create').map((a: any) => [a.email, a.sfUserId]))).toEqual(
            sorted(p.users.map((x: any) => [x.email, x.sfUserId])),
          );
          // Skipped people are not in Roster unless they were before.
          const skippedNew = p.skipped.filter((s: any) => s.reason !== 'already_in_roster').map((s: any) => s.sfUserId);
          const linked = await db('users')
            .where({ org_id: org.orgId })
            .whereIn('sf_user_id', skippedNew)
            .pluck('email');
          expect(linked.filter((e: string) => before.has(e))).toEqual([]);
          // A second preview finds nothing left to create.
          const again = (await t.api('POST', '/api/v1/salesforce/roles/import/preview', { org })).data;
          expect(again.users).toEqual([]);
          expect(again.teams.every((x: any) => x.exists)).toBe(true);
        } finally {
          await fake.close();
        }
      }),
      { numRuns: 20, seed: 20261202 },
    );
  }, 300_000);
});
