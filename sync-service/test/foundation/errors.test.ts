import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knex from 'knex';
import { z } from 'zod';
import { ConflictError, NotFoundError, UnprocessableError } from '../../src/shared/errors.js';
import { build, type TestApp } from '../helper.js';

describe('error responses', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Throwaway routes that raise each kind of error, so the one handler is exercised end to end.
    t = await build({
      routes: async (app) => {
        app.post(
          '/api/v1/__probe/validate',
          { schema: { body: z.object({ name: z.string().min(1), size: z.number().int() }) } },
          async () => ({}),
        );
        app.get('/api/v1/__probe/missing', async () => {
          throw new NotFoundError('Team', 'abc');
        });
        app.post('/api/v1/__probe/conflict', async () => {
          throw new ConflictError('email_taken', 'Someone already uses that email.', { email: 'a@b.c' });
        });
        app.post('/api/v1/__probe/unprocessable', async () => {
          throw new UnprocessableError('cycle', 'A team cannot move under itself.');
        });
        // A pool of one whose only connection a transaction holds: the next query times out waiting, as knex does.
        app.get('/api/v1/__probe/busy', async () => {
          const pool = knex({
            client: 'pg',
            connection: t.database.url,
            pool: { min: 0, max: 1 },
            acquireConnectionTimeout: 100,
          });
          try {
            await pool.transaction(async () => {
              await pool.raw('select 1');
            });
          } finally {
            await pool.destroy();
          }
        });
        app.get('/api/v1/__probe/crash', async () => {
          throw new Error('connection string postgres://secret@db leaked');
        });
      },
    });
  });
  afterAll(() => t.close());

  it('gives a validation error with every bad field listed', async () => {
    const res = await t.api('POST', '/api/v1/__probe/validate', { body: { name: '', size: 'big' } });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('validation_error');
    expect(res.data.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'size']);
  });

  it('answers malformed JSON with 400 invalid_json, not a 500', async () => {
    const res = await t.api('POST', '/api/v1/__probe/validate', {
      payload: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('invalid_json');
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await t.api('POST', '/api/v1/__probe/validate', {
      payload: '<x/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.data.error.code).toBe('unsupported_media_type');
  });

  it('maps domain errors to their status, code, message and details', async () => {
    const missing = await t.api('GET', '/api/v1/__probe/missing');
    expect(missing.statusCode).toBe(404);
    expect(missing.data).toEqual({
      error: { code: 'not_found', message: 'Team abc was not found.', details: null, requestId: expect.any(String) },
    });

    const conflict = await t.api('POST', '/api/v1/__probe/conflict');
    expect(conflict.statusCode).toBe(409);
    expect(conflict.data.error).toEqual({
      code: 'email_taken',
      message: 'Someone already uses that email.',
      details: { email: 'a@b.c' },
      requestId: expect.any(String),
    });

    const unprocessable = await t.api('POST', '/api/v1/__probe/unprocessable');
    expect(unprocessable.statusCode).toBe(422);
  });

  it('answers an unknown route with 404 not_found in the same shape', async () => {
    const res = await t.api('GET', '/api/v1/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.data.error.code).toBe('not_found');
  });

  it('answers 503 database_busy with Retry-After when no database connection frees up in time, not a 500', async () => {
    const res = await t.api('GET', '/api/v1/__probe/busy');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.data.error).toMatchObject({ code: 'database_busy', message: expect.stringContaining('try again') });
  });

  it('never shows a 500 error message or stack to the caller', async () => {
    const res = await t.api('GET', '/api/v1/__probe/crash');
    expect(res.statusCode).toBe(500);
    expect(res.data).toEqual({
      error: {
        code: 'internal_error',
        message: 'Internal server error.',
        details: null,
        requestId: expect.any(String),
      },
    });
    expect(res.body).not.toContain('secret');
  });
});
