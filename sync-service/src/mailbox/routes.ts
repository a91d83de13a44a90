import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FileExport } from '../csv/schemas.js';
import { withSalesforceId } from '../plugins/actor.js';
import { permissionErrorsCsv } from './csv.js';
import { exportPermissionErrorsFile } from './export-file.js';
import type { MailboxService } from './service.js';
import {
  MailboxStats,
  PermissionErrorList,
  PermissionErrorQuery,
  ProbeHistory,
  ProviderOut,
  ProviderSettingsIn,
  TestAccessResult,
} from './schemas.js';

const UserParams = z.object({ id: z.uuid() });
const tags = ['mailbox'];

/** Permission Errors, "test access now", probe statistics and the org's mailbox provider settings. */
const mailboxRoutes: FastifyPluginAsyncZod<{ service: MailboxService }> = async (app, { service }) => {
  app.get(
    '/api/v1/permission-errors',
    { schema: { tags, querystring: PermissionErrorQuery, response: { 200: PermissionErrorList } } },
    async (req) => service.permissionErrors(req.scope, req.query),
  );

  app.get('/api/v1/permission-errors.csv', { schema: { tags, produces: ['text/csv'] } }, async (req, reply) => {
    const { items } = await service.permissionErrors(req.scope, { limit: 1_000_000, offset: 0 });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="permission-errors.csv"')
      .send(permissionErrorsCsv(items));
  });

  // The same list as a Salesforce file shared with the acting admin (the screen runs it as a job).
  app.post(
    '/api/v1/permission-errors/export/salesforce-file',
    { schema: { tags, response: { 200: FileExport } } },
    (req) => exportPermissionErrorsFile(app, req.org.id, withSalesforceId(req.actor!, req.headers).sfUserId),
  );

  app.post(
    '/api/v1/users/:id/test-access',
    { schema: { tags, params: UserParams, response: { 200: TestAccessResult } } },
    async (req) => service.testAccess(req.scope, req.params.id),
  );

  app.get(
    '/api/v1/mailbox/users/:id/history',
    { schema: { tags, params: UserParams, response: { 200: ProbeHistory } } },
    async (req) => service.history(req.scope, req.params.id),
  );

  app.get('/api/v1/mailbox/stats', { schema: { tags, response: { 200: MailboxStats } } }, async (req) =>
    service.stats(req.scope),
  );

  app.get('/api/v1/mailbox/provider', { schema: { tags, response: { 200: ProviderOut } } }, async (req) =>
    service.getProvider(req.scope),
  );

  app.put(
    '/api/v1/mailbox/provider',
    { schema: { tags, body: ProviderSettingsIn, response: { 200: ProviderOut } } },
    async (req) => service.putProvider(req.scope, req.actor, req.body),
  );
};

export default mailboxRoutes;
