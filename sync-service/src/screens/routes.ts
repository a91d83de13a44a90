import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createHealthService } from '../health/service.js';
import { createProfilesService } from '../profiles/service.js';
import { createRulesService } from '../rules/service.js';
import { createRoleImportService, refreshThroughJobs } from '../sync/role-import.js';
import { createSyncService } from '../sync/service.js';
import { createCustomTeamsService } from '../teams/custom.js';
import { createTeamsService } from '../teams/service.js';
import { createUsersService } from '../users/service.js';
import {
  IntegrationHealthScreen,
  RoleHierarchyScreen,
  TeamHierarchyScreen,
  UserSettingsRulesScreen,
  UsersAndTeamsQuery,
  UsersAndTeamsScreen,
} from './schemas.js';
import { createScreensService } from './service.js';

const tags = ['screens'];

/** One read per admin screen: what it shows when it opens (Apex allows few callouts per page load). */
const screenRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = { db: app.db, salesforce: app.salesforce, log: app.serviceLog };
  const screens = createScreensService({
    db: app.db,
    log: app.serviceLog,
    users: createUsersService({ db: app.db }),
    teams: createTeamsService({ db: app.db }),
    customTeams: createCustomTeamsService({ db: app.db }),
    profiles: createProfilesService({ db: app.db }),
    rules: createRulesService({ db: app.db }),
    sync: createSyncService(deps),
    roles: createRoleImportService({
      ...deps,
      refreshInBackground: refreshThroughJobs(app.jobs),
    }),
    health: createHealthService(deps),
    mailbox: app.mailbox.service,
    jobs: app.jobs,
  });

  app.get(
    '/api/v1/screens/users-and-teams',
    { schema: { tags, querystring: UsersAndTeamsQuery, response: { 200: UsersAndTeamsScreen } } },
    (req) => screens.usersAndTeams(req.org.id, req.query),
  );
  app.get('/api/v1/screens/team-hierarchy', { schema: { tags, response: { 200: TeamHierarchyScreen } } }, (req) =>
    screens.teamHierarchy(req.org.id),
  );
  app.get('/api/v1/screens/role-hierarchy', { schema: { tags, response: { 200: RoleHierarchyScreen } } }, (req) =>
    screens.roleHierarchy(req.org.id),
  );
  app.get(
    '/api/v1/screens/integration-health',
    { schema: { tags, response: { 200: IntegrationHealthScreen } } },
    (req) => screens.integrationHealth(req.org.id),
  );
  app.get(
    '/api/v1/screens/user-settings-rules',
    { schema: { tags, response: { 200: UserSettingsRulesScreen } } },
    (req) => screens.userSettingsRules(req.org.id),
  );
};

export default screenRoutes;
