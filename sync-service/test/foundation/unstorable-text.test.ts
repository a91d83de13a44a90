import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const json = (text: string) => ({ payload: text, headers: { 'content-type': 'application/json' } });

describe('strings the database refuses', () => {
  const t = setupApp();
  const userCount = async () => Number((await t.app.db('users').count({ n: '*' }).first())!.n);

  it('refuses a NUL in a body field with 400 naming the field, and creates nobody', async () => {
    const before = await userCount();
    const res = await t.api('POST', '/api/v1/users', {
      body: { email: 'nul@example.com', role: 'member', firstName: 'Ada\u0000Lovelace', lastName: 'King' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('validation_error');
    expect(res.data.error.details).toEqual([
      { in: 'body', path: 'firstName', message: expect.stringContaining('NUL') },
    ]);
    expect(res.data.error.message).toContain('firstName');
    expect(await userCount()).toBe(before);
  });

  it('refuses a lone surrogate in a body field, even one stored as JSON, with 400 naming the field', async () => {
    const user = await t.api(
      'POST',
      '/api/v1/users',
      json('{"email":"s@example.com","role":"member","jobTitle":"\\ud800"}'),
    );
    expect(user.statusCode).toBe(400);
    expect(user.data.error.details[0]).toMatchObject({ in: 'body', path: 'jobTitle' });
    expect(user.data.error.details[0].message).toContain('surrogate');

    const rule = await t.api(
      'POST',
      '/api/v1/rules',
      json(
        '{"name":"R","filters":[{"field":"job_title","operator":"equals","value":"\\udc00x"}],"assignments":{"role":"member"}}',
      ),
    );
    expect(rule.statusCode).toBe(400);
    expect(rule.data.error.details[0]).toMatchObject({ in: 'body', path: 'filters.0.value' });
  });

  it('keeps a well-formed emoji pair, which is not a lone surrogate', async () => {
    const res = await t.api('POST', '/api/v1/users', {
      body: { email: 'emoji@example.com', role: 'member', firstName: 'Zoë 😀', lastName: 'Smile' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.data.firstName).toBe('Zoë 😀');
  });

  it('refuses a NUL in a search or a path parameter with 400 naming it', async () => {
    const search = await t.api('GET', '/api/v1/users?search=ab%00c');
    expect(search.statusCode).toBe(400);
    expect(search.data.error.details).toEqual([
      { in: 'querystring', path: 'search', message: expect.stringContaining('NUL') },
    ]);
    const param = await t.api('GET', '/api/v1/audit-log?targetId=%00');
    expect(param.statusCode).toBe(400);
  });

  it('refuses a search whose percent-encoding is not UTF-8 text with 400 naming it, instead of searching for "%FF"', async () => {
    await t.api('POST', '/api/v1/users', {
      body: { email: 'literal@example.com', role: 'member', firstName: 'Per%FFcent', lastName: 'Sign' },
    });
    // An encoded lone surrogate (its UTF-8 bytes, which are no UTF-8), a byte no UTF-8 holds, a cut character, a stray %.
    for (const search of ['x%ED%A0%80', 'Per%FFcent', 'caf%C3', '100%']) {
      const res = await t.api('GET', `/api/v1/users?search=${search}`);
      expect(res.statusCode, search).toBe(400);
      expect(res.data.error).toMatchObject({
        code: 'validation_error',
        details: [{ in: 'querystring', path: 'search', message: expect.stringContaining('UTF-8') }],
      });
    }
    const literal = await t.api('GET', `/api/v1/users?search=${encodeURIComponent('Per%FFcent')}`);
    expect(literal.data.items.map((u: { email: string }) => u.email)).toEqual(['literal@example.com']);
    // Every free-text parameter, not only the user search.
    const audit = await t.api('GET', '/api/v1/audit-log?action=%C0%AF');
    expect(audit.data.error.details).toEqual([
      { in: 'querystring', path: 'action', message: expect.stringContaining('UTF-8') },
    ]);
  });

  it('refuses a JSON body with bytes that are not UTF-8 with 400, instead of storing them as �', async () => {
    const before = await userCount();
    const payload = Buffer.concat([
      Buffer.from('{"email":"bytes@example.com","role":"member","firstName":"Ad'),
      Buffer.from([0xff, 0xe9]),
      Buffer.from('","lastName":"King"}'),
    ]);
    const res = await t.api('POST', '/api/v1/users', { payload, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.data.error).toMatchObject({
      code: 'validation_error',
      details: [{ in: 'body', path: '', message: expect.stringContaining('UTF-8') }],
    });
    expect(await userCount()).toBe(before);
    const bom = await t.api('POST', '/api/v1/users', {
      payload: '\uFEFF{"email":"bom@example.com","role":"member","firstName":"Bo","lastName":"M"}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(bom.statusCode).toBe(201);
  });

  it('names the line and column of a CSV cell holding a NUL, and imports nothing', async () => {
    const before = await userCount();
    const file = [
      'Email,First Name,Last Name,Role,Operation',
      'ok@example.com,Ok,Fine,Member,Add',
      'bad@example.com,Bad\u0000Name,Row,Member,Add',
    ];
    const res = await t.api('POST', '/api/v1/users/import?dryRun=false', {
      payload: file.join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.applied).toBe(false);
    expect(res.data.errors).toEqual([
      { line: 3, column: 'First Name', code: 'invalid_text', message: expect.stringContaining('NUL') },
    ]);
    expect(await userCount()).toBe(before);
  });

  it('reports a CSV row whose email holds a NUL by line and column, and its result file shows the character as �', async () => {
    const res = await t.api('POST', '/api/v1/users/import?dryRun=true', {
      payload: 'Email,First Name,Last Name,Role,Operation\nnul\u0000@example.com,Nul,Row,Member,Add\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.errors).toContainEqual({
      line: 2,
      column: 'Email',
      code: 'invalid_text',
      message: expect.stringContaining('NUL'),
    });
    const result = await t.api('GET', res.data.resultCsvUrl);
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('nul\uFFFD@example.com');
    expect(result.body).not.toContain('\u0000');
  });
});
