import fp from 'fastify-plugin';
import { createSalesforceClients, type SalesforceClients, type SalesforceSession } from '../salesforce/connection.js';

declare module 'fastify' {
  interface FastifyInstance {
    salesforce: SalesforceClients & {
      /** The org's authorized Salesforce session; ConflictError 'salesforce_not_connected' without a connection. */
      forOrg(orgId: string): Promise<SalesforceSession>;
    };
  }
}

/** One Salesforce client per org (shared token, limits, budget), handed out as per-use sessions. */
export default fp(
  async (app) => {
    app.decorate('salesforce', createSalesforceClients({ db: app.db, secrets: app.secrets, log: app.serviceLog }));
  },
  { name: 'salesforce', dependencies: ['request-id', 'db', 'secrets'] },
);
