/** Realistic data for the LWC jest fixtures: a small org with a sales hierarchy (see lwc-fixtures.ts). */
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (day: number, hour = 9) =>
  `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

export const ids = {
  top: id(1),
  unassigned: id(2),
  sales: id(3),
  west: id(4),
  east: id(5),
  defaultProfile: id(10),
  fullSync: id(11),
  ada: id(20),
  grace: id(21),
  linus: id(22),
  margaret: id(23),
  customTeam: id(30),
  rule: id(40),
  catchAll: id(41),
  healthResult: id(50),
  eligibilityGroup: id(60),
  rankingGroup: id(61),
};

const user = (n: number, email: string, firstName: string, lastName: string, extra: Record<string, unknown>) => ({
  id: id(n),
  email,
  firstName,
  lastName,
  jobTitle: 'Account Executive',
  sfUserId: null,
  teamId: ids.west,
  teamName: 'West',
  role: 'member',
  licenses: ['foundation'],
  objectVisibility: 'team',
  profileId: ids.defaultProfile,
  profileName: 'Default - Intake Off',
  status: 'active',
  source: 'manual',
  suspensionReason: null,
  suspendedAt: null,
  permissionErrorSince: null,
  createdAt: at(1),
  updatedAt: at(2),
  ...extra,
});

export const userPage = {
  items: [
    user(20, 'ada@example.com', 'Ada', 'Lovelace', {
      role: 'admin',
      objectVisibility: 'full',
      jobTitle: 'VP Sales',
      teamId: ids.sales,
      teamName: 'Sales',
      licenses: ['foundation', 'forecasting'],
      profileId: ids.fullSync,
      profileName: 'Sales - Full Sync',
    }),
    user(21, 'grace@example.com', 'Grace', 'Hopper', {
      role: 'manager',
      status: 'permission_error',
      permissionErrorSince: at(20, 14),
    }),
    user(22, 'linus@example.com', 'Linus', 'Pauling', {
      status: 'suspended',
      suspensionReason: 'Left the company',
      suspendedAt: at(21),
    }),
  ],
  nextCursor: 'eyJvZmZzZXQiOjN9',
};

export const counts = { total: 4, pending: 1, onboarding: 0, permissionErrors: 1, active: 1, suspended: 1 };

const team = (n: string, name: string, kind: string, parentId: string | null, extra: Record<string, unknown> = {}) => ({
  id: n,
  name,
  kind,
  parentId,
  managerUserId: null,
  managerSetByHand: false,
  managerWarning: null,
  memberCount: 0,
  sfRoleId: null,
  ...extra,
});
export const teamTree = {
  top: {
    ...team(ids.top, 'Top-level team', 'top', null),
    children: [
      {
        ...team(ids.sales, 'Sales', 'hierarchy', ids.top, { managerUserId: ids.ada, memberCount: 1 }),
        children: [
          {
            ...team(ids.west, 'West', 'hierarchy', ids.sales, {
              managerUserId: ids.grace,
              memberCount: 2,
              managerWarning: 'West has 2 users with the Manager role; Grace Hopper was chosen (earliest created).',
            }),
            children: [],
          },
          {
            ...team(ids.east, 'East', 'hierarchy', ids.sales, { managerUserId: ids.ada, managerSetByHand: true }),
            children: [],
          },
        ],
      },
    ],
  },
  unassigned: team(ids.unassigned, 'Unassigned', 'unassigned', null, { memberCount: 1 }),
};

export const customTeams = {
  items: [
    {
      id: ids.customTeam,
      name: 'Strategic Accounts',
      userIds: [ids.ada],
      teamIds: [ids.east],
      managerUserId: ids.ada,
      viewerIds: [ids.grace],
      people: [
        { id: ids.ada, name: 'Ada Lovelace', email: 'ada@example.com' },
        { id: ids.grace, name: 'Grace Hopper', email: 'grace@example.com' },
      ],
      memberCount: 3,
      createdAt: at(3),
      updatedAt: at(4),
    },
  ],
};

export const profileList = {
  profiles: [
    { id: ids.defaultProfile, name: 'Default - Intake Off', isBuiltin: true, userCount: 3 },
    { id: ids.fullSync, name: 'Sales - Full Sync', isBuiltin: false, userCount: 1 },
  ],
};

const activity = {
  intakeData: true,
  transcriptIntake: false,
  displayData: true,
  pushData: true,
  emailSync: true,
  meetingSync: true,
  contactCreation: false,
  contactRoleCreation: false,
};
export const profile = {
  id: ids.fullSync,
  name: 'Sales - Full Sync',
  isBuiltin: false,
  userCount: 1,
  activity,
  minScore: 40,
  eligibility: {
    Opportunity: { state: 'all', groups: [] },
    Account: {
      state: 'filtered',
      groups: [
        {
          id: ids.eligibilityGroup,
          objectType: 'Account',
          name: 'Partners',
          position: 0,
          conditions: [{ field: 'Type', operator: 'equals', value: 'Partner' }],
        },
      ],
    },
    Lead: { state: 'none', groups: [] },
  },
  rankingGroups: [
    {
      id: ids.rankingGroup,
      name: 'Soonest close',
      position: 0,
      target: 'Opportunity',
      kind: 'sort',
      conditions: [{ kind: 'sort', field: 'CloseDate', direction: 'asc' }],
    },
  ],
  notifications: {
    meetingCategoryField: 'Type',
    creationRecipients: 'owner_only',
    completionRecipients: 'all_participants',
    followUpQuestions: [{ crmCategory: 'Discovery', question: 'What is the next step?', answerField: 'NextStep' }],
  },
  createdAt: at(1),
  updatedAt: at(5),
};

export const profileSummary = {
  id: ids.fullSync,
  name: 'Sales - Full Sync',
  enabled: ['Intake Data', 'Display Data', 'Push Data', 'Email Sync', 'Meeting Sync'],
  disabled: ['Transcript Intake', 'Contact Creation', 'Contact Role Creation'],
  eligibility: { Opportunity: 'all', Account: 'filtered', Lead: 'none' },
  rankingGroupCount: 1,
  followUpQuestionCount: 1,
  userCount: 1,
};

export const eligibilityPreview = {
  profileId: ids.fullSync,
  counts: [
    { objectType: 'Opportunity', state: 'all', eligible: 1200, soql: 'SELECT COUNT() FROM Opportunity' },
    {
      objectType: 'Account',
      state: 'filtered',
      eligible: 85,
      soql: "SELECT COUNT() FROM Account WHERE (Type = 'Partner')",
    },
    { objectType: 'Lead', state: 'none', eligible: 0, soql: null },
  ],
};

/** What the matching preview answers for a meeting with two Acme contacts and an unknown guest. */
export const matchingPreview = {
  profileId: ids.fullSync,
  notes: ['Meeting Sync is off: matched meetings are not synced to Salesforce.'],
  participants: [
    { email: 'ann@acme.example', records: [{ objectType: 'Contact', id: '003000000000001AAA', name: 'Ann Lee' }] },
    { email: 'dan@initech.example', records: [{ objectType: 'Lead', id: '00Q000000000001AAA', name: 'Dan Cho' }] },
    { email: 'guest@nowhere.example', records: [] },
  ],
  candidates: [
    {
      id: '006000000000001AAA',
      objectType: 'Opportunity',
      name: 'Acme Renewal',
      score: 5,
      signals: [{ points: 5, reason: 'ann@acme.example is a Contact at Acme.' }],
      outcome: 'kept',
      rank: 1,
      why: [
        'Every Opportunity is eligible (no eligibility group for Opportunities).',
        'Score 5 meets the minimum score of 0.',
      ],
      placement: [
        'Ranking group 1 is for Opportunities: they come before types with a later ranking group or none.',
        'Ranking group 1 "Soonest close" orders by CloseDate ascending (2026-11-01).',
        'Score 5 breaks remaining ties, highest first.',
      ],
    },
    {
      id: '001000000000001AAA',
      objectType: 'Account',
      name: 'Acme',
      score: 5,
      signals: [{ points: 5, reason: 'ann@acme.example is a Contact at Acme.' }],
      outcome: 'kept',
      rank: 2,
      why: ['Eligible through the Account group "Partners".', 'Score 5 meets the minimum score of 0.'],
      placement: [
        'No ranking group is for Accounts: they come after the types that have one.',
        'Score 5 breaks remaining ties, highest first.',
      ],
    },
    {
      id: '00Q000000000001AAA',
      objectType: 'Lead',
      name: 'Dan Cho',
      score: 10,
      signals: [{ points: 10, reason: 'dan@initech.example is this Lead.' }],
      outcome: 'dropped',
      rank: null,
      why: ['No Lead is eligible: the last Lead group was removed.'],
      placement: [],
    },
  ],
};

const field = (name: string, label: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  label,
  type,
  picklistValues: [],
  filterable: true,
  sortable: true,
  updateable: true,
  relationshipName: null,
  ...extra,
});
const values = (...list: string[]) => list.map((value) => ({ value, label: value }));

/** The org's Account fields as the service's describe route answers them. */
export const objectFields = {
  objectType: 'Account',
  fields: [
    field('AnnualRevenue', 'Annual Revenue', 'currency'),
    field('CreatedDate', 'Created Date', 'datetime', { updateable: false }),
    field('Description', 'Description', 'textarea', { filterable: false, sortable: false }),
    field('Industry', 'Industry', 'picklist', { picklistValues: values('Banking', 'Retail', 'Technology') }),
    field('Name', 'Account Name', 'string'),
    field('OwnerId', 'Owner ID', 'reference', { relationshipName: 'Owner' }),
    field('Type', 'Type', 'picklist', { picklistValues: values('Customer', 'Partner', 'Prospect') }),
  ],
};

export const ruleList = {
  rules: [
    {
      id: ids.rule,
      name: 'Account Executives',
      description: 'AEs sync everything',
      position: 0,
      isCatchAll: false,
      filters: [{ field: 'job_title', operator: 'contains', value: 'Account Executive' }],
      assignments: {
        profileId: ids.fullSync,
        role: 'member',
        visibility: 'team',
        licenses: ['foundation', 'engagement_dashboard'],
      },
      valid: true,
      problems: [],
    },
    {
      id: id(42),
      name: 'West managers',
      description: '',
      position: 1,
      isCatchAll: false,
      filters: [{ field: 'team_name', operator: 'is_under', value: ids.west }],
      assignments: { profileId: id(99), role: 'manager', visibility: 'team', licenses: ['foundation'] },
      valid: false,
      problems: [{ code: 'profile_missing', message: 'The configuration profile this rule assigns was deleted.' }],
    },
    {
      id: ids.catchAll,
      name: 'Catch-all',
      description: 'Applies when no other rule matches.',
      position: 2,
      isCatchAll: true,
      filters: [],
      assignments: {
        profileId: ids.defaultProfile,
        role: 'member',
        visibility: 'full',
        licenses: ['foundation', 'engagement_dashboard'],
      },
      valid: true,
      problems: [],
    },
  ],
  invalidCount: 1,
};

export const simulation = {
  results: [
    {
      subject: {
        userId: ids.grace,
        sfUserId: null,
        email: 'grace@example.com',
        name: 'Grace Hopper',
        jobTitle: 'Account Executive',
        teamId: ids.west,
        teamName: 'West',
      },
      rule: { id: ids.rule, name: 'Account Executives', isCatchAll: false },
      decidingClause: {
        index: 0,
        field: 'job_title',
        operator: 'contains',
        value: 'Account Executive',
        text: 'Job Title contains "Account Executive"',
      },
      assignments: {
        profileId: ids.fullSync,
        role: 'member',
        visibility: 'team',
        licenses: ['foundation', 'engagement_dashboard'],
      },
    },
  ],
  summary: [{ ruleId: ids.rule, ruleName: 'Account Executives', users: 1 }],
};

const explanation = {
  code: 'user_out_of_scope',
  label: 'Outside the authorized group',
  reason: 'The user is not in the Google group or organizational unit Roster may read.',
  fix: 'Add the user to the Roster organizational unit in Google Workspace.',
  propagation: null,
};
export const permissionErrors = {
  total: 1,
  items: [
    {
      userId: ids.grace,
      email: 'grace@example.com',
      since: at(20, 14),
      reason: explanation,
      lastChecked: at(22, 10),
      provider: {
        httpStatus: 403,
        code: 'forbidden',
        message: 'Not Authorized to access this resource/api',
        requestId: 'req-123',
      },
    },
  ],
};
export const testAccess = {
  userId: ids.grace,
  email: 'grace@example.com',
  outcome: 'ok',
  status: 'active',
  checkedAt: at(22, 11),
  reason: null,
  provider: null,
};

const item = (over: Record<string, unknown>) => ({
  grantedBy: [],
  fix: null,
  severity: 'required',
  status: 'ok',
  ...over,
});
export const healthReport = {
  id: ids.healthResult,
  checkedAt: at(22, 8),
  overall: 'blocked',
  apiCalls: 4,
  multiCurrency: false,
  user: {
    id: '005000000000001AAA',
    username: 'roster@acme.example',
    name: 'Roster Integration User',
    profile: 'Roster Integration',
    license: 'Salesforce',
    role: 'CEO',
  },
  unavailable: null,
  notChecked: [],
  summary: { ok: 3, requiredMissing: 1, recommendedMissing: 1, notApplicable: 1 },
  items: [
    item({ id: 'user.active', category: 'integrationUser', label: 'Integration user is active', grantedBy: [] }),
    item({
      id: 'system.PermissionsViewAllData',
      category: 'systemPermission',
      label: 'View All Data',
      grantedBy: [{ kind: 'profile', name: 'Roster Integration' }],
    }),
    item({
      id: 'object.Account.viewAll',
      category: 'objectPermission',
      label: 'Account: View All',
      object: 'Account',
      grantedBy: [{ kind: 'permissionSet', name: 'Roster Standard Permissions' }],
    }),
    item({
      id: 'field.Opportunity.StageName',
      category: 'field',
      label: 'Opportunity.StageName',
      object: 'Opportunity',
      field: 'StageName',
      status: 'missing',
      fix: 'Setup > Object Manager > Opportunity > Fields > Stage > Set Field-Level Security: give the Roster Integration profile Read Access.',
    }),
    item({
      id: 'field.Lead.Rating',
      category: 'field',
      label: 'Lead.Rating',
      object: 'Lead',
      field: 'Rating',
      status: 'missing',
      severity: 'recommended',
      fix: 'Setup > Object Manager > Lead > Fields > Rating > Set Field-Level Security: give Read Access.',
    }),
    item({
      id: 'field.CurrencyType.IsoCode',
      category: 'inheritedField',
      label: 'CurrencyType.IsoCode',
      object: 'CurrencyType',
      field: 'IsoCode',
      status: 'not_applicable',
      detail: 'Multi-currency is off in this org.',
    }),
  ],
};

export const mode = {
  mode: 'manual',
  hierarchySource: 'role',
  pollSeconds: 60,
  lastRun: { id: id(71), kind: 'full', outcome: 'success', startedAt: at(21, 9), finishedAt: at(21, 9) },
  pendingApprovals: 0,
  openConflicts: 0,
  limitWaitUntil: null,
  stopped: null,
};
export const modePreview = {
  mode: 'automatic',
  hierarchySource: 'role',
  counts: { teamsCreated: 2, usersCreated: 1 },
  teams: {
    create: [
      { name: 'VP Sales', parentName: 'Top-level team' },
      { name: 'AE West', parentName: 'VP Sales' },
    ],
    rename: [],
    move: [],
    delete: [{ name: 'West', redirectTo: 'AE West' }],
  },
  users: {
    create: [{ email: 'new.rep@example.com', name: 'New Rep', teamName: 'AE West' }],
    move: [{ email: 'grace@example.com', fromTeam: 'West', toTeam: 'AE West' }],
    suspend: [],
    unmatched: [{ email: 'ada@example.com', teamName: 'Top-level team' }],
  },
  skipped: [{ sfUserId: '005000000000009AAA', name: 'Old Rep', email: 'old.rep@example.com', reason: 'inactive' }],
  conflicts: [],
  apiCalls: 3,
  blockers: [],
  previewToken:
    'mode1.2-fb8d50a23ebd.0-d2c0586f69b0.0-48a759a26996.1-980d6874abbd.1-49711415b405.0-4c0eeaeffafe.1-9d346670ecf6.0-f8c83bcdc7c0.0-e04230f90dc5.1-1e1b8d2344a6.1-9f06d0bd16d0.0-718dcfe1a459',
  summary: [
    { key: 'teamsCreate', label: 'teams to create', count: 2 },
    { key: 'teamsRename', label: 'teams to rename', count: 0 },
    { key: 'teamsMove', label: 'teams to move', count: 0 },
    { key: 'teamsReplace', label: 'teams to replace', count: 1 },
    { key: 'usersCreate', label: 'users to create', count: 1 },
    { key: 'usersUpdate', label: 'users to update', count: 0 },
    { key: 'usersMove', label: 'users to move', count: 1 },
    { key: 'usersSuspend', label: 'users to suspend', count: 0 },
    { key: 'usersReactivate', label: 'users to reactivate', count: 0 },
    { key: 'usersUnmatched', label: 'users not in the Salesforce hierarchy', count: 1 },
    { key: 'skipped', label: 'Salesforce users skipped', count: 1 },
    { key: 'conflicts', label: 'conflicts to confirm', count: 0 },
  ],
};

const role = (
  n: number,
  name: string,
  parent: number | null,
  depth: number,
  activeUserCount: number,
  importEnabled: boolean,
) => ({
  sfRoleId: `00E00000000000${n}AAA`,
  name,
  parentSfRoleId: parent ? `00E00000000000${parent}AAA` : null,
  depth,
  activeUserCount,
  importEnabled,
});
export const roles = {
  roles: [role(1, 'CEO', null, 0, 1, false), role(2, 'VP Sales', 1, 1, 2, true), role(3, 'AE West', 2, 2, 5, false)],
  refreshedAt: '2026-11-30T09:00:00.000Z',
  refreshJobId: null,
  refreshedFromSalesforce: false,
  apiCalls: 0,
};
export const roleImportPreview = {
  teams: [{ sfRoleId: '00E000000000002AAA', name: 'VP Sales', parentName: 'Top-level team', exists: false }],
  users: [{ sfUserId: '005000000000002AAA', email: 'vp@example.com', name: 'Vera Price', teamName: 'VP Sales' }],
  skipped: [{ sfUserId: '005000000000008AAA', name: 'Ian Active', email: 'ian@example.com', reason: 'inactive' }],
  previewToken: 'roles1.1-77e2536fac57.1-49711415b405.1-9f06d0bd16d0',
  summary: [
    { key: 'teamsCreate', label: 'teams to create', count: 1 },
    { key: 'usersCreate', label: 'users to create', count: 1 },
    { key: 'skipped', label: 'Salesforce users skipped', count: 1 },
  ],
};
export const roleImportResult = { teamsCreated: 1, usersCreated: 1, skipped: 1 };

export const importDryRun = {
  dryRun: true,
  applied: false,
  summary: { add: 1, edit: 0, suspend: 0, delete: 0, unchanged: 0 },
  errorCount: 1,
  errors: [{ line: 3, column: 'Role', code: 'invalid_role', message: 'Role must be Admin, Manager, Member or Data.' }],
  resultId: id(80),
  resultCsvUrl: `/api/v1/users/import/${id(80)}/result.csv`,
};

export const syncRuns = {
  items: [
    {
      id: id(70),
      kind: 'incremental',
      startedAt: at(22, 9),
      finishedAt: at(22, 9),
      outcome: 'blocked',
      counts: {},
      apiCalls: 3,
      warnings: [],
      error: 'Required fields are not readable: Opportunity.StageName.',
    },
    {
      id: id(71),
      kind: 'full',
      startedAt: at(21, 9),
      finishedAt: at(21, 9),
      outcome: 'success',
      counts: { created: 2, updated: 1, moved: 0, suspended: 0, unchanged: 10 },
      apiCalls: 6,
      warnings: [],
      error: null,
    },
  ],
};

export const reapplyPreview = {
  previewToken: 'reapply1.2-9465e7f259c7.1-307ec24174e2.1-07ffa23817eb.1-d08e1122e113.1-b50ff449ac1c',
  summary: [
    { key: 'users', label: 'users to change', count: 2 },
    { key: 'profileId', label: 'users whose profile changes', count: 1 },
    { key: 'role', label: 'users whose role changes', count: 1 },
    { key: 'visibility', label: 'users whose visibility changes', count: 1 },
    { key: 'licenses', label: 'users whose licenses change', count: 1 },
  ],
  total: 3,
  unchanged: 1,
  changes: [
    {
      userId: ids.grace,
      email: 'grace@example.com',
      rule: { id: ids.rule, name: 'Account Executives' },
      changes: [
        { field: 'profileId', from: ids.defaultProfile, to: ids.fullSync },
        { field: 'role', from: 'manager', to: 'member' },
        { field: 'licenses', from: ['foundation'], to: ['foundation', 'engagement_dashboard'] },
      ],
    },
    {
      userId: ids.linus,
      email: 'linus@example.com',
      rule: { id: ids.catchAll, name: 'Catch-all' },
      changes: [{ field: 'visibility', from: 'team', to: 'full' }],
    },
  ],
  warnings: [],
};

export const reapplyResult = { applied: 2, unchanged: 1, excluded: 0 };

// The mass-suspension guard paused one sync (an earlier pause was rejected); the admin reviews it in syncReview.
const suspension = (n: number, email: string, reason: string) => ({
  id: id(n),
  sfUserId: `00500000000000${n}AAA`,
  email,
  reason,
});
const approval = (n: number, status: string, decidedAt: string | null) => ({
  id: id(n),
  syncRunId: id(n - 20),
  suspendCount: 3,
  totalUsers: 5,
  plan: {
    suspend: [
      suspension(21, 'grace@example.com', 'Deactivated in Salesforce'),
      suspension(22, 'linus@example.com', 'Deactivated in Salesforce'),
      suspension(23, 'margaret@example.com', 'Salesforce license revoked'),
    ],
    created: 0,
    updates: 1,
  },
  status,
  createdAt: at(22, 10),
  decidedAt,
});
export const syncApprovals = { items: [approval(91, 'pending', null), approval(90, 'rejected', at(21, 11))] };
// The rejected pause left two users active whom Salesforce still has inactive: drift, until suspended or back.
const drifted = (n: number, email: string, name: string, reason: string) => ({
  userId: id(n),
  email,
  name,
  sfUserId: `00500000000000${n}AAA`,
  reason,
  since: at(21, 11),
  approvalId: id(90),
});
export const syncDrift = {
  count: 2,
  items: [
    drifted(22, 'linus@example.com', 'Linus Pauling', 'Deactivated in Salesforce'),
    drifted(23, 'margaret@example.com', 'Margaret Hamilton', 'Salesforce license revoked'),
  ],
};
export const approvalDecision = {
  approval: approval(91, 'approved', at(22, 11)),
  run: {
    id: id(72),
    kind: 'approved',
    startedAt: at(22, 11),
    finishedAt: at(22, 11),
    outcome: 'success',
    counts: { created: 0, updated: 1, moved: 0, suspended: 3, unchanged: 1 },
    apiCalls: 4,
    warnings: [],
    error: null,
  },
};

const conflict = (
  n: number,
  kind: string,
  sfUserId: string,
  userId: string | null,
  email: string,
  details: Record<string, unknown>,
) => ({
  id: id(n),
  kind,
  sfUserId,
  userId,
  email,
  details,
  status: 'open',
  createdAt: at(22, 9),
  resolvedAt: null,
});
export const syncConflicts = {
  items: [
    conflict(95, 'email_matches_unlinked_user', '005000000000031AAA', ids.ada, 'ada@example.com', {
      salesforceUser: { id: '005000000000031AAA', name: 'Ada Lovelace', email: 'ada@example.com' },
      linkedTo: null,
    }),
    conflict(96, 'email_in_use', '005000000000032AAA', null, 'shared.inbox@example.com', {
      salesforceUser: { id: '005000000000032AAA', name: 'Sales Inbox', email: 'shared.inbox@example.com' },
      linkedTo: null,
    }),
  ],
};
export const resolvedConflict = { ...syncConflicts.items[0]!, status: 'resolved', resolvedAt: at(22, 12) };

// The audit log, newest first: an admin suspends Grace, the sync moves Linus, an admin renames a team.
export const auditLog = {
  items: [
    {
      id: '1003',
      actor: ids.ada,
      action: 'user.suspend',
      targetType: 'user',
      targetId: ids.grace,
      before: { status: 'active' },
      after: { status: 'suspended', reason: 'Parental leave' },
      at: at(22, 10),
    },
    {
      id: '1002',
      actor: 'sync',
      action: 'user.move',
      targetType: 'user',
      targetId: ids.linus,
      before: { teamId: ids.west },
      after: { teamId: ids.east },
      at: at(21, 8),
    },
    {
      id: '1001',
      actor: ids.ada,
      action: 'team.rename',
      targetType: 'team',
      targetId: ids.west,
      before: { name: 'West Coast' },
      after: { name: 'West' },
      at: at(20, 16),
    },
  ],
  nextCursor: '1001',
};

// Each screen's first load in one answer (GET /screens/<screen>): the same data as the separate reads above.
export const mailboxStats = {
  provider: 'google',
  intervalSeconds: 900,
  capturingUsers: 3,
  statusCounts: { active: 2, permission_error: 1 },
  lastInterval: {
    since: at(30, 8),
    probes: 3,
    usersProbed: 3,
    byOutcome: { ok: 2, hard: 1 },
    failuresByReason: { user_out_of_scope: 1 },
  },
  orgCondition: null,
};
const noJobs = { items: [] };
export const topTeamHistory = {
  items: [
    {
      userId: ids.ada,
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      teamId: ids.top,
      startedAt: at(1),
      endedAt: at(3),
    },
  ],
  nextCursor: null,
};
const named = (...wanted: string[]) => userPage.items.filter((u) => wanted.includes(u.id));

export const usersAndTeamsScreen = {
  users: userPage,
  counts,
  teams: teamTree,
  profiles: profileList,
  mode,
  // Nothing waits for the admin on the screen's first fixture: tests add approvals, conflicts or a report.
  approvals: { items: [] },
  conflicts: { items: [] },
  health: null,
  permissionErrors,
  mailbox: mailboxStats,
  runningJobs: noJobs,
  failedParts: [],
};
export const teamHierarchyScreen = {
  teams: teamTree,
  managers: named(ids.ada, ids.grace),
  customTeams,
  topTeamHistory,
  mode,
};
export const roleHierarchyScreen = { roles, runningJobs: noJobs };
export const integrationHealthScreen = {
  health: healthReport,
  runs: syncRuns,
  approvals: syncApprovals,
  conflicts: syncConflicts,
  conflictUsers: named(ids.ada),
  drift: syncDrift,
  // Automatic Mode with the Blocked report above: the sync is stopped, as the service says while a check is Blocked.
  mode: {
    ...mode,
    mode: 'automatic',
    stopped: {
      message:
        'Salesforce sync stopped: the latest Integration Health check is Blocked; the integration user is missing this required item: Opportunity.StageName. Integration Health shows the fix for each. The sync resumes by itself once the check passes (it runs again at the next poll).',
      missing: ['Opportunity.StageName'],
      checkedAt: healthReport.checkedAt,
    },
  },
  runningJobs: noJobs,
};
export const userSettingsRulesScreen = {
  rules: ruleList,
  teams: teamTree,
  profiles: profileList,
  ruleUsers: [],
  runningJobs: noJobs,
};
