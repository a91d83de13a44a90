/**
 * The local preview: the service on an embedded database with the demo org, and the real LWCs compiled for a
 * browser. The browser never sees the API key: like the Apex proxy, `/__apex/Class.method` adds it server-side.
 */
import { createReadStream, existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { buildApp } from '../../sync-service/src/app.js';
import { loadConfig } from '../../sync-service/src/config.js';
import { startEmbeddedPostgres } from '../../sync-service/src/db/embedded.js';
import { prepareDemo } from '../../sync-service/src/demo.js';
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
  close(): Promise<void>;
}

export async function startPreview(opts: { port?: number; dataDir?: string } = {}): Promise<Preview> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'roster-preview-'));
  const embedded = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pgdata') });
  const config = loadConfig({ ...process.env, DATABASE_URL: embedded.url, DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', PORT: '0' });
  const app = await buildApp({ config, databaseUrl: embedded.url });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const serviceUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const demo = await prepareDemo(app);

  const bundleDir = mkdtempSync(join(tmpdir(), 'roster-preview-bundle-'));
  await buildPreview(bundleDir);

  const callService = async (call: ServiceCall) => {
    const url = new URL(`/api/v1${call.path}`, serviceUrl);
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { authorization: `Bearer ${demo.apiKey}`, 'x-roster-actor': demo.adminEmail };
    let body: string | undefined;
    if (call.csv !== undefined) {
      headers['content-type'] = 'text/csv';
      body = call.csv;
    } else if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    const response = await fetch(url, { method: call.method, headers, body });
    const text = await response.text();
    if (!response.ok) {
      // The Apex proxy rethrows the service's message as an AuraHandledException; the LWC sees { body: { message } }.
      let message = `The Roster service answered ${response.status}.`;
      try {
        message = JSON.parse(text).error.message ?? message;
      } catch {
        /* not the service's error shape */
      }
      return { status: 500, payload: { message, exceptionType: 'System.AuraHandledException', isUserDefinedException: false } };
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
      const file =
        url.pathname === '/' ? join(here, 'index.html')
        : url.pathname.startsWith('/bundle/') ? safeJoin(bundleDir, url.pathname.slice('/bundle/'.length))
        : url.pathname.startsWith('/slds/') ? safeJoin(sldsAssets, url.pathname.slice('/slds/'.length))
        : url.pathname.startsWith('/assets/') ? safeJoin(sldsAssets, url.pathname.slice('/assets/'.length))
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
    async close() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await app.close();
      await embedded.stop();
    },
  };
}

function safeJoin(root: string, relative: string): string | null {
  const path = normalize(join(root, decodeURIComponent(relative)));
  return path.startsWith(root) ? path : null;
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
