import fp from 'fastify-plugin';
import { createDescribeService, type DescribeService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The org's object fields by describe, shared (and briefly cached) by the field pickers and save-time checks. */
    describe: DescribeService;
  }
}

export default fp(
  async (app) => {
    app.decorate('describe', createDescribeService({ connect: (orgId) => app.salesforce.forOrg(orgId) }));
  },
  { name: 'describe', dependencies: ['salesforce'] },
);
