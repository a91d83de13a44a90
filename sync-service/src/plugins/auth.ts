import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { scoped, type OrgScope } from '../db/scoped.js';
import { ACTOR_HEADER, ACTOR_ID_HEADER, resolveActor, type ResolvedActor } from './actor.js';
import { ForbiddenError, UnauthorizedError } from '../shared/errors.js';
import { verifiedKeys } from './verified-keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    org: { id: string };
    /** The acting Salesforce user, resolved to a Roster user; null when the caller named none. */
    actor: ResolvedActor | null;
    /** Every tenant query of this request goes through this scope. */
    scope: OrgScope;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Per-org API keys (only hashes stored) on every route of the scope this is registered in (app.ts's API
 * scope, which holds every /api/v1 route); the acting admin (X-Roster-Actor-Id, the Salesforce user id, then
 * X-Roster-Actor, the email: see actor.ts) must be an active Roster admin for any change.
 */
export default fp(
  async (app) => {
    app.decorateRequest('org', null as unknown as { id: string });
    app.decorateRequest('actor', null);
    app.decorateRequest('scope', null as unknown as OrgScope);

    const keys = verifiedKeys(app.db, app.log);
    app.addHook('onClose', async () => keys.stop());

    app.addHook('onRequest', async (req) => {
      const key = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!key) throw new UnauthorizedError('Send the org API key as "Authorization: Bearer <key>".');
      const orgId = await keys.orgOf(key);
      if (!orgId) throw new UnauthorizedError('The API key is not valid.');
      req.org = { id: orgId };
      req.scope = scoped(app.db, orgId);
      // Reads need no actor; changes need an active admin.
      if (READ_METHODS.has(req.method)) return;
      req.actor = await resolveActor(req.scope, req.headers);
      requireAdmin(req);
    });
  },
  { name: 'auth', dependencies: ['db'] },
);

function requireAdmin(req: FastifyRequest) {
  if (!req.actor) {
    throw new ForbiddenError(
      `Changes need the acting Roster admin: their Salesforce user id in the ${ACTOR_ID_HEADER} header, or their email in ${ACTOR_HEADER}.`,
      'actor_required',
    );
  }
  if (req.actor.role !== 'admin') {
    throw new ForbiddenError(
      `${req.actor.label} is not an active Roster admin, so cannot make changes.`,
      'actor_not_admin',
    );
  }
}
