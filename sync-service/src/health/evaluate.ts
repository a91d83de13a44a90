import type { Facts, Grant } from './collect.js';
import { fieldFix, objectAccessFix, objectPermissionFix, systemPermissionFix, userFixes } from './fixes.js';
import {
  activityPermission,
  featureFields,
  featureObjects,
  fieldsOf,
  namespaceOf,
  inheritedObjects,
  integrationUser,
  leastPrivilegeAlternative,
  manifestObjects,
  objectPermissionFields,
  objectPermissionLabels,
  objectRequirements,
  recommendedSystemPermissions,
  requiredSystemPermissions,
  sharingDefaults,
  systemPermissionLabels,
  validationRuleAdvice,
  type ObjectPermission,
  type PermissionedObject,
  type Severity,
  type SystemPermission,
} from './requirements.js';
import type { HealthItem, HealthReport } from './schemas.js';

type GrantedBy = HealthItem['grantedBy'][number];
type NotChecked = HealthReport['notChecked'][number];

const uniqueSources = (grants: Grant[]): GrantedBy[] => {
  const seen = new Map<string, GrantedBy>();
  for (const g of grants) seen.set(`${g.source.kind}:${g.source.name}`, { ...g.source });
  return [...seen.values()];
};

/** Pure: the facts gathered from Salesforce, judged against the manifest. */
export function evaluate(facts: Facts): HealthReport {
  const items: HealthItem[] = [];
  const notChecked: NotChecked[] = [];
  const u = facts.user;
  const add = (item: Omit<HealthItem, 'fix' | 'grantedBy'> & { grantedBy?: GrantedBy[]; fix: string }) =>
    items.push({ ...item, grantedBy: item.grantedBy ?? [], fix: item.status === 'missing' ? item.fix : null });

  // Stored permission sets and UserPermissionAccess already hold Setup's implications (Setup enables the dependent
  // permissions on save) and a group's muting: applying implications again would undo a muted View All Data.
  const grantsOf = (p: SystemPermission) => (facts.grants ?? []).filter((g) => g.permissions[p] === true);
  /** Effective = UserPermissionAccess where readable (muting applied), else any assignment granting it. */
  const hasPermission = (p: SystemPermission): boolean | null => {
    if (facts.userPermissions) return facts.userPermissions[p] === true;
    return facts.grants ? grantsOf(p).length > 0 : null;
  };
  const setsById = new Map((facts.grants ?? []).filter((g) => !g.stale).map((g) => [g.permissionSetId, g]));
  const objectGrants = (object: string, permission: ObjectPermission): Grant[] | null => {
    if (!facts.objectPermissions) return null;
    const column = objectPermissionFields[permission];
    const viaRows = facts.objectPermissions
      .filter((r) => r.SobjectType === object && r[column] === true)
      .map((r) => setsById.get(r.ParentId));
    // Modify All Data stores no rows; View All Data is View All on every object.
    const viaSystem = grantsOf(permission === 'viewAll' ? 'PermissionsViewAllData' : 'PermissionsModifyAllData');
    return [...viaRows.filter((g): g is Grant => !!g), ...viaSystem];
  };

  for (const req of integrationUser.requirements) {
    const state =
      req.id === 'user.active'
        ? u.active
        : req.id === 'user.licensed'
          ? u.license === null
            ? null
            : u.license === integrationUser.license
          : u.hasRole === false
            ? false
            : u.role
              ? u.role.parentRoleId === null
              : null;
    if (state === null) {
      notChecked.push({ id: req.id, reason: 'The integration user’s record (or its role) could not be read.' });
      continue;
    }
    const detail =
      req.id === 'user.licensed' && !state
        ? `The user's license is '${u.license}'.`
        : req.id === 'user.topOfRoleHierarchy' && !state
          ? u.role
            ? `The user's role '${u.role.name}' reports to another role.`
            : 'The user has no role.'
          : undefined;
    add({
      id: req.id,
      category: 'integrationUser',
      label: req.label,
      status: state ? 'ok' : 'missing',
      severity: req.severity,
      fix: userFixes[req.id](u),
      ...(detail ? { detail } : {}),
    });
  }

  // The least-privilege alternative stands in for View All Data only when View All Data is missing.
  const viewAllData = hasPermission('PermissionsViewAllData');
  const alternativeUnknown: NotChecked[] = [];
  const alternative = leastPrivilegeItems(facts, hasPermission, objectGrants, grantsOf, alternativeUnknown);
  const alternativeComplete = alternative.every((i) => i.status === 'ok') && alternativeUnknown.length === 0;

  const systemSeverity = (p: SystemPermission): Severity =>
    (requiredSystemPermissions as readonly string[]).includes(p) ? 'required' : 'recommended';
  for (const p of [...requiredSystemPermissions, ...recommendedSystemPermissions]) {
    const id = `system.${p}`;
    const has = hasPermission(p);
    if (has === null) {
      notChecked.push({ id, reason: 'Neither the permission set assignments nor UserPermissionAccess could be read.' });
      continue;
    }
    const viaAlternative = !has && p === leastPrivilegeAlternative.replaces && alternativeComplete;
    add({
      id,
      category: 'systemPermission',
      label: systemPermissionLabels[p],
      status: has || viaAlternative ? 'ok' : 'missing',
      severity: systemSeverity(p),
      grantedBy: viaAlternative
        ? [{ kind: 'alternative', name: 'Least-privilege alternative' }]
        : uniqueSources(grantsOf(p)),
      fix: systemPermissionFix(u, p),
      ...(viaAlternative
        ? {
            detail: `View All Data is not granted; the least-privilege alternative stands in for it. ${leastPrivilegeAlternative.caveat}`,
          }
        : {}),
    });
  }
  if (viewAllData === false) {
    items.push(...alternative);
    notChecked.push(...alternativeUnknown);
  } else {
    items.push(...alternative.map((i) => ({ ...i, status: 'not_applicable' as const, grantedBy: [], fix: null })));
  }

  for (const [object, req] of Object.entries(objectRequirements) as [
    PermissionedObject,
    (typeof objectRequirements)[PermissionedObject],
  ][]) {
    const d = facts.describes.get(object);
    const fromDescribe: Partial<Record<ObjectPermission, boolean | undefined>> = {
      edit: d?.updateable,
      create: d?.createable,
      delete: d?.deletable,
    };
    for (const permission of ['viewAll', 'edit', 'create', 'delete'] as const) {
      if (!req[permission]) continue;
      const id = `object.${object}.${permission}`;
      const grants = objectGrants(object, permission);
      const has = grants ? grants.length > 0 : fromDescribe[permission];
      if (has === undefined) {
        notChecked.push({ id, reason: 'ObjectPermissions could not be read, and describe does not show View All.' });
        continue;
      }
      add({
        id,
        category: 'objectPermission',
        object,
        label: `${object}: ${objectPermissionLabels[permission]}`,
        status: has ? 'ok' : 'missing',
        severity: 'required',
        grantedBy: uniqueSources(grants ?? []),
        fix: objectPermissionFix(u, object, permission),
        ...(grants ? {} : { detail: 'From describe: ObjectPermissions could not be read.' }),
        ...(permission === 'edit'
          ? { advice: validationRuleAdvice.advice(u.profileName ?? `${integrationUser.suggestedName}`) }
          : {}),
      });
    }
    items.push(...modifyAllItem(facts, object, objectGrants(object, 'modifyAll'), notChecked));
  }

  for (const [object, source] of Object.entries(inheritedObjects)) {
    const id = `inheritedObject.${object}`;
    const fromPermission = 'systemPermission' in source ? source.systemPermission : null;
    const feature = featureObjects[object];
    if (feature && !facts.globalObjects.has(object)) {
      items.push({
        id,
        category: 'inheritedObject',
        object,
        label: `${object} (inherits from ${fromPermission ? systemPermissionLabels[fromPermission] : (source as { object: string }).object})`,
        status: 'not_applicable',
        severity: 'required',
        grantedBy: [],
        fix: null,
        detail: `${feature} is off in this org: ${object} does not exist.`,
      });
      continue;
    }
    const visible = facts.globalObjects.has(object) && facts.describes.get(object) !== null;
    add({
      id,
      category: 'inheritedObject',
      object,
      label: `${object} (inherits from ${fromPermission ? `${systemPermissionLabels[fromPermission]}` : (source as { object: string }).object})`,
      status: visible ? 'ok' : 'missing',
      severity:
        fromPermission && (recommendedSystemPermissions as readonly string[]).includes(fromPermission)
          ? 'recommended'
          : 'required',
      grantedBy: visible
        ? [
            {
              kind: 'inherited',
              name: fromPermission ? systemPermissionLabels[fromPermission] : (source as { object: string }).object,
            },
          ]
        : [],
      fix: objectAccessFix(
        u,
        object,
        fromPermission
          ? `the ${systemPermissionLabels[fromPermission]} system permission`
          : `access to ${(source as { object: string }).object}`,
      ),
    });
  }

  items.push(...fieldItems(facts));
  return finish(items, notChecked, facts, null);
}

