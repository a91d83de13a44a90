import { describe, expect, it } from 'vitest';
import {
  ARTICLE_PRODUCT,
  PRODUCT,
  fieldRequirements,
  grantPaths,
  inheritedFields,
  inheritedObjects,
  integrationUser,
  leastPrivilegeAlternative,
  multiCurrencyCheck,
  multiCurrencyOnlyObjects,
  objectRequirements,
  readAllFieldsRecommended,
  requiredFieldsOf,
  requiredSystemPermissions,
  sharingDefaults,
  systemPermissionLabels,
  validationRuleAdvice,
  type SystemPermission,
} from '../../src/health/requirements.js';
import {
  ARTICLE,
  fieldTable,
  inheritedFieldTable,
  inheritedObjectTable,
  labelList,
  line,
  lines,
  objectPermissionTable,
  readAllFieldsObjects,
} from './article.js';
import { adviceForWriteError } from '../../src/health/fixes.js';

/** The article's wording for our product. */
const ours = (text: string) => text.replaceAll(ARTICLE_PRODUCT, PRODUCT);

/** Article label → permission field; the article says "View Role" where Setup says "View Roles". */
const byLabel = (label: string): SystemPermission => {
  const normalized = label.replace('View Role and', 'View Roles and').replace(/\s*\(system permission\)$/, '');
  const entry = Object.entries(systemPermissionLabels).find(([, l]) => l === normalized);
  if (!entry) throw new Error(`no permission labelled "${label}"`);
  return entry[0] as SystemPermission;
};

/** The article's slip: two Task field names run together. The manifest keeps the intent. */
const ARTICLE_SLIPS: Record<string, string[]> = {
  peopleai__Created_by_PeopleAI__cWhatId: ['peopleai__Created_by_PeopleAI__c', 'WhatId'],
};
const intended = (fields: string[]) => fields.flatMap((f) => ARTICLE_SLIPS[f] ?? [f]);

