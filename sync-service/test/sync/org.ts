import { type OrgFixture, PROFILES, standardSetup, makeId } from '@roster/fake-salesforce';

export const roleId = (n: number) => makeId('00E', n);
export const userId = (n: number) => makeId('005', n);
export const INTEGRATION = userId(1);

/**
 * A small org the sync tests reason about: CEO > Sales > Sales West, and CEO > Support; an integration user with the
 * System Administrator profile (so the health gate passes), and `people` users spread over the roles.
 */
export function smallOrg(people = 12): OrgFixture {
  const base = standardSetup();
  const roles = [
    { Id: roleId(1), Name: 'CEO', ParentRoleId: null },
    { Id: roleId(2), Name: 'Sales', ParentRoleId: roleId(1) },
    { Id: roleId(3), Name: 'Sales West', ParentRoleId: roleId(2) },
    { Id: roleId(4), Name: 'Support', ParentRoleId: roleId(1) },
  ];
  const users: OrgFixture['users'] = [
    {
      Id: INTEGRATION,
      FirstName: 'Roster',
      LastName: 'Integration',
      Email: 'integration@small.example.com',
      Username: 'integration@small.example.com',
      UserRoleId: roleId(1),
      ProfileId: PROFILES.admin,
    },
  ];
  for (let i = 0; i < people; i++) {
    const n = i + 2;
    users.push({
      Id: userId(n),
      FirstName: `First${n}`,
      LastName: `Last${n}`,
      Email: `user${n}@small.example.com`,
      Username: `user${n}@small.example.com`,
      Title: i % 3 === 0 ? 'Account Executive' : 'Support Engineer',
      UserRoleId: roleId((i % 3) + 2),
      ManagerId: null,
      ProfileId: PROFILES.standard,
    });
  }
  return {
    organization: { Id: makeId('00D', 9), Name: 'Small Co' },
    ...base,
    roles,
    users,
    integrationUser: INTEGRATION,
  };
}
