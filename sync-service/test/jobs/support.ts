import { expect } from 'vitest';
import type { TestApp, TestOrg } from '../helper.js';

/** POST /api/v1/jobs, expecting it accepted (202, queued, with an id). */
export async function startJob(t: TestApp, kind: string, params: object = {}, org?: TestOrg) {
  const res = await t.api('POST', '/api/v1/jobs', { org, body: { kind, params } });
  expect(res.statusCode, res.body).toBe(202);
  expect(res.data).toMatchObject({ kind, state: 'queued', done: 0, result: null, error: null });
  return res.data as { id: string };
}

/** Polls the job as a screen would until it ends; `seen` collects every state read on the way. */
export async function waitForJob(t: TestApp, id: string, opts: { org?: TestOrg; seen?: any[]; ms?: number } = {}) {
  // Generous: on a machine shared by many test runs, a 4,500-user preview can take a minute.
  const until = Date.now() + (opts.ms ?? 180_000);
  for (;;) {
    const res = await t.api('GET', `/api/v1/jobs/${id}`, { org: opts.org });
    expect(res.statusCode, res.body).toBe(200);
    opts.seen?.push(res.data);
    if (res.data.state === 'succeeded' || res.data.state === 'failed') return res.data;
    if (Date.now() > until) throw new Error(`job ${id} still ${res.data.state} after waiting`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