function leastPrivilegeItems(
  facts: Facts,
  hasPermission: (p: SystemPermission) => boolean | null,
  objectGrants: (o: string, p: ObjectPermission) => Grant[] | null,
  grantsOf: (p: SystemPermission) => Grant[],
  notChecked: NotChecked[],
): HealthItem[] {
  const u = facts.user;
  const base = {
    category: 'leastPrivilege' as const,
    severity: 'required' as const,
    detail: 'Part of the least-privilege alternative to View All Data.',
  };
  const items: HealthItem[] = [];
  for (const object of leastPrivilegeAlternative.viewAllOn) {
    const grants = objectGrants(object, 'viewAll');
    if (!grants) {
      notChecked.push({ id: `leastPrivilege.viewAll.${object}`, reason: 'ObjectPermissions could not be read.' });
      continue;
    }
    const ok = grants.length > 0;
    items.push({
      ...base,
      id: `leastPrivilege.viewAll.${object}`,
      object,
      label: `View All on ${object}`,
      status: ok ? 'ok' : 'missing',
      grantedBy: uniqueSources(grants),
      fix: ok ? null : objectPermissionFix(u, object, 'viewAll'),
    });
  }
  for (const object of leastPrivilegeAlternative.viewAllOnAutomationObjects) {
    const p = activityPermission[object];
    const ok = hasPermission(p) === true;
    items.push({
      ...base,
      id: `leastPrivilege.viewAll.${object}`,
      object,
      label: `View All on ${object}s (through ${systemPermissionLabels[p]}; activities have no object permissions)`,
      status: ok ? 'ok' : 'missing',
      grantedBy: uniqueSources(grantsOf(p)),
      fix: ok ? null : systemPermissionFix(u, p),
    });
  }
  for (const p of [
    ...leastPrivilegeAlternative.systemPermissions,
    ...leastPrivilegeAlternative.administrativePermissions,
    ...leastPrivilegeAlternative.brings,
  ]) {
    const ok = hasPermission(p) === true;
    items.push({
      ...base,
      id: `leastPrivilege.${p}`,
      label: systemPermissionLabels[p],
      status: ok ? 'ok' : 'missing',
      grantedBy: uniqueSources(grantsOf(p)),
      fix: ok ? null : systemPermissionFix(u, p),
    });
  }
  return items;
}

