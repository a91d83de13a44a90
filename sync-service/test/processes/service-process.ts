import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TEST_ENCRYPTION_KEY } from '../helper.js';

const serviceDir = fileURLToPath(new URL('../..', import.meta.url));
const built = fileURLToPath(new URL('../../dist/src/server.js', import.meta.url));

/** One pino log line: pid names the process, time is epoch milliseconds. */
export interface LogLine {
  pid: number;
  time: number;
  msg: string;
  [field: string]: unknown;
}

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  output(): string;
  /** The pino JSON lines logged so far (other output skipped). */
  logs(): LogLine[];
  /** Calls the API as `admin` of the org whose key is `apiKey`. */
  api(
    method: string,
    path: string,
    auth: { apiKey: string; admin: string },
    body?: unknown,
  ): Promise<{ status: number; data: any }>;
}

/**
 * A real service process on DATABASE_URL: the built JavaScript when `npm run build` has run (as production runs it),
 * otherwise the TypeScript sources through tsx.
 */
export async function startServiceProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  const args = existsSync(built) ? [built] : ['--import', 'tsx', 'src/server.ts'];
  const child = spawn(process.execPath, args, {
    cwd: serviceDir,
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: databaseUrl,
      ROSTER_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      DEMO_ORG: 'false',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = Date.now();
  while (!/listening on (http:\/\/\S+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${out}`);
    if (Date.now() - started > 90_000) throw new Error(`service not listening after 90 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /listening on (http:\/\/\S+)/.exec(out)![1]!;
  return {
    url,
    child,
    exited,
    output: () => out,
    logs: () =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as LogLine];
          } catch {
            return []; // the last line, still being written
          }
        }),
    async api(method, path, auth, body) {
      const res = await fetch(url + path, {
        method,
        headers: {
          authorization: `Bearer ${auth.apiKey}`,
          'x-roster-actor': auth.admin,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, data: text ? JSON.parse(text) : null };
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a truthy value, or fails after `ms` with what it last saw. */
export async function waitFor<T>(what: string, check: () => Promise<T>, ms = 60_000): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}
