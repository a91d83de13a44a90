import fc from 'fast-check';
import { type OrgFixture, PROFILES } from '@roster/fake-salesforce';
import { INTEGRATION, roleId, smallOrg, userId } from './org.js';

/** A random Salesforce org: a role tree, users in it (some inactive or not standard), managers among them. */
export const salesforceOrg = fc.record({
  roles: fc.array(
    fc.record({
      parent: fc.option(fc.nat(), { nil: null }),
      name: fc.constantFrom('CEO', 'Sales', 'Support', 'Ops', 'Field'),
    }),
    {
      minLength: 1,
      maxLength: 5,
    },
  ),
  users: fc.array(
    fc.record({
      role: fc.option(fc.nat(), { nil: null }),
      manager: fc.option(fc.nat(), { nil: null }),
      active: fc.nat({ max: 5 }).map((n) => n > 0),
      chatter: fc.nat({ max: 6 }).map((n) => n === 0),
      title: fc.constantFrom('Account Executive', 'Support Engineer', ''),
    }),
    { minLength: 1, maxLength: 8 },
  ),
});

export type SalesforceOrg = typeof salesforceOrg extends fc.Arbitrary<infer T> ? T : never;

/** The org as the Salesforce fake serves it: the integration user, then the random users (p2@prop.example.com, …). */
export function fixtureOf(org: SalesforceOrg): OrgFixture {
  const base = smallOrg(0);
  const roles = org.roles.map((r, i) => ({
    Id: roleId(i + 1),
    Name: `${r.name} ${i + 1}`,
    ParentRoleId: r.parent === null || i === 0 ? null : roleId((r.parent % i) + 1),
  }));
  const users = org.users.map((u, i) => ({
    Id: userId(i + 2),
    FirstName: `First${i + 2}`,
    LastName: `Last${i + 2}`,
    Email: `p${i + 2}@prop.example.com`,
    Username: `p${i + 2}@prop.example.com`,
    Title: u.title,
    UserRoleId: u.role === null ? null : roleId((u.role % roles.length) + 1),
    ManagerId: u.manager === null || i === 0 ? null : userId((u.manager % i) + 2),
    IsActive: u.active,
    ...(u.chatter ? { UserType: 'CsnOnly', ProfileId: PROFILES.chatterFree } : { ProfileId: PROFILES.standard }),
  }));
  return { ...base, roles, users: [...base.users.filter((u) => u.Id === INTEGRATION), ...users] };
}
