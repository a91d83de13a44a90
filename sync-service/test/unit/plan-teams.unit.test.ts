import { describe, expect, it } from 'vitest';
import { planTeams, type ExistingTeam } from '../../src/sync/plan-teams.js';
import type { DesiredTeam } from '../../src/sync/projection.js';

const TOP = 'top';
const ids = () => {
  let n = 0;
  return () => `new-${++n}`;
};
const team = (id: string, name: string, parentId: string | null, key: string | null): ExistingTeam => ({
  id,
  name,
  parentId,
  key,
});
const role = (key: string, name: string, parentKey: string | null = null): DesiredTeam => ({ key, name, parentKey });

describe('the team planner', () => {
  it('creates a team for each new role, parents first, with ids its users can be planned into', () => {
    const plan = planTeams('role', TOP, [], [role('r2', 'Sales West', 'r1'), role('r1', 'Sales')], ids());
    expect(plan.creates).toEqual([
      { id: 'new-1', key: 'r1', name: 'Sales', parentId: TOP },
      { id: 'new-2', key: 'r2', name: 'Sales West', parentId: 'new-1' },
    ]);
    expect(plan.idOf('r2')).toBe('new-2');
    expect(plan.idOf('unknown role')).toBe(TOP);
  });

  it('keeps a team id when its role is renamed or moved under another role', () => {
    const existing = [team('t1', 'Sales', TOP, 'r1'), team('t2', 'Support', TOP, 'r2')];
    const plan = planTeams('role', TOP, existing, [role('r1', 'Revenue'), role('r2', 'Support', 'r1')], ids());
    expect(plan.creates).toEqual([]);
    expect(plan.renames).toEqual([{ id: 't1', from: 'Sales', to: 'Revenue' }]);
    expect(plan.moves).toEqual([{ id: 't2', name: 'Support', fromParentId: TOP, toParentId: 't1' }]);
    expect(plan.deletes).toEqual([]);
  });

  it('deletes the team of a deleted role and holds its people in the nearest team that survives', () => {
    const existing = [
      team('t1', 'Sales', TOP, 'r1'),
      team('t2', 'Sales West', 't1', 'r2'),
      team('t3', 'Bay', 't2', 'r3'),
    ];
    const plan = planTeams('role', TOP, existing, [role('r1', 'Sales'), role('r3', 'Bay', 'r1')], ids());
    expect(plan.deletes).toEqual([{ id: 't2', name: 'Sales West', membersTo: 't1', alternatives: ['t1'] }]);
    expect(plan.moves).toEqual([{ id: 't3', name: 'Bay', fromParentId: 't2', toParentId: 't1' }]);
  });

  it('replaces a hand-made team by the role team of the same name, and offers both as where it went', () => {
    const plan = planTeams('role', TOP, [team('m1', 'Sales', TOP, null)], [role('r1', 'Sales')], ids());
    expect(plan.creates.map((c) => c.name)).toEqual(['Sales']);
    expect(plan.deletes).toEqual([{ id: 'm1', name: 'Sales', membersTo: TOP, alternatives: ['new-1', TOP] }]);
  });

  it('changes nothing when the teams already match the roles', () => {
    const existing = [team('t1', 'Sales', TOP, 'r1'), team('t2', 'West', 't1', 'r2')];
    const plan = planTeams('role', TOP, existing, [role('r1', 'Sales'), role('r2', 'West', 'r1')], ids());
    expect([plan.creates, plan.renames, plan.moves, plan.deletes]).toEqual([[], [], [], []]);
  });
});
