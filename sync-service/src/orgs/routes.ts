import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OrgSettings, OrgSettingsPatch } from './schemas.js';
import { createOrgSettings } from './settings.js';

const tags = ['org'];

const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  const settings = createOrgSettings(app.db);
  app.get('/api/v1/org/settings', { schema: { tags, response: { 200: OrgSettings } } }, (req) =>
    settings.get(req.org.id),
  );
  app.patch(
    '/api/v1/org/settings',
    { schema: { tags, body: OrgSettingsPatch, response: { 200: OrgSettings } } },
    (req) => settings.update(req.org.id, req.actor!, req.body),
  );
};

export default orgRoutes;
