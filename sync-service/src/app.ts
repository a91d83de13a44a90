import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import authPlugin from './plugins/auth.js';
import dbPlugin from './plugins/db.js';
import errorsPlugin, { clientErrorHandler, frameworkErrors } from './plugins/errors.js';
import queuePlugin from './plugins/queue.js';
import metricsPlugin from './plugins/metrics.js';
import requestIdPlugin, { requestIdFrom } from './plugins/request-id.js';
import secretsPlugin from './plugins/secrets.js';
import textPlugin from './plugins/text.js';
import salesforcePlugin from './plugins/salesforce.js';
import salesforceRoutes from './salesforce/routes.js';
import describePlugin from './describe/plugin.js';
import describeRoutes from './describe/routes.js';
import { loggerOptions } from './shared/logger.js';
import profileRoutes from './profiles/routes.js';
import ruleRoutes from './rules/routes.js';
import healthRoutes from './health/routes.js';
import statusRoutes, { livenessRoutes } from './service-status/routes.js';
import syncRoutes from './sync/routes.js';
import orgRoutes from './orgs/routes.js';
import usersRoutes from './users/routes.js';
import teamsRoutes from './teams/routes.js';
import auditRoutes from './audit/routes.js';
import csvRoutes from './csv/routes.js';
import mailboxPlugin from './mailbox/plugin.js';
import mailboxRoutes from './mailbox/routes.js';
import jobRoutes from './jobs/routes.js';
import jobsPlugin from './jobs/plugin.js';
import screenRoutes from './screens/routes.js';

export interface AppOptions {
  config: Config;
  /** Where the database is: DATABASE_URL, or the embedded server's URL. */
  databaseUrl: string;
  logger?: boolean;
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: NodeJS.WritableStream;
}

export type App = FastifyInstance;

// Fastify types the compilers' factories for its own (ajv) compilers only.
const zodCompilers = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => serializerCompiler,
} as unknown as NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'];

/** The app as plugins: infrastructure first, then each domain's routes. No process concerns here. */
export async function buildApp({ config, databaseUrl, logger = true, logStream }: AppOptions): Promise<App> {
  const app = Fastify({
    logger: logger ? { ...loggerOptions(config.LOG_LEVEL), ...(logStream ? { stream: logStream } : {}) } : false,
    bodyLimit: 64 * 1024 * 1024, // CSV imports of 100k rows arrive as one body
    forceCloseConnections: 'idle',
    // Fastify's 10 s default fails a first start whose migrations run on a busy machine; a stuck plugin still fails.
    pluginTimeout: 120_000,
    // Errors before a route (a bad URL) and from Node's HTTP parser (431) in the one error shape too.
    frameworkErrors,
    clientErrorHandler,
    genReqId: requestIdFrom,
    // Every schema is zod (its compilers are set just below): saying so here as well keeps Fastify from loading its
    // JSON-schema compilers, ajv and fast-json-stringify (a sixth of the CPU before the service listens).
    schemaController: { compilersFactory: zodCompilers },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('config', config);
  // Work that starts once the app is ready without holding up its listener (the job queue, its workers and
  // schedules): /health answers while it starts, and /ready once it has.
  const background: (() => Promise<unknown>)[] = [];
  let started: Promise<void> = Promise.resolve();
  app.decorate('inBackground', (work: () => Promise<unknown>) => void background.push(work));
  app.decorate('started', () => started);
  // First of the close hooks: closing waits for the start to finish, then stops what it started.
  app.addHook('preClose', () => started.catch(() => {}));
  // A request in flight when the close begins keeps its connection alive after it answers, and Node closes only the
  // connections idle at that moment: without this the close waits out the keep-alive timeout (72 s) for each one.
  app.addHook('preClose', async () => {
    app.server.keepAliveTimeout = 1;
  });
  app.addHook('onReady', async () => {
    started = (async () => {
      for (const work of background) await work();
    })();
    started.catch(() => {}); // the launcher (process.ts) and tests await it
  });

  await app.register(requestIdPlugin);
  await app.register(errorsPlugin);
  await app.register(textPlugin);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Roster sync service', version: '1.0.0' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'Per-org API key' },
          actorId: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Roster-Actor-Id',
            description: 'Salesforce user id of the acting admin (decides whenever a Roster user carries it)',
          },
          actor: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Roster-Actor',
            description: 'Email of the acting admin: used only for users not linked to Salesforce yet',
          },
        },
      },
      security: [{ apiKey: [], actorId: [], actor: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(dbPlugin, { databaseUrl, migrate: config.MIGRATE_ON_START });
  await app.register(queuePlugin, { databaseUrl, enabled: config.QUEUE_ENABLED });
  await app.register(secretsPlugin);
  await app.register(salesforcePlugin);
  await app.register(describePlugin);
  await app.register(metricsPlugin);
  await app.register(mailboxPlugin);
  await app.register(jobsPlugin);
  await app.register(livenessRoutes);

  // Every /api/v1 route lives in this one encapsulated scope and the key check hangs on the scope, not on URL
  // text: whatever spelling of a path the router matches (percent-encoded, odd case...), the check runs first.
  await app.register(async function api(api) {
    await api.register(authPlugin);
    await api.register(statusRoutes);
    await api.register(orgRoutes);
    await api.register(healthRoutes);
    await api.register(usersRoutes);
    await api.register(teamsRoutes);
    await api.register(auditRoutes);
    await api.register(csvRoutes);
    await api.register(salesforceRoutes);
    await api.register(syncRoutes);
    await api.register(describeRoutes);
    await api.register(profileRoutes);
    await api.register(ruleRoutes);
    await api.register(mailboxRoutes, { service: app.mailbox.service });
    await api.register(jobRoutes);
    await api.register(screenRoutes);
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** Runs `work` after the app is ready, in registration order, without delaying its listener. */
    inBackground(work: () => Promise<unknown>): void;
    /** Settles once the background work has started (rejects if it failed). */
    started(): Promise<void>;
  }
}
