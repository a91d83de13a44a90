import type { UserFacts } from './collect.js';
import {
  grantPaths,
  integrationUser,
  leastPrivilegeAlternative,
  objectPermissionLabels,
  systemPermissionLabels,
  validationRuleAdvice,
  type ObjectPermission,
  type SystemPermission,
} from './requirements.js';

/** The exact fix for each missing item, in the admin's words, naming the profile and user we found. */

const quoted = (name: string | null, fallback: string) => (name ? `'${name}'` : fallback);
const who = (u: UserFacts) => quoted(u.username ?? u.name, 'the integration user');
const profile = (u: UserFacts) => quoted(u.profileName, "the integration user's profile");
const permissionSet = `'${grantPaths.standardProfileWithPermissionSet.permissionSetName}'`;

/** Which heading a permission sits under, as the article says: Option B (a profile) or Option C (a permission set). */
function sectionOf(p: SystemPermission, where: 'profile' | 'permissionSet'): string {
  if ((leastPrivilegeAlternative.administrativePermissions as readonly string[]).includes(p))
    return 'Administrative Permissions';
  if (
    where === 'permissionSet' &&
    (grantPaths.standardProfileWithPermissionSet.userPermissions as readonly string[]).includes(p)
  )
    return 'User Permissions';
  return 'System Permissions';
}

/** The profile's own setting, or Option C's permission set when the profile is standard (and cannot be edited). */
function whereToGrant(u: UserFacts, what: string, whatInSet = what): string {
  const viaProfile = `In Setup > Users > Profiles, open ${profile(u)}. ${what}. Click Save.`;
  const viaSet =
    `In Setup > Users > Permission Sets, open ${permissionSet} (create it if it does not exist). ${whatInSet}. Click Save, ` +
    `then assign the permission set to ${who(u)}.`;
  if (u.customProfile === true) return viaProfile;
  if (u.customProfile === false) return `${profile(u)} is a standard profile and cannot be edited. ${viaSet}`;
  return `${viaProfile} If that profile is a standard profile (it cannot be edited): ${viaSet}`;
}

export function systemPermissionFix(u: UserFacts, p: SystemPermission): string {
  const label = systemPermissionLabels[p];
  const steps = whereToGrant(
    u,
    `Under ${sectionOf(p, 'profile')}, enable ${label}`,
    `Under ${sectionOf(p, 'permissionSet')}, enable ${label}`,
  );
  if (p !== leastPrivilegeAlternative.replaces) return steps;
  return `${steps} If your security policies prohibit View All Data, complete the least-privilege alternative instead (see its items).`;
}

export function objectPermissionFix(
  u: UserFacts,
  object: string,
  permission: ObjectPermission,
  reason?: string,
): string {
  return (
    whereToGrant(u, `Click Object Settings > ${object}, click Edit, and enable ${objectPermissionLabels[permission]}`) +
    (reason ? ` ${reason}` : '')
  );
}

export function fieldFix(u: UserFacts, object: string, field: string): string {
  // Field-level security is editable on standard profiles too, so the profile is always a place to grant it.
  return (
    `In Setup > Users > Profiles, open ${profile(u)} (or a permission set assigned to ${who(u)}). ` +
    `Click Object Settings > ${object}, click Edit, and under Field Permissions enable Read Access for ${field}. Click Save.`
  );
}

export function objectAccessFix(u: UserFacts, object: string, source: string): string {
  return `${object} comes with ${source}: grant that first. If it is granted and ${object} is still hidden: ${whereToGrant(u, `Click Object Settings > ${object}, click Edit, and enable Read`)}`;
}

export const userFixes: Record<(typeof integrationUser.requirements)[number]['id'], (u: UserFacts) => string> = {
  'user.active': (u) => `In Setup > Users > Users, click Edit next to ${who(u)}, check Active, and click Save.`,
  'user.licensed': (u) =>
    `In Setup > Users > Users, click Edit next to ${who(u)}, set User License to ${integrationUser.license} ` +
    `(with a profile of that license), and click Save.`,
  'user.topOfRoleHierarchy': (u) => {
    const top = u.topRoles?.length ? u.topRoles.map((r) => `'${r.name}'`).join(' or ') : 'a role with no parent role';
    return `In Setup > Users > Users, click Edit next to ${who(u)}, set Role to ${top} (the top of your role hierarchy), and click Save.`;
  },
};

/** The FAQ's advice when a write to Salesforce fails on a validation rule or a flow; null for any other error. */
export function adviceForWriteError(errorCode: string, profileName: string | null): string | null {
  if (!(validationRuleAdvice.errorCodes as readonly string[]).includes(errorCode)) return null;
  return validationRuleAdvice.advice(profileName ?? integrationUser.suggestedName);
}
