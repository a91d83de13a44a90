import { afterEach, describe, expect, it } from 'vitest';
import jsforce from 'jsforce';
import { runHealthCheck } from '../../src/health/check.js';
import type { HealthReport } from '../../src/health/schemas.js';
import { startFakeSalesforce, type FakeSalesforce } from '@roster/fake-salesforce';
import {
  ID,
  TABLE as healthOrgTable,
  connectAsIntegrationUser,
  healthOrg,
  type OrgOptions,
  type Path,
} from './orgs.js';

let fake: FakeSalesforce | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function check(opts: OrgOptions = {}, mutate?: (f: FakeSalesforce) => void): Promise<HealthReport> {
  fake = await startFakeSalesforce({ org: healthOrg(opts) });
  mutate?.(fake);
  const conn = await connectAsIntegrationUser(fake);
  fake.control.resetApiCalls();
  const report = await runHealthCheck(conn);
  // The check's own count is what Salesforce bills: it must match the org's counter.
  expect(report.apiCalls).toBe(fake.control.apiCalls());
  return report;
}

const item = (r: HealthReport, id: string) => {
  const found = r.items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id} in ${r.items.map((i) => i.id).join(', ')}`);
  return found;
};
const missing = (r: HealthReport) => r.items.filter((i) => i.status === 'missing').map((i) => i.id);

describe('a fully healthy integration user', () => {
  const paths: [Path, { kind: string; name: string }][] = [
    ['systemAdministrator', { kind: 'profile', name: 'System Administrator' }],
    ['customProfile', { kind: 'profile', name: 'Custom: Roster Integration' }],
    ['permissionSet', { kind: 'permissionSet', name: 'Roster Standard Permissions' }],
    ['permissionSetGroup', { kind: 'permissionSetGroup', name: 'Roster Integration' }],
  ];
  it.each(paths)(
    'is healthy when the permissions come through %s, and says which grants them',
    async (path, granter) => {
      const r = await check({ path });
      expect(missing(r)).toEqual([]);
      expect(r.overall).toBe('healthy');
      for (const p of ['PermissionsViewAllData', 'PermissionsApiEnabled', 'PermissionsViewAllUsers']) {
        expect(item(r, `system.${p}`)).toMatchObject({
          status: 'ok',
          severity: 'required',
          grantedBy: [granter],
          fix: null,
        });
      }
      expect(item(r, 'object.Contact.delete').grantedBy).toEqual([granter]);
      expect(r.user).toMatchObject({ username: 'integration@example.com.health', license: 'Salesforce', role: 'CEO' });
      expect(r.unavailable).toBeNull();
      expect(r.notChecked).toEqual([]);
    },
  );

  it('checks every required, recommended and inherited field of the manifest, and stays within the API budget', async () => {
    const r = await check();
    const fields = r.items.filter((i) => i.category === 'field' || i.category === 'inheritedField');
    expect(fields.filter((i) => i.status === 'ok').length).toBeGreaterThan(100);
    expect(item(r, 'field.Task.peopleai__Created_by_PeopleAI__c')).toMatchObject({
      status: 'ok',
      severity: 'required',
    });
    expect(item(r, 'field.Task.WhatId')).toMatchObject({ status: 'ok', severity: 'required' });
    expect(item(r, 'field.Account.Industry')).toMatchObject({ status: 'ok', severity: 'recommended' });
    expect(item(r, 'field.UserRole.ParentRoleId')).toMatchObject({
      status: 'ok',
      category: 'inheritedField',
      grantedBy: [{ kind: 'inherited', name: 'UserRole' }],
    });
    expect(r.apiCalls).toBeLessThanOrEqual(12);
    expect(r.apiCalls).toBe(3);
  });
});

describe('system permissions', () => {
  it.each(['PermissionsViewAllUsers', 'PermissionsEditEvent', 'PermissionsEditTask'])(
    'reports %s missing with the fix in the profile',
    async (p) => {
      const r = await check({ permissions: { [p]: false } });
      const required = p === 'PermissionsViewAllUsers';
      expect(missing(r)).toEqual([`system.${p}`]);
      expect(r.overall).toBe(required ? 'blocked' : 'degraded');
      expect(item(r, `system.${p}`).severity).toBe(required ? 'required' : 'recommended');
      expect(item(r, `system.${p}`).fix).toMatch(
        /^In Setup > Users > Profiles, open 'Custom: Roster Integration'\. Under System Permissions, enable (View All Users|Edit Events|Edit Tasks)\. Click Save\.$/,
      );
    },
  );

  it('reports View All Data missing, and the least-privilege steps still to do, when View Setup lets it look', async () => {
    const r = await check({
      permissions: { PermissionsViewAllData: false, PermissionsViewSetup: true },
      objectPermissions: { Lead: { read: true, edit: true, create: true } },
    });
    expect(r.overall).toBe('blocked');
    expect(item(r, 'system.PermissionsViewAllData')).toMatchObject({ status: 'missing', severity: 'required' });
    expect(item(r, 'system.PermissionsViewAllData').fix).toMatch(/least-privilege alternative/);
    expect(missing(r)).toEqual(['system.PermissionsViewAllData', 'leastPrivilege.viewAll.Lead', 'object.Lead.viewAll']);
    expect(item(r, 'leastPrivilege.PermissionsViewRoles')).toMatchObject({ status: 'ok' });
  });

  it('accepts the least-privilege alternative in place of View All Data, with its caveat', async () => {
    const r = await check({ permissions: { PermissionsViewAllData: false, PermissionsViewSetup: true } });
    expect(missing(r)).toEqual([]);
    expect(r.overall).toBe('healthy');
    expect(item(r, 'system.PermissionsViewAllData')).toMatchObject({
      status: 'ok',
      grantedBy: [{ kind: 'alternative', name: 'Least-privilege alternative' }],
    });
    expect(item(r, 'system.PermissionsViewAllData').detail).toMatch(
      /troubleshooting trigger exceptions will become your responsibility/,
    );
    expect(item(r, 'leastPrivilege.viewAll.Account').grantedBy).toEqual([
      { kind: 'profile', name: 'Custom: Roster Integration' },
    ]);
  });

  it('points a standard profile to the permission set, under the article’s headings', async () => {
    const r = await check({ path: 'permissionSet', permissions: { PermissionsViewAllUsers: false } });
    expect(item(r, 'system.PermissionsViewAllUsers').fix).toBe(
      "'Standard User' is a standard profile and cannot be edited. In Setup > Users > Permission Sets, open 'Roster Standard Permissions' (create it if it does not exist). " +
        "Under User Permissions, enable View All Users. Click Save, then assign the permission set to 'integration@example.com.health'.",
    );
  });

  it('counts a permission set assignment only until it expires', async () => {
    const future = await check({ path: 'permissionSet', expiresAt: '2999-01-01T00:00:00.000Z' });
    expect(future.overall).toBe('healthy');
    await fake?.close();
    const past = await check({ path: 'permissionSet', expiresAt: '2020-01-01T00:00:00.000Z' });
    expect(past.overall).toBe('unavailable');
    expect(past.unavailable?.reason).toBe('api_disabled');
  });
});

describe('the check cannot run', () => {
  it('says the API is disabled for the user, and what userinfo still tells', async () => {
    const r = await check({ permissions: { PermissionsApiEnabled: false } });
    expect(r.overall).toBe('unavailable');
    expect(r.unavailable).toMatchObject({ reason: 'api_disabled' });
    expect(r.unavailable?.message).toMatch(/API Enabled/);
    expect(r.items.map((i) => [i.id, i.status])).toEqual([
      ['user.active', 'ok'],
      ['system.PermissionsApiEnabled', 'missing'],
    ]);
    expect(item(r, 'system.PermissionsApiEnabled').fix).toMatch(/enable API Enabled/);
    expect(r.notChecked.map((n) => n.id)).toContain('field');
    expect(r.user?.username).toBe('integration@example.com.health');
  });

  it('says the credentials are bad', async () => {
    fake = await startFakeSalesforce({ org: healthOrg() });
    const conn = new jsforce.Connection({
      instanceUrl: fake.url,
      loginUrl: fake.url,
      version: '62.0',
      accessToken: 'not-a-session',
    });
    const r = await runHealthCheck(conn);
    expect(r.overall).toBe('unavailable');
    expect(r.unavailable?.reason).toBe('bad_credentials');
    expect(r.items).toEqual([]);
  });

  it('without View Setup, says so and falls back to what the user can read about itself', async () => {
    const r = await check({ permissions: { PermissionsViewAllData: false } });
    expect(r.overall).toBe('unavailable');
    expect(r.unavailable?.reason).toBe('no_view_setup');
    expect(r.unavailable?.message).toMatch(/View Setup and Configuration/);
    // From UserPermissionAccess: the permissions themselves, without where they come from.
    expect(item(r, 'system.PermissionsViewAllData')).toMatchObject({ status: 'missing', grantedBy: [] });
    expect(item(r, 'system.PermissionsViewAllUsers')).toMatchObject({ status: 'ok', grantedBy: [] });
    // From describe: object access and fields.
    expect(item(r, 'object.Contact.delete')).toMatchObject({
      status: 'ok',
      detail: 'From describe: ObjectPermissions could not be read.',
    });
    expect(item(r, 'field.Contact.Title').status).toBe('ok');
    expect(r.notChecked.map((n) => n.id)).toEqual(
      expect.arrayContaining(['object.Account.viewAll', 'object.Opportunity.modifyAll']),
    );
    expect(r.apiCalls).toBeLessThanOrEqual(12);
  });
});

describe('object permissions', () => {
  const table: [string, string][] = [
    ['Account', 'edit'],
    ['Contact', 'edit'],
    ['Contact', 'create'],
    ['Contact', 'delete'],
    ['Lead', 'edit'],
    ['Lead', 'create'],
    ['Opportunity', 'edit'],
  ];
  it.each(table)('reports %s %s missing, with the fix', async (object, permission) => {
    // Modify All brings Edit and Delete with it, so it goes too (Opportunity is made public so it is not required).
    const granted = {
      ...(healthOrgTable as Record<string, Record<string, boolean>>)[object],
      modifyAll: false,
      [permission]: false,
    };
    const r = await check({
      objectPermissions: { [object]: granted },
      organization: { DefaultOpportunityAccess: 'Read' },
    });
    expect(missing(r)).toEqual([`object.${object}.${permission}`]);
    expect(r.overall).toBe('blocked');
    expect(item(r, `object.${object}.${permission}`).fix).toMatch(
      new RegExp(
        `Click Object Settings > ${object}, click Edit, and enable ${permission === 'edit' ? 'Edit' : permission === 'create' ? 'Create' : 'Delete'}\\.`,
      ),
    );
  });

  it.each(['Account', 'Contact', 'Lead', 'Opportunity'])(
    'reports View All on %s missing where View All Data does not cover it',
    async (object) => {
      const granted = {
        ...(healthOrgTable as Record<string, Record<string, boolean>>)[object],
        modifyAll: false,
        viewAll: false,
      };
      const r = await check({
        permissions: { PermissionsViewAllData: false, PermissionsViewSetup: true },
        objectPermissions: { [object]: granted },
        organization: { DefaultOpportunityAccess: 'Read' },
      });
      expect(missing(r)).toEqual([
        'system.PermissionsViewAllData',
        `leastPrivilege.viewAll.${object}`,
        `object.${object}.viewAll`,
      ]);
    },
  );

  it('requires Modify All where the org-wide default is Private, naming it', async () => {
    const r = await check({ objectPermissions: { Opportunity: { read: true, edit: true, viewAll: true } } });
    expect(missing(r)).toEqual(['object.Opportunity.modifyAll']);
    expect(r.overall).toBe('blocked');
    expect(item(r, 'object.Opportunity.modifyAll').fix).toMatch(
      /enable Modify All\. Click Save\. Opportunity's org-wide default is Private/,
    );
  });

  it('follows Contact’s ControlledByParent to Account’s Private default', async () => {
    const r = await check({ organization: { DefaultAccountAccess: 'None', DefaultOpportunityAccess: 'Read' } });
    expect(missing(r)).toEqual(['object.Account.modifyAll', 'object.Contact.modifyAll']);
    expect(item(r, 'object.Contact.modifyAll').detail).toMatch(/controlled by Account/);
    expect(item(r, 'object.Opportunity.modifyAll').status).toBe('not_applicable');
  });

  it('carries the validation-rule advice on the Edit items', async () => {
    const r = await check();
    expect(item(r, 'object.Account.edit').advice).toMatch(/\$Profile\.Name != 'Custom: Roster Integration'/);
  });
});

describe('fields, multi-currency and the role hierarchy', () => {
  it('a required field revoked blocks the health; a recommended one only warns', async () => {
    const r = await check({}, (f) => {
      f.control.revokeFieldPermission(ID.custom, 'Contact.Title');
      f.control.revokeFieldPermission(ID.custom, 'Account.Industry');
    });
    expect(missing(r)).toEqual(['field.Account.Industry', 'field.Contact.Title']);
    expect(r.overall).toBe('blocked');
    expect(item(r, 'field.Contact.Title').fix).toBe(
      "In Setup > Users > Profiles, open 'Custom: Roster Integration' (or a permission set assigned to 'integration@example.com.health'). " +
        'Click Object Settings > Contact, click Edit, and under Field Permissions enable Read Access for Title. Click Save.',
    );
    const degraded = await (async () => {
      await fake?.close();
      return check({}, (f) => f.control.revokeFieldPermission(ID.custom, 'Account.Industry'));
    })();
    expect(degraded.overall).toBe('degraded');
    expect(item(degraded, 'field.Account.Industry')).toMatchObject({ status: 'missing', severity: 'recommended' });
  });

  it('checks CurrencyType and DatedConversionRate only with multi-currency on', async () => {
    const off = await check({ multiCurrency: false });
    expect(off.multiCurrency).toBe(false);
    expect(item(off, 'field.CurrencyType.IsoCode')).toMatchObject({ status: 'not_applicable' });
    expect(item(off, 'field.DatedConversionRate.ConversionRate')).toMatchObject({ status: 'not_applicable' });
    await fake?.close();
    const on = await check({ multiCurrency: true });
    expect(on.multiCurrency).toBe(true);
    expect(item(on, 'field.CurrencyType.IsoCode')).toMatchObject({ status: 'ok', severity: 'required' });
    expect(item(on, 'field.DatedConversionRate.NextStartDate')).toMatchObject({ status: 'ok' });
    expect(on.overall).toBe('healthy');
    expect(on.apiCalls).toBeLessThanOrEqual(12);
  });

  it('reports a user below the top of the role hierarchy, naming the top role', async () => {
    const r = await check({ roleId: ID.vp });
    expect(missing(r)).toEqual(['user.topOfRoleHierarchy']);
    expect(item(r, 'user.topOfRoleHierarchy').detail).toBe("The user's role 'VP Sales' reports to another role.");
    expect(item(r, 'user.topOfRoleHierarchy').fix).toMatch(/set Role to 'CEO' \(the top of your role hierarchy\)/);
  });

  it('reports a user without a role', async () => {
    const r = await check({ roleId: null });
    expect(item(r, 'user.topOfRoleHierarchy')).toMatchObject({ status: 'missing', detail: 'The user has no role.' });
  });
});
