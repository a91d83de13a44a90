/**
 * The local preview: the service on an embedded database with the demo org, and the real LWCs compiled for a
 * browser. The browser never sees the API key: like the Apex proxy, `/__apex/Class.method` adds it server-side.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { buildApp, type App } from '../../sync-service/src/app.js';
import { loadConfig } from '../../sync-service/src/config.js';
import { startEmbeddedPostgres } from '../../sync-service/src/db/embedded.js';
import { demoOrg, type FakeSalesforce } from '@roster/fake-salesforce';
import { startFakeGoogle, type FakeGoogle, type GoogleUserBehavior } from '@roster/fake-google';
import { prepareDemo } from '../../sync-service/demo/demo.js';
import { apexRoutes, type ServiceCall } from './apexRoutes.js';
import { buildPreview, repoRoot } from './build.js';

const here = join(repoRoot, 'scripts/preview');
const sldsAssets = join(repoRoot, 'node_modules/@salesforce-ux/design-system/assets');
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

export interface Preview {
  url: string;
  serviceUrl: string;
  apiKey: string;
  /** The demo org and the service's database, for a journey that grows the org faster than any API would. */
  orgId: string;
  db: App['db'];
  /** The simulated Google Workspace a mailbox provider set up in the preview talks to. */
  google: FakeGoogle;
  close(): Promise<void>;
}

export interface PreviewOptions {
  port?: number;
  dataDir?: string;
  /** The job queue (the sync's polls); on unless QUEUE_ENABLED says otherwise. */
  queue?: boolean;
}

