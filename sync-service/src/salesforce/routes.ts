import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ConnectionInput, Connection, ConnectionTest, SavedConnection } from './schemas.js';
import { createConnectionService } from './service.js';

const tags = ['salesforce'];

/** The org's Salesforce connection: save (tested on save), read (never the secret), re-test. */
const connectionRoutes: FastifyPluginAsyncZod = async (app) => {
  const connections = createConnectionService({ db: app.db, secrets: app.secrets, salesforce: app.salesforce });

  app.get('/api/v1/salesforce/connection', { schema: { tags, response: { 200: Connection } } }, async (req) =>
    connections.get(req.scope),
  );

  app.put(
    '/api/v1/salesforce/connection',
    { schema: { tags, body: ConnectionInput, response: { 200: SavedConnection } } },
    async (req) => connections.save(req.org.id, req.actor!, req.body),
  );

  app.post('/api/v1/salesforce/connection/test', { schema: { tags, response: { 200: ConnectionTest } } }, async (req) =>
    connections.test(req.org.id),
  );
};

export default connectionRoutes;
