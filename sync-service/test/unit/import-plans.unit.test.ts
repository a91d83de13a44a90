import { describe, expect, it } from 'vitest';
import type { ImportContext } from '../../src/csv/load.js';
import { planImport } from '../../src/csv/plan.js';
import { createEvaluator, type Rule } from '../../src/rules/evaluator.js';
import { planReapply, type ReapplyUser } from '../../src/rules/reapply.js';
import type { RuleSet } from '../../src/rules/rule-set.js';
import { buildTeamIndex } from '../../src/rules/team-index.js';
import type { SfUser } from '../../src/sync/fetch.js';
import type { RoleMirror } from '../../src/sync/mirror-changes.js';
import { planRoleImport, type RoleImportState } from '../../src/sync/role-import-plan.js';

const fields = {
  email: 'ann@example.com',
  firstName: 'Ann',
  lastName: 'Old',
  jobTitle: '',
  role: 'member' as const,
  teamId: 'top',
  objectVisibility: 'full' as const,
  licenses: ['foundation' as const],
  profileId: 'default',
};
const ctx = (): ImportContext => ({
  users: new Map([['ann@example.com', { id: 'u-ann', status: 'active', fields }]]),
  teams: new Map([['sales', ['t-sales']]]),
  profiles: new Map(),
  topTeamId: 'top',
  defaultProfileId: 'default',
});
const records = (...lines: string[]) =>
  ['Email,First Name,Last Name,Role,Team,Operation', ...lines].map((l, i) => ({ line: i + 1, cells: l.split(',') }));

describe('the CSV import planner', () => {
  it('plans adds, edits and suspends from the rows, and remembers what it read of the org', () => {
    const v = planImport(
      ctx(),
      'u-admin',
      records('new@example.com,Neo,New,Member,Sales,Add', 'ann@example.com,,,Manager,,Edit'),
    );
    expect(v.errors).toEqual([]);
    expect(v.plan.adds).toMatchObject([{ email: 'new@example.com', teamId: 't-sales', profileId: 'default' }]);
    expect(v.plan.edits).toEqual([{ id: 'u-ann', before: fields, after: { ...fields, role: 'manager' } }]);
    expect(v.summary).toEqual({ add: 1, edit: 1, suspend: 0, delete: 0, unchanged: 0 });
    expect([...v.basis.users]).toEqual([
      ['new@example.com', null],
      ['ann@example.com', ctx().users.get('ann@example.com')],
    ]);
    expect(v.basis.teams).toEqual([['sales', ['t-sales']]]);
  });

  it('plans nothing for an edit that changes nothing, and says so', () => {
    const v = planImport(ctx(), 'u-admin', records('ann@example.com,Ann,,Member,,Edit'));
    expect(v.plan.edits).toEqual([]);
    expect(v.outcomes.map((o) => o.outcome)).toEqual(['unchanged']);
  });

  it('stops at a header without an Operation column and plans nothing', () => {
    const v = planImport(ctx(), 'u-admin', [
      { line: 1, cells: ['Email'] },
      { line: 2, cells: ['x@example.com'] },
    ]);
    expect(v.errors.map((e) => e.code)).toEqual(['missing_column']);
    expect(v.outcomes).toEqual([]);
  });
});

const role = (id: string, name: string, parentId: string | null, importEnabled = true): RoleMirror => ({
  id,
  name,
  parentId,
  importEnabled,
  developerName: name,
  modstamp: null,
  deleted: false,
  activeUserCount: 0,
});
const sfUser = (id: string, roleId: string | null, over: Partial<SfUser> = {}): SfUser => ({
  id,
  email: `${id}@example.com`,
  firstName: 'First',
  lastName: id,
  title: '',
  roleId,
  managerId: null,
  isActive: true,
  userType: 'Standard',
  license: null,
  modstamp: null,
  ...over,
});
const state = (over: Partial<RoleImportState> = {}): RoleImportState => ({
  roles: new Map(
    [role('ceo', 'CEO', null), role('sales', 'Sales', 'ceo', false), role('west', 'West', 'sales')].map((r) => [
      r.id,
      r,
    ]),
  ),
  mirrorUsers: [sfUser('a', 'west'), sfUser('b', 'sales'), sfUser('c', 'west', { isActive: false })],
  roleTeams: new Map(),
  linked: new Set(),
  emails: new Set(),
  topTeamId: 'top',
  defaultProfileId: 'default',
  ...over,
});
const ids = () => {
  let n = 0;
  return () => `new-${++n}`;
};

