import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

// A route standing for a service bug: its own SQL divides by zero, whatever the caller sent.
const t = setupApp({
  routes: async (app) => {
    app.get('/api/v1/zz-probe/divide', async () => app.db.raw('select 1 / 0 as n'));
  },
});

describe('data exceptions from the database', () => {
  it('answers a service bug the database refuses with 500 and the request id, never as the caller’s 400', async () => {
    const res = await t.api('GET', '/api/v1/zz-probe/divide', { headers: { 'x-request-id': 'TID:divide-1' } });
    expect(res.statusCode).toBe(500);
    expect(res.data.error).toEqual({
      code: 'internal_error',
      message: 'Internal server error.',
      details: null,
      requestId: 'TID:divide-1',
    });
  });

  it('stores a profile’s minimum score at the largest value the API allows, and refuses one past it naming minScore', async () => {
    const profile = (await t.api('POST', '/api/v1/profiles', { body: { name: 'Edge scores' } })).data;
    const largest = await t.api('PATCH', `/api/v1/profiles/${profile.id}`, { body: { minScore: 999_999.9999 } });
    expect(largest.statusCode, largest.body).toBe(200);
    expect(largest.data.minScore).toBe(999_999.9999);
    for (const minScore of [1_000_000, 999_999.99999]) {
      const past = await t.api('PATCH', `/api/v1/profiles/${profile.id}`, { body: { minScore } });
      expect(past.statusCode).toBe(400);
      expect(past.data.error).toMatchObject({ code: 'validation_error', details: [{ path: 'minScore' }] });
    }
  });

  it('pages the health history before any moment ISO 8601 names, and refuses the year 0000 with 400 naming before', async () => {
    const res = await t.api(
      'GET',
      `/api/v1/integration-health/history?before=${encodeURIComponent('0000-06-01T00:00:00Z')}`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.data.error).toMatchObject({ code: 'validation_error', details: [{ path: 'before' }] });
    // Offsets past PostgreSQL's 15:59 are still moments: read as UTC.
    for (const before of ['2026-12-01T00:00:00+23:59', '2026-12-01T09:00:00+05:30']) {
      const page = await t.api('GET', `/api/v1/integration-health/history?before=${encodeURIComponent(before)}`);
      expect(page.statusCode, before).toBe(200);
    }
  });

  it('refuses an audit log range from the year 0000 with 400 naming from', async () => {
    const res = await t.api('GET', `/api/v1/audit-log?from=${encodeURIComponent('0000-01-01T00:00:00Z')}`);
    expect(res.statusCode).toBe(400);
    expect(res.data.error).toMatchObject({ code: 'validation_error', details: [{ path: 'from' }] });
  });
});