describe('the requirements manifest transcribes the article', () => {
  it('asks for an active, licensed integration user at the top of the role hierarchy', () => {
    expect(line('Name the user')).toBe(`Name the user "${ARTICLE_PRODUCT} Integration User."`);
    expect(integrationUser.suggestedName).toBe(ours(`${ARTICLE_PRODUCT} Integration User`));
    expect(line('Assign the user a')).toBe(`Assign the user a ${integrationUser.license} user license.`);
    expect(line('Place the user at the top of your Salesforce Role Hierarchy.')).toBeTruthy();
    expect(integrationUser.requirements.map((r) => [r.id, r.severity])).toEqual([
      ['user.active', 'required'],
      ['user.licensed', 'required'],
      ['user.topOfRoleHierarchy', 'required'],
    ]);
  });

  it('requires exactly the three system permissions the article names', () => {
    const sentence = /Three permissions are required: (.+?)\. How/.exec(ARTICLE)?.[1] ?? '';
    expect(labelList(sentence).map(byLabel)).toEqual([...requiredSystemPermissions]);
  });

  it('grants them by the three paths: System Administrator, custom profile, standard profile with a permission set', () => {
    expect(line('Option A:')).toBe(`Option A: ${grantPaths.systemAdministratorProfile.title}`);
    expect(line('Option B:')).toBe(`Option B: ${grantPaths.customProfile.title}`);
    expect(line('Option C:')).toBe(`Option C: ${grantPaths.standardProfileWithPermissionSet.title}`);
    expect(line('In Salesforce, go to Setup > Users > Profiles.')).toContain(grantPaths.customProfile.setupPath);

    const [optionB = [], optionC = []] = lines('Under System Permissions, enable ').map((l) =>
      labelList(l.slice('Under System Permissions, enable '.length)),
    );
    expect(optionB.map(byLabel)).toEqual(grantPaths.customProfile.systemPermissions);
    expect(optionC.map(byLabel)).toEqual(grantPaths.standardProfileWithPermissionSet.systemPermissions);
    const userPermissions = labelList(
      line('Under User Permissions, enable ').slice('Under User Permissions, enable '.length),
    );
    expect(userPermissions.map(byLabel)).toEqual(grantPaths.standardProfileWithPermissionSet.userPermissions);

    const named = /Create a new permission set named "(.+?)\."/.exec(ARTICLE)?.[1] ?? '';
    expect(grantPaths.standardProfileWithPermissionSet.permissionSetName).toBe(ours(named));
  });

  it('offers the least-privilege alternative to View All Data', () => {
    expect(line('Assign View All permission on Accounts, Contacts, Leads, and Opportunities.')).toBeTruthy();
    expect(leastPrivilegeAlternative.viewAllOn).toEqual(['Account', 'Contact', 'Lead', 'Opportunity']);
    const edits = labelList(/^Enable (.+) under System Permissions\.$/.exec(line('Enable Edit Events'))?.[1] ?? '');
    expect(edits.map(byLabel)).toEqual(leastPrivilegeAlternative.systemPermissions);
    const setup = line('Enable View Setup and Configuration');
    expect(/^Enable (.+?) under Administrative Permissions/.exec(setup)?.[1]).toBe(
      systemPermissionLabels[leastPrivilegeAlternative.administrativePermissions[0]],
    );
    expect(byLabel(/grants (.+?), which is also required/.exec(setup)?.[1] ?? '')).toBe(
      leastPrivilegeAlternative.brings[0],
    );
    expect(line('Assign View All permission on any additional objects')).toContain('including Tasks and Events');
    expect(leastPrivilegeAlternative.viewAllOnAutomationObjects).toEqual(['Task', 'Event']);
    expect(line("If your organization's security policies prohibit View All Data")).toContain(
      leastPrivilegeAlternative.caveat,
    );
  });

  it('has the object permission table row by row, with Modify All where the sharing is Private', () => {
    const { header, rows } = objectPermissionTable();
    expect(header.slice(1, 5)).toEqual(['View All', 'Edit', 'Create', 'Delete']);
    expect(rows.map((r) => r.object)).toEqual(Object.keys(objectRequirements));
    for (const row of rows) {
      const req = objectRequirements[row.object as keyof typeof objectRequirements];
      expect({
        object: row.object,
        viewAll: req.viewAll,
        edit: req.edit,
        create: req.create,
        delete: req.delete,
        why: req.why,
      }).toEqual({
        ...row,
        why: ours(row.why),
      });
    }
    expect(line('Note: If your organization uses Private sharing')).toBe(`Note: ${sharingDefaults.modifyAllNote}`);
  });

  it('lists every inherited object with what it inherits from', () => {
    const rows = inheritedObjectTable();
    expect(rows.map((r) => r.object)).toEqual(Object.keys(inheritedObjects));
    for (const { object, from } of rows) {
      const source = inheritedObjects[object as keyof typeof inheritedObjects];
      if ('object' in source) expect(source.object).toBe(from);
      else expect(source.systemPermission).toBe(byLabel(from));
    }
    expect(rows).toHaveLength(16);
  });

  it('recommends read access to all fields of the same seven objects', () => {
    expect(readAllFieldsObjects()).toEqual([...readAllFieldsRecommended]);
  });

  it('has each object’s required and recommended fields, with the same counts', () => {
    const rows = fieldTable();
    expect(rows.map((r) => r.object)).toEqual(Object.keys(fieldRequirements));
    const counts = Object.fromEntries(rows.map((r) => [r.object, [intended(r.required).length, r.recommended.length]]));
    expect(counts).toEqual({
      Account: [3, 10],
      Contact: [5, 7],
      Event: [6, 0],
      Lead: [5, 7],
      Opportunity: [6, 8],
      Task: [5, 3],
    });
    for (const row of rows) {
      const manifest = fieldRequirements[row.object as keyof typeof fieldRequirements];
      expect([...manifest.required], `${row.object} required`).toEqual(intended(row.required));
      expect([...manifest.recommended], `${row.object} recommended`).toEqual(row.recommended);
    }
  });

  it('reads the Task row’s "peopleai__Created_by_PeopleAI__cWhatId" as two fields, the article’s intent', () => {
    const task = fieldTable().find((r) => r.object === 'Task')!;
    expect(task.required).toEqual(['CreatedById', 'OwnerId', 'peopleai__Created_by_PeopleAI__cWhatId', 'WhoId']);
    expect(fieldRequirements.Task.required).toEqual([
      'CreatedById',
      'OwnerId',
      'peopleai__Created_by_PeopleAI__c',
      'WhatId',
      'WhoId',
    ]);
    expect(fieldRequirements.Task.required).not.toContain('peopleai__Created_by_PeopleAI__cWhatId');
    // The same managed-package field, written correctly, is required on Event.
    expect(fieldRequirements.Event.required).toContain('peopleai__Created_by_PeopleAI__c');
  });

  it('has each object’s inherited fields, with the same counts, and marks the multi-currency objects', () => {
    const rows = inheritedFieldTable();
    expect(rows.map((r) => r.object)).toEqual(Object.keys(inheritedFields));
    for (const row of rows) {
      const manifest = inheritedFields[row.object as keyof typeof inheritedFields];
      expect([...manifest], row.object).toEqual(row.fields);
      expect(manifest.length, `${row.object} count`).toBe(row.fields.length);
    }
    expect(rows.filter((r) => r.multiCurrencyOnly).map((r) => r.object)).toEqual([...multiCurrencyOnlyObjects]);
    expect(ARTICLE).toContain(`go to ${multiCurrencyCheck} checkbox`);
    expect(rows.reduce((n, r) => n + r.fields.length, 0)).toBe(123);
  });

  it('treats inherited fields as required when a sync reads the object', () => {
    expect(requiredFieldsOf('User')).toEqual([
      'CreatedDate',
      'Id',
      'IsActive',
      'ProfileId',
      'SystemModstamp',
      'TimeZoneSidKey',
    ]);
    expect(requiredFieldsOf('Account')).toEqual([
      'CreatedById',
      'Name',
      'OwnerId',
      'CreatedDate',
      'Id',
      'IsDeleted',
      'LastModifiedById',
      'SystemModstamp',
    ]);
  });

  it('carries the FAQ’s validation-rule advice, for writes a validation rule or flow rejects', () => {
    const faq = line('Some orgs have validation rules or flows');
    expect(validationRuleAdvice.advice(`${PRODUCT} Integration User`)).toBe(ours(faq));
    expect(adviceForWriteError('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Custom: Integration')).toContain(
      "$Profile.Name != 'Custom: Integration'",
    );
    expect(adviceForWriteError('CANNOT_EXECUTE_FLOW_TRIGGER', null)).toContain(
      `$Profile.Name != '${PRODUCT} Integration User'`,
    );
    expect(adviceForWriteError('INSUFFICIENT_ACCESS_OR_READONLY', 'Custom: Integration')).toBeNull();
  });
});
