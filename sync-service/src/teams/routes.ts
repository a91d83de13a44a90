import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createCustomTeamsService } from './custom.js';
import {
  CustomTeam,
  CustomTeamList,
  CustomTeamPatch,
  DeleteTeamQuery,
  MembershipHistory,
  MembershipHistoryQuery,
  NewCustomTeam,
  NewTeam,
  Team,
  TeamParams,
  TeamPatch,
  TeamTree,
  TeamWithWarnings,
} from './schemas.js';
import { createTeamsService } from './service.js';

const tags = ['teams'];

/** The team hierarchy and custom teams (SPEC section 2). */
const teamsRoutes: FastifyPluginAsyncZod = async (app) => {
  const teams = createTeamsService({ db: app.db });
  const custom = createCustomTeamsService({ db: app.db });

  app.get('/api/v1/teams', { schema: { tags, response: { 200: TeamTree } } }, async (req) => teams.tree(req.org.id));
  app.post('/api/v1/teams', { schema: { tags, body: NewTeam, response: { 201: Team } } }, async (req, reply) =>
    reply.code(201).send(await teams.create(req.org.id, req.actor!, req.body)),
  );
  app.get('/api/v1/teams/:id', { schema: { tags, params: TeamParams, response: { 200: Team } } }, async (req) =>
    teams.get(req.org.id, req.params.id),
  );
  app.patch(
    '/api/v1/teams/:id',
    { schema: { tags, params: TeamParams, body: TeamPatch, response: { 200: TeamWithWarnings } } },
    async (req) => teams.update(req.org.id, req.actor!, req.params.id, req.body),
  );
  app.delete(
    '/api/v1/teams/:id',
    { schema: { tags, params: TeamParams, querystring: DeleteTeamQuery, response: { 204: z.null() } } },
    async (req, reply) => {
      await teams.remove(req.org.id, req.actor!, req.params.id, req.query.moveMembersTo);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/teams/:id/history',
    { schema: { tags, params: TeamParams, querystring: MembershipHistoryQuery, response: { 200: MembershipHistory } } },
    async (req) => teams.history(req.org.id, req.params.id, req.query.limit, req.query.cursor),
  );

  app.get('/api/v1/custom-teams', { schema: { tags, response: { 200: CustomTeamList } } }, async (req) =>
    custom.list(req.org.id),
  );
  app.post(
    '/api/v1/custom-teams',
    { schema: { tags, body: NewCustomTeam, response: { 201: CustomTeam } } },
    async (req, reply) => reply.code(201).send(await custom.create(req.org.id, req.actor!, req.body)),
  );
  app.get(
    '/api/v1/custom-teams/:id',
    { schema: { tags, params: TeamParams, response: { 200: CustomTeam } } },
    async (req) => custom.get(req.org.id, req.params.id),
  );
  app.patch(
    '/api/v1/custom-teams/:id',
    { schema: { tags, params: TeamParams, body: CustomTeamPatch, response: { 200: CustomTeam } } },
    async (req) => custom.update(req.org.id, req.actor!, req.params.id, req.body),
  );
  app.delete(
    '/api/v1/custom-teams/:id',
    { schema: { tags, params: TeamParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await custom.remove(req.org.id, req.actor!, req.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default teamsRoutes;