const KNOWN_NOT_PRIVATE = new Set(['Read', 'Edit', 'ReadEdit', 'ReadEditTransfer', 'ReadSelect', 'All']);

/** Modify All is required exactly where the org-wide default is Private (`None`); ControlledByParent defers to the parent. */
function modifyAllItem(
  facts: Facts,
  object: PermissionedObject,
  grants: Grant[] | null,
  notChecked: NotChecked[],
): HealthItem[] {
  const id = `object.${object}.modifyAll`;
  if (!facts.sharing) {
    notChecked.push({ id, reason: 'The org-wide defaults (Organization) could not be read.' });
    return [];
  }
  let value = facts.sharing[objectRequirements[object].sharingField];
  const parent = sharingDefaults.parent[object];
  const via = value === sharingDefaults.controlledByParent && parent ? parent : null;
  if (via) value = facts.sharing[objectRequirements[via].sharingField];
  const isPrivate = value === sharingDefaults.privateValue;
  const known = isPrivate || KNOWN_NOT_PRIVATE.has(String(value));
  const owd = `${object}'s org-wide default is ${isPrivate ? 'Private' : `'${value}'`}${via ? ` (controlled by ${via})` : ''}`;
  if (known && !isPrivate) {
    return [
      {
        id,
        category: 'objectPermission',
        object,
        label: `${object}: Modify All`,
        status: 'not_applicable',
        severity: 'required',
        grantedBy: [],
        fix: null,
        detail: `${owd}: Modify All is needed only where it is Private.`,
      },
    ];
  }
  if (!grants) {
    notChecked.push({ id, reason: `${owd}, and ObjectPermissions could not be read.` });
    return [];
  }
  const ok = grants.length > 0;
  return [
    {
      id,
      category: 'objectPermission',
      object,
      label: `${object}: Modify All`,
      status: ok ? 'ok' : 'missing',
      // A value we do not know may or may not be Private: warn rather than block.
      severity: isPrivate ? 'required' : 'recommended',
      grantedBy: uniqueSources(grants),
      fix: ok
        ? null
        : objectPermissionFix(
            facts.user,
            object,
            'modifyAll',
            `${owd}; without Modify All, processes such as OCR creation and summary field pushes may fail.`,
          ),
      detail: isPrivate
        ? `${owd}.`
        : `${owd}, which we cannot classify; Modify All is required if it behaves as Private.`,
    },
  ];
}

