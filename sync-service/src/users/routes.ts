import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createUserBulkService } from './bulk.js';
import {
  BulkUserAction,
  BulkUserResult,
  DeleteQuery,
  NewUser,
  StatusCounts,
  SuspendBody,
  User,
  UserListQuery,
  UserPage,
  UserParams,
  UserPatch,
  UserWithWarnings,
  VisibleUsersPage,
} from './schemas.js';
import { createUsersService } from './service.js';
import { builtFromRows } from '../shared/serialize.js';

const tags = ['users'];

/** Users and their status counts (SPEC section 2). Writes need an admin actor, which the auth plugin enforces. */
const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const users = createUsersService({ db: app.db });
  const bulk = createUserBulkService({ db: app.db });

  app.get(
    '/api/v1/users',
    {
      schema: { tags, querystring: UserListQuery, response: { 200: UserPage } },
      serializerCompiler: builtFromRows,
    },
    async (req) => users.list(req.org.id, req.query),
  );
  app.get(
    '/api/v1/users/counts',
    { schema: { tags, response: { 200: StatusCounts } }, serializerCompiler: builtFromRows },
    async (req) => users.counts(req.org.id),
  );
  app.post(
    '/api/v1/users',
    { schema: { tags, body: NewUser, response: { 201: UserWithWarnings } } },
    async (req, reply) => reply.code(201).send(await users.create(req.org.id, req.actor!, req.body)),
  );
  app.post(
    '/api/v1/users/bulk',
    { schema: { tags, body: BulkUserAction, response: { 200: BulkUserResult } } },
    async (req) => bulk.apply(req.org.id, req.actor!, req.body),
  );
  app.get('/api/v1/users/:id', { schema: { tags, params: UserParams, response: { 200: User } } }, async (req) =>
    users.get(req.org.id, req.params.id),
  );
  app.patch(
    '/api/v1/users/:id',
    { schema: { tags, params: UserParams, body: UserPatch, response: { 200: UserWithWarnings } } },
    async (req) => users.update(req.org.id, req.actor!, req.params.id, req.body),
  );
  app.delete(
    '/api/v1/users/:id',
    { schema: { tags, params: UserParams, querystring: DeleteQuery, response: { 204: z.null() } } },
    async (req, reply) => {
      await users.remove(req.org.id, req.actor!, req.params.id, req.query.confirm);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/users/:id/suspend',
    { schema: { tags, params: UserParams, body: SuspendBody, response: { 200: User } } },
    async (req) => users.suspend(req.org.id, req.actor!, req.params.id, req.body.reason),
  );
  app.post(
    '/api/v1/users/:id/reactivate',
    { schema: { tags, params: UserParams, response: { 200: User } } },
    async (req) => users.reactivate(req.org.id, req.actor!, req.params.id),
  );
  app.get(
    '/api/v1/users/:id/visible-users',
    { schema: { tags, params: UserParams, querystring: UserListQuery, response: { 200: VisibleUsersPage } } },
    async (req) => users.visibleTo(req.org.id, req.params.id, req.query),
  );
};

export default usersRoutes;
