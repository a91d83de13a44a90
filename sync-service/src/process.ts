import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded.js';
import { DatabaseNewerError, MigrationsPendingError } from './db/migrate.js';
import type { App } from './app.js';
import { serveMetrics } from './plugins/metrics.js';
import { startupStep, startupSteps } from './shared/startup-steps.js';

/** What a launcher adds once the service listens: lines to print, and what to close on shutdown. */
export interface StartExtra {
  lines: string[];
  close(): Promise<void>;
}

export interface ServiceProcessOptions {
  /** Runs after listen when DEMO_ORG is on (`npm start`'s demo launcher); production has none. */
  demo?: (app: App) => Promise<StartExtra>;
}

/** Process concerns only: configuration, the database, listen, signals, close. */
export function runServiceProcess(opts: ServiceProcessOptions = {}): void {
  main(opts).catch((err) => {
    console.error(err instanceof DatabaseNewerError || err instanceof MigrationsPendingError ? err.message : err);
    process.exit(1);
  });
}

async function main(opts: ServiceProcessOptions) {
  startupStep('launcher loaded');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  // npm runs workspace scripts inside sync-service/; keep .data/ at the repository root.
  config.DATA_DIR = resolve(process.env.INIT_CWD ?? process.cwd(), config.DATA_DIR);

  // The app's modules load while the embedded database starts (its WebAssembly compiles off the main thread).
  const appModule = import('./app.js');
  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: join(config.DATA_DIR, 'pgdata') });
    databaseUrl = embedded.url;
  }

  const { buildApp } = await appModule;
  startupStep('app loaded');
  const app = await buildApp({ config, databaseUrl });
  startupStep('app built');
  let demo: StartExtra | null = null;
  let metrics: Server | null = null;
  const closeAll = async () => {
    metrics?.close();
    await app.close();
    await demo?.close();
    await embedded?.stop();
  };

  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down: finishing in-flight requests');
      const timer = setTimeout(() => {
        // What the process still waits on (sockets, timers, pool connections) says which step hung.
        app.log.error({ pending: process.getActiveResourcesInfo() }, 'shutdown timed out');
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS);
      timer.unref();
      closeAll().then(
        () => process.exit(0),
        (err) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }

  await app.listen({ port: config.PORT, host: config.HOST });
  startupStep('listening');
  // The job queue and its workers start while /health already answers; a queue that cannot start ends the process.
  const queueStarted = app.started().then(
    () => startupStep('queue started'),
    (err) => {
      if (closing) return;
      app.log.error({ err }, 'the job queue did not start');
      process.exit(1);
    },
  );
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const base = `http://127.0.0.1:${port}`;
  const lines = [
    `Roster sync service listening on ${base}`,
    `API docs: ${base}/docs`,
    `Database: ${embedded ? `embedded PostgreSQL (PGlite) in ${join(config.DATA_DIR, 'pgdata')}` : 'DATABASE_URL'}`,
  ];
  if (config.METRICS_PORT !== undefined) {
    metrics = await serveMetrics(app, config.METRICS_PORT, config.HOST);
    lines.push(`Metrics: http://127.0.0.1:${(metrics.address() as { port: number }).port}/metrics`);
  }
  // Healthy from here: the demo org (a simulated Salesforce org to start) follows, printed when it is ready.
  console.log(lines.join('\n'));
  if (config.DEMO_ORG && opts.demo) {
    demo = await opts.demo(app);
    startupStep('demo org ready');
    console.log(demo.lines.join('\n'));
  }
  await queueStarted;
  if (!closing) app.log.info(startupSteps(), 'started');
}