function fieldItems(facts: Facts): HealthItem[] {
  const items: HealthItem[] = [];
  for (const object of manifestObjects) {
    const feature = featureObjects[object];
    const featureOff = !!feature && !facts.globalObjects.has(object);
    const d = facts.describes.get(object) ?? null;
    const { required, recommended, inherited } = fieldsOf(object);
    const inheritedFrom = (inheritedObjects as Record<string, { object?: string }>)[object]?.object ?? object;
    const lists: [string[], 'field' | 'inheritedField', Severity][] = [
      [required, 'field', 'required'],
      [recommended, 'field', 'recommended'],
      [inherited.filter((f) => !required.includes(f)), 'inheritedField', 'required'],
    ];
    for (const [fields, category, severity] of lists) {
      for (const field of fields) {
        const base = { id: `field.${object}.${field}`, category, object, field, label: `${object}.${field}`, severity };
        const ok = !!d?.fields.has(field);
        const notApplicable = ok ? null : whyNotApplicable(facts, object, field, featureOff ? feature! : null);
        if (notApplicable) {
          items.push({ ...base, status: 'not_applicable', grantedBy: [], fix: null, detail: notApplicable });
          continue;
        }
        // A package field when the installed packages cannot be read: it may be missing or just not installed.
        const unknownPackage = !ok && namespaceOf(field) !== null && facts.installedNamespaces === null;
        items.push({
          ...base,
          ...(unknownPackage ? { severity: 'recommended' as const } : {}),
          status: ok ? 'ok' : 'missing',
          grantedBy: ok && category === 'inheritedField' ? [{ kind: 'inherited', name: inheritedFrom }] : [],
          fix: ok ? null : fieldFix(facts.user, object, field),
          ...(ok
            ? {}
            : {
                detail: !d
                  ? `The integration user cannot see ${object} at all.`
                  : `Not in ${object}'s describe for the integration user: field-level security hides it${field.endsWith('__c') ? ', or the managed package that adds it is not installed' : ', or the field does not exist in this org'}.`,
              }),
        });
      }
    }
  }
  return items;
}

/** Why a field absent from describe does not apply in this org (its feature is off, its package not installed), or null. */
function whyNotApplicable(facts: Facts, object: string, field: string, featureOff: string | null): string | null {
  if (featureOff) return `${featureOff} is off in this org: ${object} and its fields do not exist.`;
  const byFeature = featureFields[`${object}.${field}`];
  if (byFeature && !facts.globalObjects.has(byFeature.object))
    return `${byFeature.feature} is off in this org: the field does not exist.`;
  const ns = namespaceOf(field);
  if (ns && facts.installedNamespaces && !facts.installedNamespaces.has(ns.toLowerCase()))
    return `The managed package that adds it (namespace '${ns}') is not installed in this org.`;
  return null;
}

export function finish(
  items: HealthItem[],
  notChecked: NotChecked[],
  facts: { user: Facts['user']; apiCalls: number; multiCurrency: boolean | null } | null,
  unavailable: HealthReport['unavailable'],
  apiCalls = facts?.apiCalls ?? 0,
): HealthReport {
  const missing = (s: Severity) => items.filter((i) => i.status === 'missing' && i.severity === s).length;
  const summary = {
    ok: items.filter((i) => i.status === 'ok').length,
    requiredMissing: missing('required'),
    recommendedMissing: missing('recommended'),
    notApplicable: items.filter((i) => i.status === 'not_applicable').length,
  };
  const overall = unavailable
    ? 'unavailable'
    : summary.requiredMissing
      ? 'blocked'
      : summary.recommendedMissing
        ? 'degraded'
        : 'healthy';
  const u = facts?.user;
  return {
    overall,
    apiCalls,
    multiCurrency: facts?.multiCurrency ?? null,
    user: u
      ? {
          id: u.id,
          username: u.username,
          name: u.name,
          profile: u.profileName,
          license: u.license,
          role: u.role?.name ?? null,
        }
      : null,
    unavailable,
    notChecked,
    summary,
    items,
  };
}
