import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startFakeSalesforce } from '@roster/fake-salesforce';
import { setupApp, type TestApp, type TestOrg } from '../helper.js';
import { fixtureOf, salesforceOrg, type SalesforceOrg } from './random-org.js';

/** A random Roster in Manual Mode: hand-made teams (some named like roles), hand-added users (some with a Salesforce user's email). */
const rosterState = fc.record({
  teams: fc.uniqueArray(fc.constantFrom('Sales', 'Support', 'Ops', 'Marketing', 'CEO'), { maxLength: 4 }),
  nest: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  users: fc.array(fc.record({ team: fc.nat(), salesforceEmail: fc.option(fc.nat(), { nil: null }) }), { maxLength: 4 }),
  source: fc.constantFrom('role' as const, 'manager' as const),
  rule: fc.boolean(),
});

type RosterState = typeof rosterState extends fc.Arbitrary<infer T> ? T : never;

async function setUpRoster(t: TestApp, org: TestOrg, state: RosterState, sf: SalesforceOrg) {
  const profile = (await t.api('POST', '/api/v1/profiles', { org, body: { name: 'Sales' } })).data.id;
  if (state.rule)
    await t.api('POST', '/api/v1/rules', {
      org,
      body: {
        name: 'Executives',
        filters: [{ field: 'job_title', operator: 'contains', value: 'executive' }],
        assignments: { profileId: profile, role: 'manager', visibility: 'team', licenses: ['foundation'] },
      },
    });
  const teamIds: string[] = [];
  for (const [i, name] of state.teams.entries()) {
    const parentId = i > 0 && state.nest[i] ? teamIds[i - 1] : undefined;
    const res = await t.api('POST', '/api/v1/teams', { org, body: { name, ...(parentId ? { parentId } : {}) } });
    expect(res.statusCode, res.body).toBe(201);
    teamIds.push(res.data.id);
  }
  for (const [i, u] of state.users.entries()) {
    const email =
      u.salesforceEmail === null
        ? `manual${i}@prop.example.com`
        : `p${(u.salesforceEmail % sf.users.length) + 2}@prop.example.com`;
    const teamId = teamIds.length ? teamIds[u.team % teamIds.length] : undefined;
    const res = await t.api('POST', '/api/v1/users', {
      org,
      body: { email, firstName: 'Hand', lastName: `Added${i}`, role: 'member', ...(teamId ? { teamId } : {}) },
    });
    if (res.statusCode !== 201) expect(res.data.error.code, res.body).toBe('email_taken');
  }
}

/** What the enable wrote, read back from the audit log and the tables, in the preview's terms. */
async function written(t: TestApp, org: TestOrg, since: number) {
  const db = t.app.db;
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
  const audits = (await db('audit_log').where({ org_id: org.orgId }).where('id', '>', since).orderBy('id')).map(
    (a: any) => ({ ...a, before: json(a.before), after: json(a.after) }),
  );
  const teamName = new Map<string, string>();
  for (const r of await db('teams').where({ org_id: org.orgId })) teamName.set(r.id, r.name);
  for (const a of audits) if (a.action === 'team.delete') teamName.set(a.target_id, a.before.name);
  const email = new Map<string, string>();
  for (const r of await db('users').where({ org_id: org.orgId })) email.set(r.id, r.email);
  const of = (action: string) => audits.filter((a: any) => a.action === action);
  const name = (id: string | null) => (id ? (teamName.get(id) ?? null) : null);
  return {
    teamsCreated: of('team.create').map((a: any) => [a.after.name, name(a.after.parentId)]),
    teamsRenamed: of('team.rename').map((a: any) => [a.before.name, a.after.name]),
    teamsMoved: of('team.move').map((a: any) => [name(a.target_id), name(a.before.parentId), name(a.after.parentId)]),
    teamsDeleted: of('team.delete').map((a: any) => [a.before.name, name(a.after.redirectTo)]),
    usersCreated: of('user.create').map((a: any) => [a.after.email, name(a.after.teamId)]),
    usersMoved: of('user.move').map((a: any) => [email.get(a.target_id), name(a.before.teamId), name(a.after.teamId)]),
    usersSuspended: of('user.suspend').map((a: any) => email.get(a.target_id)),
  };
}

const sorted = <T>(xs: T[]) => [...xs].map((x) => JSON.stringify(x)).sort();

describe('The Automatic Mode preview is the plan the switch applies', () => {
  const t = setupApp();

  it('for any Salesforce org and any Roster state, the preview lists exactly what enabling writes, and its token is accepted', async () => {
    await fc.assert(
      fc.asyncProperty(salesforceOrg, rosterState, async (sf, state) => {
        const org = await t.createOrg();
        const fake = await startFakeSalesforce({ org: fixtureOf(sf) });
        try {
          const c = fake.credentials;
          const saved = await t.api('PUT', '/api/v1/salesforce/connection', {
            org,
            body: {
              authKind: 'jwt',
              loginUrl: c.loginUrl,
              clientId: c.clientId,
              username: c.username,
              privateKey: c.privateKeyPem,
            },
          });
          expect(saved.statusCode, saved.body).toBe(200);
          await setUpRoster(t, org, state, sf);

          const preview = await t.api('POST', '/api/v1/mode/preview', {
            org,
            body: { mode: 'automatic', hierarchySource: state.source },
          });
          expect(preview.statusCode, preview.body).toBe(200);
          const p = preview.data;
          const mark = Number((await t.app.db('audit_log').max({ m: 'id' }).first())?.m ?? 0);
          // With the preview's token: nothing changed in between, so the same plan is made and applied.
          const enabled = await t.api('PUT', '/api/v1/mode', {
            org,
            body: { mode: 'automatic', confirm: true, hierarchySource: state.source, previewToken: p.previewToken },
          });
          expect(enabled.statusCode, enabled.body).toBe(200);
          const run = (await t.api('GET', '/api/v1/sync/runs', { org })).data.items[0];
          expect(run).toMatchObject({ kind: 'enable', outcome: 'success' });

          expect(run.counts).toEqual(p.counts);
          const w = await written(t, org, mark);
          expect(sorted(w.teamsCreated)).toEqual(sorted(p.teams.create.map((x: any) => [x.name, x.parentName])));
          expect(sorted(w.teamsRenamed)).toEqual(sorted(p.teams.rename.map((x: any) => [x.from, x.to])));
          expect(sorted(w.teamsMoved)).toEqual(
            sorted(p.teams.move.map((x: any) => [x.name, x.fromParent, x.toParent])),
          );
          expect(sorted(w.teamsDeleted)).toEqual(sorted(p.teams.delete.map((x: any) => [x.name, x.redirectTo])));
          expect(sorted(w.usersCreated)).toEqual(sorted(p.users.create.map((x: any) => [x.email, x.teamName])));
          expect(sorted(w.usersMoved)).toEqual(sorted(p.users.move.map((x: any) => [x.email, x.fromTeam, x.toTeam])));
          expect(w.usersSuspended).toEqual([]);
          expect(p.users.suspend).toEqual([]);
          const conflicts = await t.app
            .db('sync_conflicts')
            .where({ org_id: org.orgId })
            .select('kind', 'email', 'sf_user_id');
          expect(sorted(conflicts.map((x: any) => [x.kind, x.email, x.sf_user_id]))).toEqual(
            sorted(p.conflicts.map((x: any) => [x.kind, x.email, x.sfUserId])),
          );
        } finally {
          await fake.close();
        }
      }),
      { numRuns: 12, seed: 20261201 },
    );
  }, 300_000);
});
