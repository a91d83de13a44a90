import type { OrgScope } from '../db/scoped.js';
import type { Actor, SalesforceActor } from '../shared/audit.js';
import { actorByEmail, actorBySalesforceId, type ActorRow } from '../users/repo.js';

/** Salesforce's own user id of the caller (UserInfo.getUserId() in Apex): the admin's identity. */
export const ACTOR_ID_HEADER = 'x-roster-actor-id';
/** The caller's email, or (older callers) their Salesforce user id: used only for users not linked yet. */
export const ACTOR_HEADER = 'x-roster-actor';

export type ResolvedActor = Actor & { role: string };

/** A sandbox refresh appends `.invalid` to every user's email until they confirm it. */
const SANDBOX_SUFFIX = /\.invalid$/i;
export const withoutSandboxSuffix = (email: string) => email.trim().replace(SANDBOX_SUFFIX, '').toLowerCase();

type Headers = Record<string, string | string[] | undefined>;
const header = (headers: Headers, name: string) => String(headers[name] ?? '').trim();

/** The caller's Salesforce user id as sent (files are shared with this user), or null. */
export const actorSalesforceId = (headers: Headers): string | null => header(headers, ACTOR_ID_HEADER) || null;

/** The acting admin with the Salesforce user id Apex sent: kept with a job, checked by a mode switch. */
export const withSalesforceId = (actor: Actor, headers: Headers): SalesforceActor => ({
  ...actor,
  sfUserId: actorSalesforceId(headers),
});

/**
 * The acting Salesforce user, as a Roster user. The Salesforce user id decides whenever a Roster user carries it;
 * the email is a fallback only for Roster users not linked to Salesforce yet, so an email never resolves to a user
 * linked to another Salesforce user. Emails compare with any sandbox `.invalid` suffix removed on both sides, so
 * admins keep working after a refresh. A caller that sends no id at all (curl, scripts) is matched by email alone.
 * Null when nobody matches.
 */
export async function resolveActor(scope: OrgScope, headers: Headers): Promise<ResolvedActor | null> {
  const named = header(headers, ACTOR_HEADER);
  const sfUserId = header(headers, ACTOR_ID_HEADER) || (named && !named.includes('@') ? named : '');
  const email = named.includes('@') ? named : '';
  if (sfUserId) {
    const linked = await actorBySalesforceId(scope, sfUserId);
    if (linked) return asActor(linked);
  }
  if (!email) return null;
  const base = withoutSandboxSuffix(email);
  const byEmail = await actorByEmail(scope, [base, `${base}.invalid`], email.toLowerCase(), !!sfUserId);
  return byEmail ? asActor(byEmail) : null;
}

function asActor(user: ActorRow): ResolvedActor {
  return { id: user.id, label: user.email, role: user.status === 'suspended' ? 'suspended' : user.role };
}
