import type { OrgFixture } from './fixture.js';
import { LICENSES, PROFILES, standardSetup } from './generate.js';
import { makeId } from './ids.js';

type Users = OrgFixture['users'];
const role = (n: number) => makeId('00E', n);
const user = (n: number) => makeId('005', n);
const ps = (n: number) => makeId('0PS', 900 + n);

const ROLES: [number, string, number | null][] = [
  [1, 'CEO', null],
  [2, 'VP Sales', 1],
  [3, 'VP Marketing', 1],
  [4, 'VP Customer Success', 1],
  [5, 'Director, Sales West', 2],
  [6, 'Director, Sales East', 2],
  [7, 'Marketing Manager', 3],
  [8, 'Customer Success Manager', 4],
  [9, 'Account Executive West', 5],
  [10, 'Account Executive East', 6],
  [11, 'Sales Development', 7],
  [12, 'Support Agent', 8],
];

const PEOPLE = [
  'Olivia Bennett',
  'Liam Carter',
  'Emma Diaz',
  'Noah Evans',
  'Ava Foster',
  'Elijah Grant',
  'Sophia Hayes',
  'Lucas Ito',
  'Mia Jensen',
  'Mason Kim',
  'Isabella Lopez',
  'Ethan Moore',
  'Amelia Nguyen',
  'James Ortiz',
  'Harper Patel',
  'Benjamin Quinn',
  'Evelyn Reed',
  'Henry Shah',
  'Abigail Torres',
  'Alexander Ueda',
  'Emily Vargas',
  'Daniel Walsh',
  'Ella Xu',
  'Matthew Young',
  'Scarlett Zhang',
  'Jackson Abbott',
  'Grace Baker',
  'Sebastian Cruz',
  'Chloe Dunn',
  'Jack Ellis',
  'Victoria Flores',
  'Owen Gupta',
  'Riley Hart',
  'Samuel Irwin',
  'Zoey James',
  'David Khan',
  'Nora Lewis',
  'Joseph Mehta',
  'Lily Novak',
  'Carter Olsen',
  'Hannah Price',
  'Wyatt Rossi',
  'Aria Silva',
  'John Tanaka',
  'Layla Usman',
  'Luke Vega',
  'Penelope Wong',
];

/** Leaf and middle roles with how many people report into each, and their title. */
const TEAMS: [number, number, string][] = [
  [9, 14, 'Account Executive'],
  [10, 14, 'Account Executive'],
  [11, 10, 'Sales Development Rep'],
  [12, 8, 'Support Agent'],
];

function people(): Users {
  const email = (first: string, last: string) => `${first}.${last}@acme-robotics.example.com`.toLowerCase();
  const users: Users = [];
  const add = (n: number, first: string, last: string, extra: Partial<Users[number]>) =>
    users.push({
      Id: user(n),
      FirstName: first,
      LastName: last,
      Email: email(first, last),
      ProfileId: PROFILES.standard,
      ...extra,
    });

  add(1, 'Roster', 'Integration User', {
    Email: 'roster.integration@acme-robotics.example.com',
    Title: 'Integration User',
    UserRoleId: role(1),
    ProfileId: makeId('00e', 50),
  });
  add(2, 'Morgan', 'Blake', { Title: 'Chief Executive Officer', UserRoleId: role(1) });
  add(3, 'Dana', 'Admin', {
    Title: 'Salesforce Administrator',
    UserRoleId: role(1),
    ProfileId: PROFILES.admin,
    ManagerId: user(2),
  });
  const leads: [number, string, string, string, number, number][] = [
    [4, 'Riya', 'Kapoor', 'VP Sales', 2, 2],
    [5, 'Tom', 'Becker', 'VP Marketing', 3, 2],
    [6, 'Ines', 'Moreau', 'VP Customer Success', 4, 2],
    [7, 'Carlos', 'Mendes', 'Sales Director, West', 5, 4],
    [8, 'Hannah', 'Schmidt', 'Sales Director, East', 6, 4],
    [9, 'Kofi', 'Mensah', 'Marketing Manager', 7, 5],
    [10, 'Yuki', 'Sato', 'Customer Success Manager', 8, 6],
  ];
  for (const [n, first, last, title, r, manager] of leads)
    add(n, first, last, { Title: title, UserRoleId: role(r), ManagerId: user(manager) });
  const managerOfTeam: Record<number, number> = { 9: 7, 10: 8, 11: 9, 12: 10 };
  let n = 11;
  let p = 0;
  for (const [r, count, title] of TEAMS) {
    for (let i = 0; i < count && p < PEOPLE.length; i++, n++, p++) {
      const [first, last] = PEOPLE[p]!.split(' ') as [string, string];
      add(n, first, last, {
        Title: title,
        UserRoleId: role(r),
        ManagerId: user(managerOfTeam[r]!),
        IsActive: ![14, 27, 40].includes(n),
      });
    }
  }
  add(n++, 'Pat', 'Contractor', { Title: 'Sales Consultant (contract)', UserRoleId: null, ManagerId: user(4) });
  add(n++, 'Chris', 'Observer', {
    Title: 'Board Liaison',
    UserRoleId: role(3),
    ProfileId: PROFILES.chatterFree,
    UserType: 'CsnOnly',
  });
  add(n++, 'Automated', 'Process', {
    Email: 'autoproc@00d-demo.example.com',
    UserRoleId: null,
    ProfileId: null,
    UserType: 'AutomatedProcess',
  });
  return users;
}

