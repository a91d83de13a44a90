import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReapplyService } from '../../src/rules/reapply.js';
import { setupApp, type TestOrg } from '../helper.js';

const t = setupApp();

const TITLES = ['Account Executive', 'Support Engineer', 'VP Sales', ''];
const LICENSES = ['foundation', 'forecasting', 'engagement_dashboard'] as const;

const assignments = fc.record({
  profile: fc.nat({ max: 2 }),
  role: fc.constantFrom('admin', 'manager', 'member'),
  visibility: fc.constantFrom('full', 'team', 'individual'),
  licenses: fc.subarray([...LICENSES], { minLength: 1 }),
});

/** A random Roster and rule set: teams (some nested), users in them, rules on job title and team, a catch-all. */
const world = fc.record({
  teams: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
  users: fc.array(
    fc.record({
      title: fc.constantFrom(...TITLES),
      team: fc.nat(),
      role: fc.constantFrom('admin', 'manager', 'member', 'data'),
      visibility: fc.constantFrom('full', 'team', 'individual'),
      licenses: fc.subarray([...LICENSES], { minLength: 1 }),
      suspended: fc.nat({ max: 4 }).map((n) => n === 0),
    }),
    { maxLength: 6 },
  ),
  rules: fc.array(
    fc.record({
      filter: fc.oneof(
        fc.record({
          field: fc.constant('job_title' as const),
          operator: fc.constantFrom('equals', 'contains', 'starts_with', 'does_not_contain'),
          value: fc.constantFrom('Account', 'Engineer', 'VP Sales', 'Sales'),
        }),
        fc.record({
          field: fc.constant('team_name' as const),
          operator: fc.constantFrom('is', 'is_not', 'is_under'),
          team: fc.nat(),
        }),
      ),
      assignments,
    }),
    { maxLength: 3 },
  ),
  catchAll: fc.option(assignments, { nil: null }),
  exclude: fc.array(fc.boolean(), { maxLength: 6 }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

async function setUp(org: TestOrg, w: World) {
  const ok = (res: { statusCode: number; body: string }, code = 201) => expect(res.statusCode, res.body).toBe(code);
  const teams: string[] = [];
  for (const [i, nested] of w.teams.entries()) {
    const res = await t.api('POST', '/api/v1/teams', {
      org,
      body: { name: `Team ${i}`, ...(nested && i > 0 ? { parentId: teams[i - 1] } : {}) },
    });
    ok(res);
    teams.push(res.data.id);
  }
  const profiles = [org.defaultProfileId];
  for (const name of ['Field', 'Desk']) {
    const res = await t.api('POST', '/api/v1/profiles', { org, body: { name } });
    ok(res);
    profiles.push(res.data.id);
  }
  for (const [i, u] of w.users.entries()) {
    const res = await t.api('POST', '/api/v1/users', {
      org,
      body: {
        email: `person${i}@prop.example.com`,
        firstName: 'Pat',
        lastName: `Person${i}`,
        jobTitle: u.title,
        role: u.role,
        teamId: teams[u.team % teams.length],
        objectVisibility: u.visibility,
        licenses: u.licenses,
        profileId: profiles[i % profiles.length],
      },
    });
    ok(res);
    if (u.suspended)
      ok(await t.api('POST', `/api/v1/users/${res.data.id}/suspend`, { org, body: { reason: 'Leave' } }), 200);
  }
  const assigned = (a: World['rules'][number]['assignments']) => ({
    profileId: profiles[a.profile],
    role: a.role,
    visibility: a.visibility,
    licenses: a.licenses,
  });
  for (const [i, r] of w.rules.entries()) {
    const f = r.filter;
    const filter =
      f.field === 'job_title'
        ? { field: f.field, operator: f.operator, value: f.value }
        : { field: f.field, operator: f.operator, value: teams[f.team % teams.length] };
    ok(
      await t.api('POST', '/api/v1/rules', {
        org,
        body: { name: `Rule ${i}`, filters: [filter], assignments: assigned(r.assignments) },
      }),
    );
  }
  if (w.catchAll) {
    const catchAll = (await t.api('GET', '/api/v1/rules', { org })).data.rules.find((r: any) => r.isCatchAll);
    ok(await t.api('PATCH', `/api/v1/rules/${catchAll.id}`, { org, body: { assignments: assigned(w.catchAll) } }), 200);
  }
}

/** What re-applying can change, per user id, read from the table. */
async function users(org: TestOrg) {
  const rows = await t.app
    .db('users')
    .where('org_id', org.orgId)
    .select('id', 'profile_id', 'role', 'object_visibility', 'licenses', 'rule_id');
  return new Map(
    rows.map((u: any) => [
      u.id as string,
      {
        profileId: u.profile_id,
        role: u.role,
        visibility: u.object_visibility,
        licenses: [...u.licenses].sort(),
        ruleId: u.rule_id,
      },
    ]),
  );
}

describe('Re-applying rules writes exactly the previewed changes', () => {
  it('for any users and any rules, the apply changes exactly the fields the preview listed, for the users not left out', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const org = await t.createOrg();
        await setUp(org, w);
        const before = await users(org);
        const preview = await t.api('POST', '/api/v1/rules/reapply/preview', { org });
        expect(preview.statusCode, preview.body).toBe(200);
        const p = preview.data;
        expect(p.total).toBe(before.size);
        expect(p.unchanged).toBe(before.size - p.changes.length);
        expect(await users(org)).toEqual(before);

        const excluded = p.changes.filter((_: unknown, i: number) => w.exclude[i]).map((c: any) => c.userId);
        const mark = Number((await t.app.db('audit_log').max({ m: 'id' }).first())?.m ?? 0);
        const res = await t.api('POST', '/api/v1/rules/reapply', {
          org,
          body: { confirm: true, previewToken: p.previewToken, excludeUserIds: excluded },
        });
        const after = await users(org);
        const applied = p.changes.filter((c: any) => !excluded.includes(c.userId));
        const demotesActor = applied.some(
          (c: any) =>
            c.userId === org.adminUserId && c.changes.some((f: any) => f.field === 'role' && f.to !== 'admin'),
        );
        if (res.statusCode === 409) {
          // Only when the confirmed changes leave no active admin, or take the acting admin's own Admin role away;
          // then nothing is written.
          expect(res.data.error.code, res.body).toBe(
            res.data.error.code === 'no_admin_left' ? 'no_admin_left' : demotesActor ? 'cannot_demote_self' : 'none',
          );
          expect(after).toEqual(before);
          return;
        }
        expect(demotesActor).toBe(false);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.data).toEqual({ applied: applied.length, unchanged: p.unchanged, excluded: excluded.length });

        const expected = new Map(before);
        for (const c of applied) {
          const next = { ...before.get(c.userId)!, ruleId: c.rule.id };
          for (const f of c.changes)
            (next as Record<string, unknown>)[f.field] = f.field === 'licenses' ? [...f.to].sort() : f.to;
          expected.set(c.userId, next);
        }
        expect(after).toEqual(expected);

        const audited = await t.app
          .db('audit_log')
          .where({ org_id: org.orgId, action: 'user.rules_reapplied' })
          .where('id', '>', mark)
          .pluck('target_id');
        expect([...audited].sort()).toEqual(applied.map((c: any) => c.userId).sort());
        // Nothing is left to change for the users it applied to.
        const again = await createReapplyService({ db: t.app.db }).preview(org.orgId, {
          id: org.adminUserId,
          label: org.adminEmail,
        });
        expect(again.changes.map((c) => c.userId).sort()).toEqual([...excluded].sort());
      }),
      { numRuns: 30, seed: 20261202 },
    );
  }, 300_000);

  it("a user the re-applied rules make a Manager becomes their team's manager", async () => {
    const org = await t.createOrg();
    const team = (await t.api('POST', '/api/v1/teams', { org, body: { name: 'Field' } })).data;
    const lead = (
      await t.api('POST', '/api/v1/users', {
        org,
        body: {
          email: 'lead@prop.example.com',
          firstName: 'Lee',
          lastName: 'Lead',
          jobTitle: 'Team Lead',
          role: 'member',
          teamId: team.id,
        },
      })
    ).data;
    expect((await t.api('GET', `/api/v1/teams/${team.id}`, { org })).data.managerUserId).toBeNull();
    const created = await t.api('POST', '/api/v1/rules', {
      org,
      body: {
        name: 'Leads',
        filters: [{ field: 'job_title', operator: 'contains', value: 'Lead' }],
        assignments: { profileId: org.defaultProfileId, role: 'manager', visibility: 'team', licenses: ['foundation'] },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const preview = (await t.api('POST', '/api/v1/rules/reapply/preview', { org })).data;
    const res = await t.api('POST', '/api/v1/rules/reapply', {
      org,
      body: {
        confirm: true,
        previewToken: preview.previewToken,
        excludeUserIds: preview.changes.filter((c: any) => c.userId !== lead.id).map((c: any) => c.userId),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await t.api('GET', `/api/v1/teams/${team.id}`, { org })).data.managerUserId).toBe(lead.id);
  });
});
