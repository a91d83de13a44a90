import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';
import { startJob, waitForJob } from './support.js';

const t = setupApp();
// The second start is refused while the first is queued or running, however small the work.
const USERS = 3_000;

/** Many users at once, written by the database itself (the import's own speed is not what this tests). */
async function seedUsers(n: number) {
  const { orgId, topTeamId, defaultProfileId } = t.org;
  await t.app.db.raw(
    `INSERT INTO users (org_id, email, first_name, last_name, job_title, team_id, role, licenses, profile_id, status, source)
     SELECT ?, 'bulk' || g || '@example.com', 'First' || g, 'Last' || g, 'Rep', ?, 'member', ARRAY['foundation'], ?,
            'active', 'csv'
       FROM generate_series(1, ?) g`,
    [orgId, topTeamId, defaultProfileId, n],
  );
}

describe('a bulk change to every matching user, as a job the screen polls', () => {
  const everyone = { selection: { filters: {} }, change: { action: 'set_visibility', objectVisibility: 'team' } };

  it('changes every matching user in one job, refusing a second bulk change while it runs', async () => {
    await seedUsers(USERS);
    const count = await t.api('POST', '/api/v1/users/bulk', { body: { ...everyone, dryRun: true } });
    expect(count.data).toMatchObject({ matched: USERS + 1, changed: USERS + 1 });

    const job = await startJob(t, 'users.bulk', { ...everyone, expectedCount: USERS + 1 });
    const again = await t.api('POST', '/api/v1/jobs', {
      body: { kind: 'users.bulk', params: { ...everyone, expectedCount: USERS + 1 } },
    });
    expect(again.statusCode).toBe(409);
    expect(again.data.error).toMatchObject({ code: 'job_running', details: { jobId: job.id, kind: 'users.bulk' } });

    const done = await waitForJob(t, job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result).toEqual({ matched: USERS + 1, changed: USERS + 1, dryRun: false });
    expect(done.done).toBe(USERS + 1);
    const after = await t.api('POST', '/api/v1/users/bulk', { body: { ...everyone, dryRun: true } });
    expect(after.data).toMatchObject({ matched: USERS + 1, changed: 0 });
  });

  it('fails without writing when the selection no longer matches the count the admin confirmed', async () => {
    const job = await startJob(t, 'users.bulk', {
      selection: { filters: {} },
      change: { action: 'set_visibility', objectVisibility: 'full' },
      expectedCount: 3,
    });
    const done = await waitForJob(t, job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'selection_changed' });
    const unchanged = await t.api('POST', '/api/v1/users/bulk', {
      body: {
        selection: { filters: {} },
        change: { action: 'set_visibility', objectVisibility: 'team' },
        dryRun: true,
      },
    });
    expect(unchanged.data.changed).toBe(0);
  });
});
