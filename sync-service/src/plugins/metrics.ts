import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { countQueueJobs, countUsersByStatus, lastSyncRuns, type LastSyncRuns } from './metrics-repo.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export interface Metrics {
  registry: Registry;
  /** One mailbox probe's outcome (ok, hard, transient, org, internal) and reason code. */
  probeOutcome(outcome: string, reason: string | null): void;
}

/**
 * Prometheus metrics. Request latency and probe outcomes are this process's own (Prometheus sums replicas); the rest
 * is read from the shared database at scrape time, so every replica reports the same cluster-wide values.
 * Served by server.ts on METRICS_PORT, away from the API's port and its load balancer.
 */
export default fp(
  async (app) => {
    const registry = new Registry();
    const db = () => app.db;

    const http = new Histogram({
      name: 'roster_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    app.addHook('onResponse', async (req, reply) => {
      // The route's pattern, never the raw URL: ids and hostile spellings must not mint new series.
      const route = req.routeOptions.url ?? 'unmatched';
      http.observe({ method: req.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    const probes = new Counter({
      name: 'roster_mailbox_probes_total',
      help: 'Mailbox probes by outcome and reason.',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    });

    new Gauge({
      name: 'roster_users',
      help: 'Users by org and status.',
      labelNames: ['org', 'status'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of await countUsersByStatus(db())) this.set({ org: r.orgId, status: r.status }, r.count);
      },
    });

    // Both sync gauges read the same rows. A scrape collects every metric at once, so they share the read in flight;
    // the next scrape reads afresh (a cache kept for a time would show a run that just finished late).
    let lastRunsRead: Promise<LastSyncRuns[]> | null = null;
    const lastRuns = () =>
      (lastRunsRead ??= lastSyncRuns(db()).finally(() => {
        lastRunsRead = null;
      }));

    new Gauge({
      name: 'roster_sync_lag_seconds',
      help: 'Seconds since the start of the last successful Salesforce sync, per org in Automatic Mode.',
      labelNames: ['org'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of await lastRuns()) {
          if (r.ok_started_at) this.set({ org: r.org_id }, (Date.now() - new Date(r.ok_started_at).getTime()) / 1000);
        }
      },
    });

    new Gauge({
      name: 'roster_sync_last_outcome',
      help: 'The outcome of the last Salesforce sync run per org (1 for the outcome it had).',
      labelNames: ['org', 'outcome'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of await lastRuns()) if (r.outcome) this.set({ org: r.org_id, outcome: r.outcome }, 1);
      },
    });

    for (const [name, help, pick] of [
      ['roster_salesforce_api_calls_used', 'Salesforce API calls used today (Sforce-Limit-Info).', 'used'],
      ['roster_salesforce_api_calls_remaining', 'Salesforce API calls left today (Sforce-Limit-Info).', 'remaining'],
    ] as const) {
      new Gauge({
        name,
        help,
        labelNames: ['org'],
        registers: [registry],
        collect() {
          this.reset();
          for (const l of app.salesforce.limits())
            this.set({ org: l.orgId }, pick === 'used' ? l.used : Math.max(0, l.max - l.used));
        },
      });
    }

    new Gauge({
      name: 'roster_jobs',
      help: 'Background jobs by queue and state (queued, running, failed).',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        if (!app.queue) return;
        for (const r of await countQueueJobs(db())) this.set({ queue: r.queue, state: r.state }, r.count);
      },
    });

    app.decorate('metrics', {
      registry,
      probeOutcome: (outcome: string, reason: string | null) => probes.inc({ outcome, reason: reason ?? 'none' }),
    });
  },
  { name: 'metrics', dependencies: ['db', 'queue', 'salesforce'] },
);

/** Prometheus scrapes /metrics on its own port, kept off the API's port and its load balancer. */
export async function serveMetrics(app: FastifyInstance, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    app.metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': app.metrics.registry.contentType }).end(text),
      (err) => {
        app.log.error({ err }, 'metrics collection failed');
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((done) => server.listen(port, host, done));
  return server;
}
