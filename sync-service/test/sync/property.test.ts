import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSalesforce, PROFILES } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { INTEGRATION, smallOrg } from './org.js';
import { enableAutomatic } from './support.js';

type Mutation =
  | { kind: 'addUser'; role: number | null }
  | { kind: 'deactivate' | 'activate'; user: number }
  | { kind: 'setRole'; user: number; role: number | null }
  | { kind: 'retitle' | 'reemail' | 'rename'; user: number }
  | { kind: 'renameRole'; role: number }
  | { kind: 'reparentRole'; role: number; parent: number | null }
  | { kind: 'addRole'; parent: number | null };

const index = fc.nat({ max: 1000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('addUser' as const), role: fc.option(index, { nil: null }) }),
  fc.record({ kind: fc.constantFrom('deactivate' as const, 'activate' as const), user: index }),
  fc.record({ kind: fc.constant('setRole' as const), user: index, role: fc.option(index, { nil: null }) }),
  fc.record({ kind: fc.constantFrom('retitle' as const, 'reemail' as const, 'rename' as const), user: index }),
  fc.record({ kind: fc.constant('renameRole' as const), role: index }),
  fc.record({ kind: fc.constant('reparentRole' as const), role: index, parent: fc.option(index, { nil: null }) }),
  fc.record({ kind: fc.constant('addRole' as const), parent: fc.option(index, { nil: null }) }),
);

describe('Automatic Mode converges on the projection of the org', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  const users: string[] = [];
  const roles: string[] = [];
  let counter = 0;
  beforeAll(async () => {
    const org = smallOrg(10);
    fake = await connectFakeOrg(t, org);
    users.push(...org.users.map((u) => u.Id).filter((id) => id !== INTEGRATION));
    roles.push(...org.roles.map((r) => r.Id));
    await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } });
    await enableAutomatic(t);
  });
  afterAll(async () => fake?.close());

  const apply = (m: Mutation) => {
    counter += 1;
    const u = (i: number) => users[i % users.length]!;
    const r = (i: number | null) => (i === null ? null : roles[i % roles.length]!);
    const c = fake.control;
    try {
      switch (m.kind) {
        case 'addUser':
          users.push(
            c.addUser({
              FirstName: 'P',
              LastName: `Prop${counter}`,
              Email: `prop${counter}@small.example.com`,
              UserRoleId: r(m.role),
              ProfileId: PROFILES.standard,
            }),
          );
          break;
        case 'deactivate':
          return c.deactivateUser(u(m.user));
        case 'activate':
          return c.activateUser(u(m.user));
        case 'setRole':
          return c.setUserRole(u(m.user), r(m.role));
        case 'retitle':
          return c.updateUser(u(m.user), { Title: `Title ${counter}` });
        case 'reemail':
          return c.updateUser(u(m.user), { Email: `moved${counter}@small.example.com` });
        case 'rename':
          return c.updateUser(u(m.user), { FirstName: `Re${counter}` });
        case 'renameRole':
          return c.renameRole(r(m.role)!, `Role ${counter}`);
        case 'reparentRole':
          return c.reparentRole(r(m.role)!, r(m.parent));
        case 'addRole':
          roles.push(c.addRole({ Name: `New role ${counter}`, ParentRoleId: r(m.parent) }));
      }
    } catch {
      // Salesforce refuses it too (a role under its own subtree): not a reachable org state.
    }
  };

  const sync = async () => {
    const run = (await t.api('POST', '/api/v1/sync/run')).data;
    if (run.outcome === 'awaiting_approval') {
      const pending = (await t.api('GET', '/api/v1/sync/approvals')).data.items.find(
        (a: any) => a.status === 'pending',
      );
      return (await t.api('POST', `/api/v1/sync/approvals/${pending.id}/approve`)).data.run;
    }
    return run;
  };

  /** Roster, as the API shows it, against what the org's current records say it should be. */
  const expectProjection = async () => {
    const tree = (await t.api('GET', '/api/v1/teams')).data;
    const actualTeams: string[] = [];
    const walk = (node: any, parent: string | null) => {
      if (parent !== null) actualTeams.push(`${node.name} < ${parent}`);
      for (const child of node.children ?? []) walk(child, node.name);
    };
    walk(tree.top, null);
    const recs = new Map(roles.map((id) => [id, fake.control.record(id)!]));
    const roleName = (id: string | null) => (id ? (recs.get(id)?.Name as string) : 'Top-level team');
    expect(actualTeams.sort()).toEqual(
      roles.map((id) => `${roleName(id)} < ${roleName(recs.get(id)!.ParentRoleId as string | null)}`).sort(),
    );

    const rows = await t.app
      .db('users')
      .leftJoin('teams', 'teams.id', 'users.team_id')
      .where('users.org_id', t.org.orgId)
      .whereNotNull('users.sf_user_id')
      .select(
        'users.sf_user_id',
        'users.email',
        'users.first_name',
        'users.job_title',
        'users.status',
        'teams.name as team',
      );
    const roster = new Map(rows.map((r: any) => [r.sf_user_id, r]));
    for (const id of users) {
      const rec = fake.control.record(id)!;
      const mine = roster.get(id);
      if (!mine) {
        expect(rec.IsActive, `${id} is active in Salesforce but missing from Roster`).toBe(false);
        continue;
      }
      expect({
        email: mine.email,
        first: mine.first_name,
        title: mine.job_title,
        suspended: mine.status === 'suspended',
        team: mine.team,
      }).toEqual({
        email: rec.Email,
        first: rec.FirstName ?? '',
        title: rec.Title ?? '',
        suspended: rec.IsActive !== true,
        team: roleName(rec.UserRoleId as string | null),
      });
    }
  };

  it('after any sequence of org changes, one sync makes Roster equal the projection of the org', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 8 }), async (mutations) => {
        for (const m of mutations) apply(m);
        fake.control.advanceClock(61_000);
        const run = await sync();
        expect(run.outcome, run.error).toBe('success');
        await expectProjection();
      }),
      { numRuns: 25, seed: 20261123 },
    );
  }, 240_000);
});
