import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();

describe('integration health endpoints without a Salesforce connection', () => {
  it('says no check has run yet', async () => {
    const res = await t.api('GET', '/api/v1/integration-health');
    expect(res.statusCode).toBe(404);
    expect(res.data.error.code).toBe('not_found');
    expect(res.data.error.message).toMatch(/POST \/api\/v1\/integration-health/);
  });

  it('refuses a re-run with salesforce_not_connected until Salesforce is connected', async () => {
    const res = await t.api('POST', '/api/v1/integration-health');
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('salesforce_not_connected');
  });

  it('has an empty history, and rejects a bad page size', async () => {
    const res = await t.api('GET', '/api/v1/integration-health/history');
    expect(res.statusCode).toBe(200);
    expect(res.data).toEqual({ results: [] });
    const bad = await t.api('GET', '/api/v1/integration-health/history?limit=0');
    expect(bad.statusCode).toBe(400);
  });

  it('needs an admin to re-run', async () => {
    const res = await t.api('POST', '/api/v1/integration-health', { as: null });
    expect(res.statusCode).toBe(403);
  });
});
