import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

describe('health endpoints', () => {
  const t = setupApp();

  it('answers liveness without authentication', async () => {
    const res = await t.api('GET', '/health', { key: null, as: null });
    expect(res.statusCode).toBe(200);
    expect(res.data).toEqual({ status: 'ok' });
  });

  it("reports the database, the queue and the org's integration status to an authenticated caller", async () => {
    const res = await t.api('GET', '/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(res.data).toEqual({
      database: 'ok',
      queue: 'disabled',
      integration: { overall: 'unknown', checkedAt: null },
      managementMode: 'manual',
      sync: { state: 'manual', message: null, missing: [] },
    });
  });

  it('serves the OpenAPI document at /docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/v1/health');
  });
});
