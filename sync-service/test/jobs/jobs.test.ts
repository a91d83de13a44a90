import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { setupApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { smallOrg } from '../sync/org.js';
import { startJob, waitForJob } from './support.js';

describe('long operations as jobs the screens poll', () => {
  const t = setupApp();
  let fake: FakeSalesforce;
  beforeAll(async () => {
    fake = await connectFakeOrg(t, smallOrg(4500));
  });
  afterAll(async () => fake?.close());

  it('a failing job keeps the error the synchronous call would have answered (no profile besides the default)', async () => {
    const job = await startJob(t, 'mode.preview', { mode: 'automatic' });
    const done = await waitForJob(t, job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'profile_required' });
    expect(done.error.message).toContain('configuration profile');
    expect(done.result).toBeNull();
  });

  it('previewing Automatic Mode answers at once with a job whose progress counts the Salesforce users read, then the preview', async () => {
    await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } });
    // Each further page of users takes a while, as on a large org: long enough that a screen polling on a loaded
    // machine still sees a page's count between two progress writes (they are 250 ms apart).
    fake.control.injectFault({ route: 'queryMore', latencyMs: 900 });
    const seen: any[] = [];
    const job = await startJob(t, 'mode.preview', { mode: 'automatic' });
    const done = await waitForJob(t, job.id, { seen });
    fake.control.clearFaults();

    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result.users.create.length + done.omitted['users.create']).toBeGreaterThan(4000);
    const reading = seen.filter((s) => s.state === 'running' && s.phase === 'Reading Salesforce users');
    expect(reading.length).toBeGreaterThan(0);
    expect(reading.some((s) => s.done > 0 && s.done < s.total)).toBe(true);
    expect(reading.every((s) => s.total === 4501)).toBe(true);
  });

  it('cuts long lists of a result to listLimit and says how many were left out (Apex holds 6 MB)', async () => {
    const [last] = (await t.api('GET', '/api/v1/jobs?state=active')).data.items;
    expect(last).toBeUndefined();
    const job = await startJob(t, 'mode.preview', { mode: 'automatic' });
    await waitForJob(t, job.id);
    const whole = await t.api('GET', `/api/v1/jobs/${job.id}?listLimit=10000`);
    const res = await t.api('GET', `/api/v1/jobs/${job.id}?listLimit=100`);
    expect(res.data.result.users.create).toHaveLength(100);
    expect(res.data.result.users.create).toEqual(whole.data.result.users.create.slice(0, 100));
    expect(res.data.omitted['users.create']).toBe(whole.data.result.users.create.length - 100);
    expect(whole.data.omitted).toEqual({});
  });

  it('refuses to start the same job twice while it runs, answering with the running job’s id and whether it is this admin’s very request', async () => {
    fake.control.injectFault({ route: 'queryMore', latencyMs: 300 });
    const first = await startJob(t, 'mode.change', { mode: 'automatic', confirm: true });
    const again = await t.api('POST', '/api/v1/jobs', {
      body: { kind: 'mode.change', params: { mode: 'automatic', confirm: true } },
    });
    expect(again.statusCode).toBe(409);
    // The same request by the same admin (a double click, a second tab): theirs to follow.
    expect(again.data.error).toMatchObject({
      code: 'job_running',
      details: { jobId: first.id, kind: 'mode.change', sameRequest: true },
    });
    // A preview of the same switch waits too: it would read what the switch is changing.
    const preview = await t.api('POST', '/api/v1/jobs', { body: { kind: 'mode.preview', params: { mode: 'manual' } } });
    expect(preview.data.error.details).toMatchObject({ jobId: first.id, kind: 'mode.change', sameRequest: false });
    // Another admin asking for the very same switch is told it runs, not handed it as theirs.
    await t.app.db('users').insert({
      org_id: t.org.orgId,
      email: 'second.admin@example.com',
      role: 'admin',
      profile_id: t.org.defaultProfileId,
      source: 'manual',
    });
    const byOther = await t.api('POST', '/api/v1/jobs', {
      body: { kind: 'mode.change', params: { mode: 'automatic', confirm: true } },
      as: 'second.admin@example.com',
    });
    expect(byOther.statusCode).toBe(409);
    expect(byOther.data.error.details).toMatchObject({ jobId: first.id, sameRequest: false });

    const active = await t.api('GET', '/api/v1/jobs');
    expect(active.data.items.map((j: any) => j.id)).toEqual([first.id]);
    const other = await t.createOrg('Other');
    expect((await t.api('GET', '/api/v1/jobs', { org: other })).data.items).toEqual([]);
    expect((await t.api('GET', `/api/v1/jobs/${first.id}`, { org: other })).statusCode).toBe(404);

    const done = await waitForJob(t, first.id);
    fake.control.clearFaults();
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result.mode).toBe('automatic');
    expect(done.done).toBe(done.total);
    expect((await t.api('GET', '/api/v1/mode')).data.mode).toBe('automatic');
    expect((await t.api('GET', '/api/v1/jobs')).data.items).toEqual([]);
    // Once it has ended, the same job can start again.
    const back = await startJob(t, 'mode.change', { mode: 'manual', confirm: true });
    expect((await waitForJob(t, back.id)).result.mode).toBe('manual');
  });

  it('refuses unknown kinds and bad parameters with a 400 before anything starts', async () => {
    const unknown = await t.api('POST', '/api/v1/jobs', { body: { kind: 'mode.explode', params: {} } });
    expect(unknown.statusCode).toBe(400);
    const unconfirmed = await t.api('POST', '/api/v1/jobs', {
      body: { kind: 'mode.change', params: { mode: 'automatic' } },
    });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.data.error.code).toBe('validation_error');
    expect((await t.api('GET', '/api/v1/jobs/not-a-uuid')).statusCode).toBe(400);
    expect((await t.api('GET', '/api/v1/jobs')).data.items).toEqual([]);
  });

  it('imports the role hierarchy, re-applies rules and checks the integration user through jobs', async () => {
    const preview = await waitForJob(t, (await startJob(t, 'roles.import.preview')).id);
    expect(preview.state, JSON.stringify(preview.error)).toBe('succeeded');
    // No role is toggled on yet: every user is skipped, with the reason.
    expect(preview.result.users).toEqual([]);
    expect(
      preview.result.skipped.every((s: any) => s.reason === 'role_toggled_off' || s.reason === 'already_in_roster'),
    ).toBe(true);
    expect(preview.result.skipped.length + preview.omitted.skipped).toBeGreaterThan(4000);

    const health = await waitForJob(t, (await startJob(t, 'health.check')).id);
    expect(health.state, JSON.stringify(health.error)).toBe('succeeded');
    expect(health.result.overall).toBeDefined();
    expect(health.done).toBeGreaterThan(0);
    expect((await t.api('GET', '/api/v1/integration-health')).data.id).toBe(health.result.id);

    const reapplyPreview = await waitForJob(t, (await startJob(t, 'rules.reapply.preview')).id);
    expect(reapplyPreview.state, JSON.stringify(reapplyPreview.error)).toBe('succeeded');
    const stale = await waitForJob(
      t,
      (await startJob(t, 'rules.reapply', { confirm: true, previewToken: 'stale' })).id,
    );
    expect(stale.error.code).toBe('preview_stale');
    const reapply = await waitForJob(
      t,
      (await startJob(t, 'rules.reapply', { confirm: true, previewToken: reapplyPreview.result.previewToken })).id,
    );
    // The token matched; the service's own guard answered, as the synchronous route would.
    expect(reapply.state).toBe('failed');
    expect(reapply.error.code).toBe('no_admin_left');
  });
});
