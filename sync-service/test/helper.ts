import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createOrg, type CreatedOrg } from '../src/orgs/service.js';
import { freshDatabase, type TestDatabase } from './db.js';

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestOrg extends CreatedOrg {
  adminEmail: string;
  adminSfUserId: string;
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  org: TestOrg;
  /** Another org on the same database, to prove nothing crosses orgs. */
  createOrg(name?: string): Promise<TestOrg>;
  /** Calls the API as `org`'s admin (or `as`), with its key; `key: null` sends none. */
  api(method: InjectOptions['method'], url: string, opts?: ApiOptions): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiOptions {
  body?: unknown;
  org?: TestOrg;
  key?: string | null;
  /** X-Roster-Actor; defaults to the org's admin email; null sends none. */
  as?: string | null;
  /** X-Roster-Actor-Id; defaults to the org's admin Salesforce user id when `as` is left out too, as Apex sends both. */
  asId?: string | null;
  headers?: Record<string, string>;
  payload?: string | Buffer;
}

export type ApiResponse = LightMyRequestResponse & { body: string; data: any };

export interface BuildOptions {
  queue?: boolean;
  env?: Record<string, string>;
  /** Reuse a database (e.g. two service instances on one database). */
  database?: TestDatabase;
  /** Extra routes (probes of a plugin) registered before the app is ready, as plugins can only be added then. */
  routes?: (app: App) => Promise<void>;
  /** Where the app's log lines go (JSON, at env's LOG_LEVEL); without it the app logs nothing. */
  logStream?: NodeJS.WritableStream;
}

/** A ready app on a fresh database with one org; call close() (or use setupApp) when done. */
export async function build(opts: BuildOptions = {}): Promise<TestApp> {
  const database = opts.database ?? (await freshDatabase());
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    QUEUE_ENABLED: opts.queue ? 'true' : 'false',
    ROSTER_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'roster-test-')),
    DEMO_ORG: 'false',
    ...opts.env,
  });
  const app = await buildApp({
    config,
    databaseUrl: database.url,
    logger: Boolean(opts.logStream),
    ...(opts.logStream ? { logStream: opts.logStream } : {}),
  });
  if (opts.routes) app.register(opts.routes);
  // Ready with the queue's workers and schedules running, as a started service is a moment after /health.
  await app.ready();
  await app.started();

  let orgCount = 0;
  const makeOrg = async (name?: string): Promise<TestOrg> => {
    orgCount += 1;
    const adminEmail = `admin${orgCount}@example.com`;
    const adminSfUserId = `005ADMIN${orgCount}`.padEnd(18, '0');
    const created = await createOrg(app.db, {
      name: name ?? `Org ${orgCount}`,
      admin: {
        email: adminEmail,
        firstName: 'Ada',
        lastName: `Admin${orgCount}`,
        sfUserId: adminSfUserId,
      },
    });
    return { ...created, adminEmail, adminSfUserId };
  };
  const org = await makeOrg('Acme');

  const api: TestApp['api'] = async (method, url, o = {}) => {
    const target = o.org ?? org;
    const headers: Record<string, string> = { ...o.headers };
    const key = o.key === undefined ? target.apiKey : o.key;
    if (key) headers.authorization = `Bearer ${key}`;
    const actor = o.as === undefined ? target.adminEmail : o.as;
    if (actor) headers['x-roster-actor'] = actor;
    const actorId = o.asId === undefined ? (o.as === undefined ? target.adminSfUserId : null) : o.asId;
    if (actorId) headers['x-roster-actor-id'] = actorId;
    const res = await app.inject({
      method,
      url,
      headers,
      ...(o.payload !== undefined ? { payload: o.payload } : o.body !== undefined ? { payload: o.body as object } : {}),
    });
    let data: unknown;
    try {
      data = res.json();
    } catch {
      data = undefined;
    }
    return Object.assign(res, { data });
  };

  return {
    app,
    database,
    org,
    createOrg: makeOrg,
    api,
    async close() {
      await app.close();
      if (!opts.database) await database.drop();
    },
  };
}

/** build() before the file's tests, close() after them; returns a handle filled in by beforeAll. */
export function setupApp(opts: BuildOptions = {}): TestApp {
  const handle = {} as TestApp;
  beforeAll(async () => {
    Object.assign(handle, await build(opts));
  });
  afterAll(async () => {
    await handle.close?.();
  });
  return handle;
}
