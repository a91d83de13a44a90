import type { TestApp } from '../helper.js';

/** A small hierarchy: Top > Sales > (EMEA Sales, US Sales), Top > Support; managers set by hand. */
export async function seedHierarchy(t: TestApp) {
  const db = t.app.db;
  const orgId = t.org.orgId;
  const team = async (name: string, parentId: string, sfRoleId: string) =>
    (
      await db('teams')
        .insert({ org_id: orgId, name, kind: 'hierarchy', parent_id: parentId, sf_role_id: sfRoleId })
        .returning('id')
    )[0].id as string;
  const sales = await team('Sales', t.org.topTeamId, '00E000000000001');
  const emea = await team('EMEA Sales', sales, '00E000000000002');
  const us = await team('US Sales', sales, '00E000000000003');
  const support = await team('Support', t.org.topTeamId, '00E000000000004');
  const user = async (email: string, jobTitle: string, teamId: string | null, extra: Record<string, unknown> = {}) =>
    (
      await db('users')
        .insert({
          org_id: orgId,
          email,
          job_title: jobTitle,
          team_id: teamId,
          role: 'member',
          profile_id: t.org.defaultProfileId,
          source: 'automatic',
          licenses: ['foundation', 'engagement_dashboard'],
          ...extra,
        })
        .returning('id')
    )[0].id as string;
  const emeaManager = await user('emea.boss@example.com', 'VP Sales EMEA', emea, { role: 'manager' });
  await db('teams').where({ id: emea }).update({ manager_user_id: emeaManager });
  const [profile] = await db('configuration_profiles')
    .insert({ org_id: orgId, name: 'Sales Full Sync', activity: { intakeData: true } })
    .returning('id');
  return { sales, emea, us, support, emeaManager, salesProfileId: profile.id as string, user };
}