export async function startPreview(opts: PreviewOptions = {}): Promise<Preview> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'roster-preview-'));
  // The LWC build is the slow half: run it while the service starts.
  const bundle = cachedBuild();
  bundle.catch(() => undefined); // awaited below; a failed service start must not leave it unhandled
  const embedded = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pgdata') });
  const config = loadConfig({
    ...process.env,
    // Like `npm start`: an embedded database with the key kept in DATA_DIR, so no DATABASE_URL (which needs a shared key).
    DATABASE_URL: undefined,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    PORT: '0',
    // Google provider settings saved in the preview point at the simulated Workspace (below).
    MAILBOX_CUSTOM_ENDPOINTS: 'true',
    ...(opts.queue === undefined ? {} : { QUEUE_ENABLED: String(opts.queue) }),
  });
  const app = await buildApp({ config, databaseUrl: embedded.url });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const serviceUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const demo = await prepareDemo(app);
  const google = await startFakeGoogle();
  google.control.users = new Workspace();
  const bundleDir = await bundle;
  // Salesforce Files of the simulated org, owned by the admin's Salesforce user (Dana Admin, as in the demo org).
  const simulated = demo.simulated as FakeSalesforce | undefined;
  const adminSfUserId = simulated
    ? demoOrg.users.find((u) => u.FirstName === 'Dana' && u.LastName === 'Admin')?.Id
    : undefined;

  const callService = async (call: ServiceCall): Promise<{ status: number; payload: unknown }> => {
    const url = new URL(`/api/v1${call.path}`, serviceUrl);
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${demo.apiKey}`,
      'x-roster-actor': demo.adminEmail,
      // Apex sends UserInfo.getUserId() too; the preview does where the admin's Salesforce user matters (sharing a file).
      ...(call.asSalesforceUser && adminSfUserId ? { 'x-roster-actor-id': adminSfUserId } : {}),
    };
    let body: string | undefined;
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(withSimulatedGoogle(call, google));
    }
    const response = await fetch(url, { method: call.method, headers, body });
    const text = await response.text();
    if (!response.ok) {
      // The Apex proxy rethrows the service's message as an AuraHandledException; the LWC sees { body: { message } }.
      let message = `The Roster service answered ${response.status}.`;
      let error: { code?: string; message?: string; details?: { jobId?: string; sameRequest?: boolean } } = {};
      try {
        error = JSON.parse(text).error ?? {};
        message = error.message ?? message;
      } catch {
        /* not the service's error shape */
      }
      // As RosterServiceClient.startJob: the admin's very same request already running is answered with that job.
      if (call.startsJob && response.status === 409 && error.code === 'job_running' && error.details?.sameRequest) {
        const running = await callService({ method: 'GET', path: `/jobs/${encodeURIComponent(error.details.jobId!)}` });
        if (running.status !== 200) return running;
        return { status: 200, payload: { ...(running.payload as object), alreadyRunning: true } };
      }
      return {
        status: 500,
        payload: { message, exceptionType: 'System.AuraHandledException', isUserDefinedException: false },
      };
    }
    if (call.text) return { status: 200, payload: text };
    return { status: 200, payload: text ? JSON.parse(text) : null };
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://preview');
      const apex = /^\/__apex\/(\w+\.\w+)$/.exec(url.pathname);
      if (apex && req.method === 'POST') {
        const route = apexRoutes[apex[1]!];
        if (!route) return send(res, 404, { message: `No Apex method ${apex[1]} in the preview's table.` });
        const result = await callService(route(JSON.parse((await readBody(req)) || '{}')));
        return send(res, result.status, result.payload);
      }
      // lightning-file-upload's stand-in: the file becomes a ContentVersion owned by the admin.
      if (url.pathname === '/__files' && req.method === 'POST') {
        if (!simulated || !adminSfUserId) return send(res, 503, { message: 'No simulated Salesforce org runs.' });
        const name = url.searchParams.get('name') || 'upload.csv';
        const uploaded = simulated.files.upload(adminSfUserId, { pathOnClient: name, data: await readBytes(req) });
        return send(res, 200, {
          name,
          documentId: uploaded.contentDocumentId,
          contentVersionId: uploaded.contentVersionId,
        });
      }
      // The org's download servlet for a file the export shared with the admin.
      const download = /^\/sfc\/servlet\.shepherd\/version\/download\/(\w+)$/.exec(url.pathname);
      if (download && req.method === 'GET') {
        const file = simulated?.files.read(download[1]!);
        if (!file) return send(res, 404, { message: 'No such file.' });
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-disposition': `attachment; filename="${file.pathOnClient.replace(/"/g, '')}"`,
        });
        return void res.end(file.bytes);
      }
      if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
      const file =
        url.pathname === '/'
          ? join(here, 'index.html')
          : url.pathname.startsWith('/bundle/')
            ? safeJoin(bundleDir, url.pathname.slice('/bundle/'.length))
            : url.pathname.startsWith('/slds/')
              ? safeJoin(sldsAssets, url.pathname.slice('/slds/'.length))
              : url.pathname.startsWith('/assets/')
                ? safeJoin(sldsAssets, url.pathname.slice('/assets/'.length))
                : null;
      if (!file || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, { message: 'Not found' });
      res.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    } catch (err) {
      send(res, 500, { message: (err as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  return {
    url,
    serviceUrl,
    apiKey: demo.apiKey,
    orgId: demo.orgId,
    db: app.db,
    google,
    async close() {
      // A browser holds keep-alive connections open: drop them, or server.close() waits for them forever.
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await app.close();
      await demo.close();
      await google.close();
      await embedded.stop();
    },
  };
}

/** The simulated Workspace's users: every mailbox and calendar readable, unless a journey sets a user otherwise. */
class Workspace extends Map<string, GoogleUserBehavior> {
  override get(email: string): GoogleUserBehavior {
    return super.get(email) ?? 'ok';
  }
}

/** Google provider settings as the admin saves them, pointed at the simulated Workspace instead of Google. */
function withSimulatedGoogle(call: ServiceCall, google: FakeGoogle): unknown {
  const body = call.body as { provider?: string } | undefined;
  if (call.method !== 'PUT' || call.path !== '/mailbox/provider' || body?.provider !== 'google') return call.body;
  return { ...body, tokenUrl: google.tokenUrl, apiRootUrl: google.apiRootUrl };
}

/**
 * The compiled bundle, reused while nothing it is built from has changed (force-app's LWCs, this folder's
 * modules and stubs, the compiler and base components versions): the build takes most of a minute.
 */
async function cachedBuild(): Promise<string> {
  const hash = createHash('sha256');
  const packages = ['lwc', '@lwc/rollup-plugin', 'lightning-base-components', '@salesforce-ux/design-system', 'rollup'];
  for (const name of packages)
    hash.update(
      `${name}@${JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version}\n`,
    );
  for (const root of [join(repoRoot, 'force-app/main/default/lwc'), join(here, 'modules'), join(here, 'stubs')]) {
    for (const file of (readdirSync(root, { recursive: true }) as string[]).sort()) {
      const path = join(root, file);
      if (file.includes('__tests__') || !statSync(path).isFile()) continue;
      hash.update(`${path}\n`).update(readFileSync(path));
    }
  }
  for (const file of ['build.ts', 'main.js']) hash.update(readFileSync(join(here, file)));
  const dir = join(repoRoot, 'node_modules/.cache/roster-preview', hash.digest('hex').slice(0, 16));
  if (existsSync(join(dir, 'main.js'))) return dir;
  const building = mkdtempSync(join(tmpdir(), 'roster-preview-bundle-'));
  await buildPreview(building);
  mkdirSync(dirname(dir), { recursive: true });
  // Copy, then rename: a reader never sees half a bundle.
  const staged = `${dir}.${process.pid}`;
  cpSync(building, staged, { recursive: true });
  try {
    renameSync(staged, dir);
  } catch (err) {
    if (!existsSync(join(dir, 'main.js'))) throw err; // another preview cached the same build first
  }
  rmSync(staged, { recursive: true, force: true });
  rmSync(building, { recursive: true, force: true });
  // Keep only this build: an older one is never used again.
  for (const old of readdirSync(dirname(dir))) {
    if (join(dirname(dir), old) !== dir && !old.includes('.'))
      rmSync(join(dirname(dir), old), { recursive: true, force: true });
  }
  return dir;
}

function safeJoin(root: string, relative: string): string | null {
  const path = normalize(join(root, decodeURIComponent(relative)));
  return path.startsWith(root) ? path : null;
}

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res: import('node:http').ServerResponse, status: number, payload: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}
