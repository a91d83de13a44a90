import { afterEach, describe, expect, it } from 'vitest';
import { demoOrg, type FakeSalesforce, type OrgFixture } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { healthOrg } from './orgs.js';

/** Integration health on orgs as they really are: packages not installed, features off, muting, stale groups. */
describe('integration health on real orgs', () => {
  const t = setupApp();
  let fake: FakeSalesforce | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function check(fixture: OrgFixture) {
    fake = await connectFakeOrg(t, fixture);
    const res = await t.api('POST', '/api/v1/integration-health');
    expect(res.statusCode, res.body).toBe(201);
    return res.data as { overall: string; items: { id: string; status: string; detail?: string; severity: string }[] };
  }
  const item = (r: Awaited<ReturnType<typeof check>>, id: string) => {
    const found = r.items.find((i) => i.id === id);
    if (!found) throw new Error(`no item ${id}`);
    return found;
  };

  it('calls a field of a managed package that is not installed "not applicable", not missing', async () => {
    const r = await check(healthOrg({ installedPackages: [] }));
    for (const id of ['field.Task.peopleai__Created_by_PeopleAI__c', 'field.Event.peopleai__Created_by_PeopleAI__c']) {
      expect(item(r, id)).toMatchObject({ status: 'not_applicable' });
      expect(item(r, id).detail).toMatch(/namespace 'peopleai'\) is not installed/);
    }
    expect(r.overall).toBe('healthy');
  });

  it('calls the objects and fields of features that are off "not applicable: feature off", each keyed on its own presence', async () => {
    const r = await check(
      healthOrg({
        multiCurrency: true,
        features: {
          accountTeams: false,
          teamSelling: false,
          advancedCurrencyManagement: false,
          territoryManagement: false,
          sharedActivities: false,
        },
      }),
    );
    const expectOff = (id: string, feature: string) => {
      expect(item(r, id).status, id).toBe('not_applicable');
      expect(item(r, id).detail, id).toContain(`${feature} is off`);
    };
    expectOff('inheritedObject.AccountTeamMember', 'Account Teams');
    expectOff('field.AccountTeamMember.TeamMemberRole', 'Account Teams');
    expectOff('inheritedObject.OpportunityTeamMember', 'Team Selling');
    expectOff('field.OpportunityTeamMember.OpportunityAccessLevel', 'Team Selling');
    expectOff('field.DatedConversionRate.ConversionRate', 'Advanced Currency Management');
    expectOff('field.Opportunity.Territory2Id', 'Enterprise Territory Management');
    expectOff('inheritedObject.TaskRelation', 'Shared Activities');
    expectOff('inheritedObject.EventRelation', 'Shared Activities');
    // Multi-currency itself is on: CurrencyType is checked.
    expect(item(r, 'field.CurrencyType.IsoCode').status).toBe('ok');
    expect(r.overall).toBe('healthy');
  });

  it('shows a View All Data that a muting permission set removes as missing, although Modify All Data is granted', async () => {
    const fixture = healthOrg({ path: 'permissionSetGroup', permissions: { PermissionsModifyAllData: true } });
    fixture.permissionSetGroups![0]!.muted = { permissions: ['PermissionsViewAllData'], fields: [] };
    const r = await check(fixture);
    expect(item(r, 'system.PermissionsViewAllData')).toMatchObject({ status: 'missing', severity: 'required' });
  });

  it('counts what a permission set group grants only once its Status is Updated', async () => {
    const fixture = healthOrg({ path: 'permissionSetGroup' });
    fixture.permissionSetGroups![0]!.Status = 'Outdated';
    const r = await check(fixture);
    expect(item(r, 'object.Contact.delete').status).toBe('missing');
    expect(item(r, 'object.Account.edit').status).toBe('missing');
    expect(r.overall).toBe('blocked');
  });

  it('the demo org has no missing item for a package it lacks or a feature it has off', async () => {
    const r = await check(demoOrg);
    const peopleai = r.items.filter((i) => i.id.includes('peopleai__'));
    expect(peopleai.length).toBeGreaterThan(0);
    expect(peopleai.every((i) => i.status === 'not_applicable')).toBe(true);
    expect(item(r, 'inheritedObject.AccountTeamMember').status).toBe('not_applicable');
    expect(item(r, 'field.Opportunity.Territory2Id').status).toBe('not_applicable');
  });
});
