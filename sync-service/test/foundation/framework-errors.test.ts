import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();
let port = 0;
beforeAll(async () => {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});

/** One request over a socket, as a hostile client would send it: the status and the parsed body. */
function raw(head: string, body = ''): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const payload = text.slice(text.indexOf('\r\n\r\n') + 4);
      let json: unknown;
      try {
        json = JSON.parse(payload);
      } catch {
        json = payload;
      }
      resolve({ status, json });
    });
    socket.write(`${head}\r\nConnection: close\r\n\r\n${body}`);
  });
}

const auth = () => `Authorization: Bearer ${t.org.apiKey}\r\nX-Roster-Actor: ${t.org.adminEmail}`;
const oneShape = (json: any, code: string) => {
  // Errors that reached a request carry its id; the HTTP parser's (431) come before there is one.
  const requestId = json?.error?.requestId ? { requestId: expect.any(String) } : {};
  expect(json).toEqual({ error: { code, message: expect.any(String), details: null, ...requestId } });
};

describe('errors from the framework and Node come in the one error shape', () => {
  it('answers a malformed URL with 400 bad_url', async () => {
    const res = await raw(`GET /api/v1/users/%zz HTTP/1.1\r\nHost: x\r\n${auth()}`);
    expect(res.status).toBe(400);
    oneShape(res.json, 'bad_url');
  });

  it('answers a body over the limit with 413', async () => {
    const res = await raw(
      `POST /api/v1/users HTTP/1.1\r\nHost: x\r\n${auth()}\r\nContent-Type: application/json\r\nContent-Length: 100000000`,
      '{}',
    );
    expect(res.status).toBe(413);
    oneShape(res.json, 'payload_too_large');
  });

  it('answers a long URL with 414 and one past the parser limit with 431', async () => {
    const long = await raw(`GET /api/v1/users?search=${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n${auth()}`);
    expect(long.status).toBe(414);
    oneShape(long.json, 'uri_too_long');
    const huge = await raw(`GET /api/v1/users?search=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n${auth()}`);
    expect(huge.status).toBe(431);
    oneShape(huge.json, 'headers_too_large');
  });

  it('answers headers past the parser limit with 431, and garbage with 400', async () => {
    const res = await raw(`GET /api/v1/users HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    oneShape(res.json, 'headers_too_large');
    const garbage = await raw('NOT HTTP AT ALL\r\n');
    expect(garbage.status).toBe(400);
    oneShape(garbage.json, 'bad_request');
  });

  it('answers an unsupported content type with 415 and bad JSON with 400, details present', async () => {
    const xml = await t.api('POST', '/api/v1/users', {
      payload: '<x/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.statusCode).toBe(415);
    oneShape(xml.data, 'unsupported_media_type');
    const json = await t.api('POST', '/api/v1/users', {
      payload: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    expect(json.statusCode).toBe(400);
    oneShape(json.data, 'invalid_json');
    const missing = await t.api('GET', '/api/v1/nothing-here');
    oneShape(missing.data, 'not_found');
  });
});

describe('the other fuzzer findings', () => {
  it('answers an empty PATCH of an eligibility or ranking group with 400, not 500', async () => {
    const profile = (await t.api('POST', '/api/v1/profiles', { body: { name: 'Fuzzed' } })).data.id;
    const eligibility = await t.api('POST', `/api/v1/profiles/${profile}/eligibility-groups`, {
      body: {
        objectType: 'Account',
        name: 'Partners',
        conditions: [{ field: 'Type', operator: 'equals', value: 'P' }],
      },
    });
    expect(eligibility.statusCode).toBe(201);
    const ranking = await t.api('POST', `/api/v1/profiles/${profile}/ranking-groups`, {
      body: {
        target: 'Opportunity',
        name: 'Close',
        conditions: [{ kind: 'sort', field: 'CloseDate', direction: 'desc' }],
      },
    });
    expect(ranking.statusCode).toBe(201);
    for (const url of [
      `/api/v1/profiles/${profile}/eligibility-groups/${eligibility.data.id}`,
      `/api/v1/profiles/${profile}/ranking-groups/${ranking.data.id}`,
    ]) {
      const res = await t.api('PATCH', url, { body: {} });
      expect(res.statusCode).toBe(400);
      expect(res.data.error.message).toContain('at least one field');
    }
  });

  it('answers an audit-log cursor past any id with 400', async () => {
    const res = await t.api('GET', '/api/v1/audit-log?cursor=99999999999999999999');
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('validation_error');
    expect((await t.api('GET', '/api/v1/audit-log?cursor=5')).statusCode).toBe(200);
  });
});
