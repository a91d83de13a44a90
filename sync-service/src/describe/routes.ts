import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ObjectFields, ObjectParams } from './schemas.js';

const tags = ['salesforce'];

/** The org's fields of the objects the profile screens pick from, so no one types an API name. */
const describeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/salesforce/objects/:objectType/fields',
    { schema: { tags, params: ObjectParams, response: { 200: ObjectFields } } },
    async (req) => ({
      objectType: req.params.objectType,
      fields: await app.describe.describe(req.org.id, req.params.objectType),
    }),
  );
};

export default describeRoutes;
