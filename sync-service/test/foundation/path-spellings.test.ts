import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

// Over real HTTP: the injector normalises `..` and `%2e` before the router sees them, a socket does not.
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

interface Answer {
  status: number;
  code?: string;
  message?: string;
}

/** One request; a connection the server closed without an answer (the HTTP parser refusing it) is status 0. */
async function send(port: number, method: string, path: string, headers: Record<string, string>): Promise<Answer> {
  try {
    return await sendOn(agent, port, method, path, headers);
  } catch {
    // A kept-alive socket can be closed under a request; try once more on a fresh connection.
    return sendOn(false, port, method, path, headers).catch(() => ({ status: 0 }));
  }
}

function sendOn(
  via: Agent | false,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: via }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        let error: { code?: string; message?: string } | undefined;
        try {
          error = JSON.parse(text).error;
        } catch {
          error = undefined;
        }
        resolve({ status: res.statusCode ?? 0, code: error?.code, message: error?.message });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const encodeChar = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** Ways an attacker spells one path so that URL text differs while a router might still match it. */
export function spellings(path: string): string[] {
  const segments = path.split('/').slice(1);
  const join = (parts: string[]) => `/${parts.join('/')}`;
  const out = new Set<string>();
  // Percent-encoding: one character of each segment, every letter, lower-case hex, the slashes themselves.
  segments.forEach((segment, i) => {
    const at = segment.search(/[a-z0-9]/i);
    if (at < 0) return;
    const parts = [...segments];
    parts[i] = segment.slice(0, at) + encodeChar(segment[at]!) + segment.slice(at + 1);
    out.add(join(parts));
  });
  out.add(path.replace(/[a-z]/gi, encodeChar));
  out.add(path.replace(/v/g, (c) => encodeChar(c).toLowerCase()));
  out.add(path.replace(/\//g, '%2F'));
  out.add(path.replace(/\//g, '%2f').replace(/^%2f/, '/'));
  // Double slashes.
  out.add(`/${path}`);
  out.add(path.replace(/\//g, '//'));
  out.add(path.replace('/api/', '/api//'));
  // Dot segments, plain and encoded.
  out.add(path.replace('/api/', '/api/x/../'));
  out.add(path.replace('/api/', '/api/./'));
  out.add(`/x/..${path}`);
  out.add(path.replace('/api/', '/api/x/%2e%2e/'));
  out.add(path.replace('/api/', '/api/%2E/'));
  out.add(`${path}/.`);
  out.add(`${path}/..`);
  // Case.
  out.add(path.toUpperCase());
  out.add(path.replace('/api/v1', '/API/V1'));
  out.add(path.replace('/api/v1', '/Api/v1'));
  // Trailing slash, semicolons, other separators.
  out.add(`${path}/`);
  out.add(`${path};`);
  out.add(`${path};jsessionid=1`);
  out.add(path.replace('/api/v1', '/api;/v1'));
  out.add(path.replace('/api/v1', '/api/v1;x=1'));
  out.add(path.replace(/\//g, '\\'));
  out.add(`${path}%00`);
  out.add(`${path}%20`);
  out.add(`${path}#x`);
  out.add(`${path}?`);
  // Overlong: a long path, a long query, a long run of slashes.
  out.add(`${path}/${'a'.repeat(10_000)}`);
  out.add(`${path}?q=${'a'.repeat(20_000)}`);
  out.add(`${'/'.repeat(3_000)}${path.slice(1)}`);
  out.add(path.replace('/api/v1', `/api/v1${'/.'.repeat(2_000)}`));
  return [...out];
}

const FILLERS: Record<string, string> = { sfRoleId: '00E000000000001AAA' };

describe('authentication by route scope, whatever the spelling of the path', () => {
  const t = setupApp();

  it('lets no spelling of any documented route reach a handler without the API key, and never answers 5xx', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    // Without an actor a change stops at the actor check, so calls with the key reach routes but write nothing.
    const withKey = { authorization: `Bearer ${t.org.apiKey}` };

    const cases: { method: string; path: string }[] = [];
    for (const [template, operations] of Object.entries<Record<string, unknown>>(doc.paths)) {
      const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => FILLERS[name] ?? crypto.randomUUID());
      for (const method of Object.keys(operations).map((m) => m.toUpperCase())) {
        if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
        for (const spelling of spellings(path)) {
          cases.push({ method, path: spelling });
          if (method === 'GET') cases.push({ method: 'HEAD', path: spelling });
        }
      }
    }

    const failures: string[] = [];
    let routed = 0;
    // Answers that mean the router (or the HTTP parser before it) found no route for the spelling.
    const unrouted = (a: Answer, method: string) =>
      (a.status === 404 && (method === 'HEAD' || (a.message ?? '').startsWith('No route'))) ||
      a.status === 0 ||
      a.status === 414 ||
      a.status === 431 ||
      (a.status === 400 && ['bad_url', 'bad_request', undefined].includes(a.code));
    const check = async ({ method, path }: { method: string; path: string }) => {
      const anonymous = await send(port, method, path, {});
      const keyed = await send(port, method, path, withKey);
      const label = `${method} ${path.slice(0, 120)}`;
      if (anonymous.status >= 500 || keyed.status >= 500) {
        failures.push(`${label}: ${anonymous.status} without a key, ${keyed.status} with it`);
        return;
      }
      if (!unrouted(keyed, method)) routed += 1;
      if (anonymous.status === 401) return;
      // Not stopped by the key check: only fine when the spelling reaches no route at all.
      if (!unrouted(anonymous, method) || anonymous.status !== keyed.status || !unrouted(keyed, method))
        failures.push(
          `${label}: ${anonymous.status} ${anonymous.code} without a key, ${keyed.status} ${keyed.code} with it`,
        );
    };
    for (let i = 0; i < cases.length; i += 16) await Promise.all(cases.slice(i, i + 16).map(check));

    agent.destroy();
    expect(failures).toEqual([]);
    // The sweep means something only if some odd spellings do reach routes (e.g. /api/%761/users).
    expect(routed).toBeGreaterThan(Object.keys(doc.paths).length * 2);
  }, 180_000);

  it('answers /api/%761/users without a key with 401 and with the key as /api/v1/users', async () => {
    await t.app.ready();
    const anonymous = await t.api('GET', '/api/%761/users', { key: null, as: null });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.data.error.code).toBe('unauthorized');
    const keyed = await t.api('GET', '/api/%761/users');
    expect(keyed.statusCode).toBe(200);
    expect(keyed.data.items.length).toBeGreaterThan(0);
  });
});
