import type { OrgFixture } from './fixture.js';
import { makeId } from './ids.js';

export const LICENSES = {
  salesforce: makeId('100', 1),
  platform: makeId('100', 2),
  chatterFree: makeId('100', 3),
};
export const PROFILES = {
  admin: makeId('00e', 1),
  standard: makeId('00e', 2),
  chatterFree: makeId('00e', 3),
  minimumAccess: makeId('00e', 4),
};

/** Licenses and the standard profiles every org has. */
export function standardSetup(): Pick<OrgFixture, 'licenses' | 'profiles'> {
  const allRead = { read: true, create: true, edit: true, delete: true };
  return {
    licenses: [
      { Id: LICENSES.salesforce, Name: 'Salesforce', LicenseDefinitionKey: 'SFDC', TotalLicenses: 200 },
      { Id: LICENSES.platform, Name: 'Salesforce Platform', LicenseDefinitionKey: 'AUL', TotalLicenses: 50 },
      { Id: LICENSES.chatterFree, Name: 'Chatter Free', LicenseDefinitionKey: 'PID_Chatter', TotalLicenses: 5000 },
    ],
    profiles: [
      {
        Id: PROFILES.admin,
        Name: 'System Administrator',
        UserLicenseId: LICENSES.salesforce,
        permissions: {
          PermissionsApiEnabled: true,
          PermissionsModifyAllData: true,
          PermissionsManageUsers: true,
          PermissionsCustomizeApplication: true,
          PermissionsAuthorApex: true,
          PermissionsRunReports: true,
        },
        fieldPermissions: { '*': 'edit' },
      },
      {
        Id: PROFILES.standard,
        Name: 'Standard User',
        UserLicenseId: LICENSES.salesforce,
        permissions: {
          PermissionsApiEnabled: true,
          PermissionsEditTask: true,
          PermissionsEditEvent: true,
          PermissionsRunReports: true,
        },
        objectPermissions: { '*': allRead },
        fieldPermissions: { '*': 'edit' },
      },
      { Id: PROFILES.chatterFree, Name: 'Chatter Free User', UserLicenseId: LICENSES.chatterFree, UserType: 'CsnOnly' },
      { Id: PROFILES.minimumAccess, Name: 'Minimum Access - Salesforce', UserLicenseId: LICENSES.salesforce },
    ],
  };
}

export interface GenerateOptions {
  users: number;
  roles: number;
  /** Levels in the role hierarchy, root included. */
  depth: number;
  seed?: number;
  multiCurrency?: boolean;
}

function prng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  return () => {
    a ^= a << 13;
    a ^= a >>> 17;
    a ^= a << 5;
    return (a >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ava',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Isla',
  'Jon',
  'Kemi',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tariq',
];
const LAST = [
  'Adams',
  'Brown',
  'Chen',
  'Diaz',
  'Evans',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ito',
  'Jones',
  'Khan',
  'Lopez',
  'Meyer',
  'Novak',
  'Okafor',
  'Patel',
  'Rossi',
  'Silva',
  'Tan',
  'Weber',
];

/**
 * A large deterministic org for benchmarks: `roles` roles over exactly `depth` levels,
 * `users` users spread over them (about 5% inactive, 1% without a role), an integration
 * user with the System Administrator profile at the top.
 */
export function generateOrg(opts: GenerateOptions): OrgFixture {
  const random = prng(opts.seed ?? 42);
  const depth = Math.max(1, Math.min(opts.depth, opts.roles));
  const roleIds: string[] = [];
  const byLevel: number[][] = Array.from({ length: depth }, () => []);
  const roles: OrgFixture['roles'] = [];
  for (let i = 0; i < opts.roles; i++) {
    const level = i === 0 ? 0 : 1 + ((i - 1) % Math.max(1, depth - 1));
    const parents = byLevel[level - 1] ?? [];
    const parent = level === 0 ? null : roleIds[parents[Math.floor(random() * parents.length)]!]!;
    const id = makeId('00E', i + 1);
    roleIds.push(id);
    byLevel[level]!.push(i);
    roles.push({
      Id: id,
      Name: level === 0 ? 'CEO' : `Team ${i} (L${level})`,
      DeveloperName: `Team_${i}`,
      ParentRoleId: parent,
    });
  }
  const heads = new Map<string, string>();
  const users: OrgFixture['users'] = [];
  const integrationId = makeId('005', 1);
  users.push({
    Id: integrationId,
    FirstName: 'Roster',
    LastName: 'Integration',
    Email: 'integration@bench.example.com',
    Title: 'Integration User',
    UserRoleId: roleIds[0] ?? null,
    ProfileId: PROFILES.admin,
  });
  for (let i = 1; i < opts.users; i++) {
    const r = random();
    const roleId = r < 0.01 ? null : roleIds[Math.floor(random() * roleIds.length)]!;
    const id = makeId('005', i + 1);
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    let manager: string | null = null;
    if (roleId) {
      const head = heads.get(roleId);
      if (head) manager = head;
      else heads.set(roleId, id);
    }
    users.push({
      Id: id,
      FirstName: first,
      LastName: `${last}${i}`,
      Email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@bench.example.com`,
      Title: manager ? 'Account Executive' : 'Manager',
      UserRoleId: roleId,
      ManagerId: manager,
      IsActive: random() >= 0.05,
      ProfileId: PROFILES.standard,
    });
  }
  return {
    organization: {
      Id: makeId('00D', 1),
      Name: `Bench org ${opts.users}/${opts.roles}`,
      multiCurrency: opts.multiCurrency ?? false,
    },
    ...standardSetup(),
    roles,
    users,
    integrationUser: integrationId,
  };
}