describe('the role import planner', () => {
  it('hangs a team under its nearest enabled ancestor and gives new teams their ids, parents first', () => {
    const plan = planRoleImport(state(), ids());
    expect(plan.teams).toEqual([
      { sfRoleId: 'ceo', name: 'CEO', parentSfRoleId: null, id: 'new-1', exists: false, parentId: 'top' },
      { sfRoleId: 'west', name: 'West', parentSfRoleId: 'ceo', id: 'new-2', exists: false, parentId: 'new-1' },
    ]);
    expect(plan.users.map((u) => [u.sfUserId, u.teamId])).toEqual([['a', 'new-2']]);
    expect(plan.skipped.map((s) => [s.sfUserId, s.reason])).toEqual([
      ['b', 'role_toggled_off'],
      ['c', 'inactive'],
    ]);
  });

  it('reuses the team a role already has and skips people already in Roster', () => {
    const plan = planRoleImport(
      state({ roleTeams: new Map([['west', { id: 't-west', name: 'West' }]]), emails: new Set(['a@example.com']) }),
      ids(),
    );
    expect(plan.teams.find((t) => t.sfRoleId === 'west')).toMatchObject({ id: 't-west', exists: true });
    expect(plan.users).toEqual([]);
    expect(plan.skipped.find((s) => s.sfUserId === 'a')?.reason).toBe('already_in_roster');
  });
});

const assign = (profileId: string, r: 'member' | 'manager' | 'admin' = 'member') => ({
  profileId,
  role: r,
  visibility: 'full' as const,
  licenses: ['foundation' as const],
});
const rules: Rule[] = [
  {
    id: 'leads',
    name: 'Leads',
    isCatchAll: false,
    filters: [{ field: 'job_title', operator: 'contains', value: 'lead' }],
    assignments: assign('p-lead', 'manager'),
  },
  { id: 'catch', name: 'Catch-all', isCatchAll: true, filters: [], assignments: assign('default') },
];
const ruleSet = (): RuleSet => {
  const teams = buildTeamIndex([{ id: 'top', name: 'Top', parentId: null, managerUserId: null }]);
  const evaluator = createEvaluator(teams, rules);
  return {
    rules: rules.map((r, i) => ({ ...r, description: '', position: i })),
    teams,
    refs: {
      teams,
      hierarchyTeams: new Set(['top']),
      profiles: new Set(['p-lead', 'default']),
      users: new Map(),
      redirects: new Map(),
    },
    evaluate: evaluator,
    explain: evaluator.explain,
  };
};
const user = (id: string, jobTitle: string, over: Partial<ReapplyUser> = {}): ReapplyUser => ({
  id,
  email: `${id}@example.com`,
  job_title: jobTitle,
  team_id: 'top',
  profile_id: 'default',
  role: 'member',
  object_visibility: 'full',
  licenses: ['foundation'],
  status: 'active',
  ...over,
});

describe('the re-apply planner', () => {
  it('lists each field a rule would change, and the same token for the same users and rules', () => {
    const users = [user('admin', '', { role: 'admin', profile_id: 'x' }), user('lee', 'Team Lead'), user('sam', '')];
    const plan = planReapply({ users, rules: ruleSet() });
    expect(plan.changes).toEqual([
      {
        userId: 'admin',
        email: 'admin@example.com',
        rule: { id: 'catch', name: 'Catch-all' },
        changes: [
          { field: 'profileId', from: 'x', to: 'default' },
          { field: 'role', from: 'admin', to: 'member' },
        ],
      },
      {
        userId: 'lee',
        email: 'lee@example.com',
        rule: { id: 'leads', name: 'Leads' },
        changes: [
          { field: 'profileId', from: 'default', to: 'p-lead' },
          { field: 'role', from: 'member', to: 'manager' },
        ],
      },
    ]);
    expect(plan.unchanged).toBe(1);
    expect(plan.warnings).toEqual([
      'Re-applying would leave no active admin; add a rule that keeps at least one admin first.',
    ]);
    expect(planReapply({ users, rules: ruleSet() }).previewToken).toBe(plan.previewToken);
    expect(planReapply({ users: users.slice(1), rules: ruleSet() }).previewToken).not.toBe(plan.previewToken);
  });
});