const AE_WEST = [11, 12, 13, 15];
const ACCOUNTS: [string, string, number, string][] = [
  ['Globex Corporation', 'Manufacturing', 52_000_000, 'Customer'],
  ['Initech', 'Technology', 18_500_000, 'Prospect'],
  ['Umbrella Health', 'Healthcare', 240_000_000, 'Customer'],
  ['Stark Logistics', 'Transportation', 77_000_000, 'Prospect'],
  ['Wayne Foods', 'Food & Beverage', 31_000_000, 'Customer'],
  ['Cyberdyne Systems', 'Technology', 410_000_000, 'Partner'],
  ['Soylent Energy', 'Energy', 66_000_000, 'Prospect'],
  ['Tyrell Biotech', 'Biotechnology', 120_000_000, 'Customer'],
];
const STAGES: [string, number, boolean, boolean][] = [
  ['Prospecting', 10, false, false],
  ['Qualification', 20, false, false],
  ['Proposal/Price Quote', 75, false, false],
  ['Negotiation/Review', 90, false, false],
  ['Closed Won', 100, true, true],
  ['Closed Lost', 0, true, false],
];

function records(): OrgFixture['records'] {
  const owner = (i: number) => user(i % 2 === 0 ? AE_WEST[i % AE_WEST.length]! : 25 + (i % 5));
  const Account = ACCOUNTS.map(([Name, Industry, AnnualRevenue, Type], i) => ({
    Id: makeId('001', i + 1),
    Name,
    Industry,
    AnnualRevenue,
    Type,
    OwnerId: owner(i),
    NumberOfEmployees: Math.round(AnnualRevenue / 250_000),
    Website: `https://www.${Name.split(' ')[0]!.toLowerCase()}.example.com`,
    BillingCity: ['Austin', 'Boston', 'Denver', 'Seattle'][i % 4],
    BillingCountry: 'USA',
  }));
  const Contact = ACCOUNTS.flatMap((_, i) =>
    [0, 1].map((j) => ({
      Id: makeId('003', i * 2 + j + 1),
      FirstName: ['Alex', 'Jordan', 'Taylor', 'Casey'][(i + j) % 4],
      LastName: `${ACCOUNTS[i]![0].split(' ')[0]}${j ? 'Buyer' : 'Champion'}`,
      AccountId: makeId('001', i + 1),
      OwnerId: owner(i),
      Title: j ? 'Head of Procurement' : 'VP Operations',
      Email: `contact${i * 2 + j + 1}@customer.example.com`,
      Phone: `+1 555 01${String(i * 2 + j).padStart(2, '0')}`,
    })),
  );
  const Lead = [0, 1, 2, 3, 4, 5].map((i) => ({
    Id: makeId('00Q', i + 1),
    FirstName: ['Robin', 'Sky', 'Drew', 'Jamie', 'Rowan', 'Sage'][i],
    LastName: `Prospect${i + 1}`,
    Company: `Lead Co ${i + 1}`,
    Status: [
      'Open - Not Contacted',
      'Working - Contacted',
      'Working - Contacted',
      'Closed - Not Converted',
      'Open - Not Contacted',
      'Working - Contacted',
    ][i],
    OwnerId: user(39 + (i % 6)),
    Rating: ['Hot', 'Warm', 'Cold'][i % 3],
    Industry: 'Technology',
  }));
  const Opportunity = ACCOUNTS.map(([name], i) => {
    const [StageName, Probability, IsClosed, IsWon] = STAGES[i % STAGES.length]!;
    return {
      Id: makeId('006', i + 1),
      Name: `${name} - Fleet Expansion`,
      AccountId: makeId('001', i + 1),
      OwnerId: owner(i),
      StageName,
      Probability,
      IsClosed,
      IsWon,
      CloseDate: `2025-${String((i % 12) + 1).padStart(2, '0')}-15`,
      Amount: 25_000 * (i + 2),
      ExpectedRevenue: (25_000 * (i + 2) * Probability) / 100,
      Type: 'New Business',
      LeadSource: 'Web',
    };
  });
  return {
    Account,
    Contact,
    Lead,
    Opportunity,
    OpportunityContactRole: [0, 1, 2, 3].map((i) => ({
      Id: makeId('00K', i + 1),
      OpportunityId: makeId('006', i + 1),
      ContactId: makeId('003', i * 2 + 1),
      Role: 'Decision Maker',
      IsPrimary: true,
    })),
    Task: [0, 1, 2, 3].map((i) => ({
      Id: makeId('00T', i + 1),
      Subject: `Follow up ${i + 1}`,
      Status: 'Not Started',
      Priority: 'Normal',
      OwnerId: owner(i),
      WhoId: makeId('003', i + 1),
      WhatId: makeId('006', i + 1),
      ActivityDate: '2025-03-10',
      TaskSubtype: 'Task',
    })),
    Event: [0, 1, 2].map((i) => ({
      Id: makeId('00U', i + 1),
      Subject: `Discovery call ${i + 1}`,
      OwnerId: owner(i),
      WhoId: makeId('003', i + 3),
      WhatId: makeId('001', i + 1),
      ActivityDate: '2025-03-12',
      ActivityDateTime: `2025-03-12T1${i}:00:00.000Z`,
      DurationInMinutes: 30,
      Type: 'Meeting',
    })),
    LeadStatus: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'].map(
      (s, i) => ({
        Id: makeId('01J', i + 1),
        ApiName: s,
        MasterLabel: s,
        SortOrder: i + 1,
        IsDefault: i === 0,
        IsConverted: i === 2,
      }),
    ),
    OpportunityStage: STAGES.map(([s, prob, closed, won], i) => ({
      Id: makeId('01J', 20 + i),
      ApiName: s,
      MasterLabel: s,
      SortOrder: i + 1,
      IsActive: true,
      IsClosed: closed,
      IsWon: won,
      DefaultProbability: prob,
    })),
    FiscalYearSettings: [
      { Id: makeId('022', 1), Name: '2025', StartDate: '2025-01-01', EndDate: '2025-12-31', IsStandardYear: true },
    ],
    Period: [1, 2, 3, 4].map((q) => ({
      Id: makeId('026', q),
      Type: 'Quarter',
      Number: q,
      StartDate: `2025-${String(q * 3 - 2).padStart(2, '0')}-01`,
      EndDate: `2025-${String(q * 3).padStart(2, '0')}-${q === 1 || q === 4 ? 31 : 30}`,
      FiscalYearSettingsId: makeId('022', 1),
      IsForecastPeriod: true,
    })),
  };
}

