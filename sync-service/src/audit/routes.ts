import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listAudit } from './repo.js';
import { AuditPage, AuditQuery } from './schemas.js';

/** The audit log, newest first, filterable by target, action, actor and time (SPEC section 2: every change has actor, before and after). */
const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/audit-log',
    { schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: AuditPage } } },
    async (req) => {
      const { limit, ...filter } = req.query;
      const rows = await listAudit(req.scope, filter, limit + 1);
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          id: String(r.id),
          actor: r.actor,
          action: r.action,
          targetType: r.target_type,
          targetId: r.target_id,
          before: r.before,
          after: r.after,
          at: new Date(r.at).toISOString(),
        })),
        nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
      };
    },
  );
};

export default auditRoutes;
