import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

// Bodies and parameters a confused or hostile caller might send to any route.
const bodies: unknown[] = [
  undefined,
  {},
  [],
  'text',
  42,
  null,
  { id: 1, name: ['x'], email: 'not-an-email', ids: 'x', confirm: 'yes' },
];
const ids = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', "x'; drop table users; --", '%00'];
const queries = ['', '?limit=-1&cursor=%%%&sort=%27&dryRun=maybe&status=nope', '?limit=99999999999999999999'];

describe('bad input to any route', () => {
  const t = setupApp();

  it('never yields a 5xx, on every route of the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const failures: string[] = [];
    let calls = 0;
    for (const [path, operations] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(operations).map((m) => m.toUpperCase())) {
        if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
        for (const id of ids) {
          const url = path.replace(/\{[^}]+\}/g, encodeURIComponent(id));
          for (const query of queries) {
            for (const body of method === 'GET' || method === 'DELETE' ? [undefined] : bodies) {
              calls += 1;
              const res = await t.api(method as 'GET', `${url}${query}`, {
                ...(body === undefined
                  ? {}
                  : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
              });
              if (res.statusCode >= 500)
                failures.push(
                  `${method} ${url}${query} ${JSON.stringify(body)} -> ${res.statusCode} ${res.body.slice(0, 200)}`,
                );
              else if (res.statusCode >= 400) expect(res.data?.error?.code, `${method} ${url}`).toBeTruthy();
            }
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  }, 300_000);
});