/**
 * The demo org `npm start` serves when no Salesforce org is configured: Acme Robotics,
 * 59 users in 12 roles over 4 levels, three inactive users, one without a role, a Chatter
 * Free user and the Automated Process user, and an integration user whose access comes
 * from its profile, a permission set and a permission set group (plus one expired
 * assignment), with a realistic gap that does not stop the sync: Account.AnnualRevenue,
 * Lead.Rating and Opportunity.ExpectedRevenue (recommended) are not readable, so its health
 * check is Degraded out of the box, never Blocked.
 */
export function buildDemoOrg(): OrgFixture {
  const base = standardSetup();
  const integrationProfile = makeId('00e', 50);
  return {
    organization: {
      Id: makeId('00D', 7),
      Name: 'Acme Robotics (demo)',
      DefaultAccountAccess: 'Read',
      DefaultContactAccess: 'ControlledByParent',
      DefaultLeadAccess: 'ReadEditTransfer',
      DefaultOpportunityAccess: 'None',
      multiCurrency: false,
    },
    licenses: base.licenses,
    profiles: [
      ...base.profiles,
      {
        Id: integrationProfile,
        Name: 'Roster Integration',
        UserLicenseId: LICENSES.salesforce,
        permissions: { PermissionsApiEnabled: true },
        objectPermissions: {
          Account: { read: true, edit: true, viewAll: true },
          Contact: { read: true, create: true, edit: true, delete: true, viewAll: true },
          Lead: { read: true, create: true, edit: true, viewAll: true },
          Opportunity: { read: true, edit: true, viewAll: true, modifyAll: true },
        },
        fieldPermissions: {
          'Account.*': 'edit',
          'Contact.*': 'edit',
          'Lead.*': 'edit',
          'Opportunity.*': 'edit',
          'Task.*': 'read',
          'Event.*': 'read',
          'OpportunityContactRole.*': 'read',
          'User.*': 'read',
          'UserRole.*': 'read',
          'Account.AnnualRevenue': 'none',
          'Lead.Rating': 'none',
          'Opportunity.ExpectedRevenue': 'none',
        },
      },
    ],
    permissionSets: [
      {
        Id: ps(1),
        Name: 'Roster_Integration_Access',
        Label: 'Roster Integration Access',
        // Manage Users lets the sync read UserLogin (who is frozen), so demo syncs carry no "frozen users not seen".
        permissions: { PermissionsViewAllData: true, PermissionsViewAllUsers: true, PermissionsManageUsers: true },
      },
      {
        Id: ps(2),
        Name: 'Edit_Activities',
        Label: 'Edit Activities',
        permissions: { PermissionsEditTask: true, PermissionsEditEvent: true },
      },
      {
        Id: ps(3),
        Name: 'Temporary_Modify_All',
        Label: 'Temporary Modify All (expired)',
        permissions: { PermissionsModifyAllData: true },
      },
      {
        Id: ps(4),
        Name: 'Sales_Ops',
        Label: 'Sales Ops',
        permissions: { PermissionsViewSetup: true },
        objectPermissions: { Opportunity: { read: true, viewAll: true } },
      },
    ],
    permissionSetGroups: [
      {
        Id: makeId('0PG', 1),
        DeveloperName: 'Roster_Activity_Access',
        MasterLabel: 'Roster Activity Access',
        permissionSets: [ps(2)],
      },
    ],
    roles: ROLES.map(([n, Name, parent]) => ({
      Id: role(n),
      Name,
      DeveloperName: Name.replace(/\W+/g, '_'),
      ParentRoleId: parent ? role(parent) : null,
    })),
    users: people().map((u) =>
      u.Id === user(1)
        ? {
            ...u,
            permissionSets: [ps(1), { id: ps(3), expirationDate: '2024-06-30T00:00:00Z' }],
            permissionSetGroups: [makeId('0PG', 1)],
          }
        : u.Id === user(7)
          ? { ...u, permissionSets: [ps(4)] }
          : u,
    ),
    integrationUser: user(1),
    // Like most orgs: no Account Teams, Team Selling or Territory Management; Shared Activities on. The article's
    // peopleai__ fields belong to another vendor's managed package, which this org does not have installed.
    features: {
      accountTeams: false,
      teamSelling: false,
      territoryManagement: false,
      advancedCurrencyManagement: false,
      sharedActivities: true,
    },
    customFields: {
      Task: [{ name: 'peopleai__Created_by_PeopleAI__c', type: 'boolean' }],
      Event: [{ name: 'peopleai__Created_by_PeopleAI__c', type: 'boolean' }],
    },
    records: records(),
  };
}

export const demoOrg: OrgFixture = buildDemoOrg();
