import { describe, expect, it } from 'vitest';
import { createJobRunner, type JobHandlers } from '../../src/jobs/runner.js';
import { SYSTEM_ACTOR } from '../../src/shared/audit.js';
import { fromDatabaseError } from '../../src/shared/database-errors.js';
import { setupApp } from '../helper.js';

const t = setupApp();
const usersWith = async (email: string) =>
  Number((await t.app.db('users').whereRaw('lower(email) = ?', [email]).count({ n: '*' }).first())!.n);

describe('unique and foreign-key violations', () => {
  it('lets one of ten parallel CSV applies adding the same email apply, and answers the others 409 naming the email', async () => {
    const file =
      'Email,First Name,Last Name,Role,Licenses,Operation\nsame@example.com,Same,Person,Member,Foundation,Add\n';
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.api('POST', '/api/v1/users/import?dryRun=false', { payload: file, headers: { 'content-type': 'text/csv' } }),
      ),
    );
    expect(answers.map((a) => a.statusCode).filter((s) => s >= 500)).toEqual([]);
    expect(answers.filter((a) => a.statusCode === 200 && a.data.applied)).toHaveLength(1);
    for (const a of answers.filter((x) => !(x.statusCode === 200 && x.data.applied))) {
      // The unique index stopped the write, or the apply found the email taken since its check (import_stale, naming
      // it), or the row was checked after the first apply committed.
      if (a.statusCode === 409 && a.data.error.code === 'import_stale') {
        expect(a.data.error.details).toEqual({ changed: ['same@example.com'] });
        expect(a.data.error.message).toContain('same@example.com');
      } else if (a.statusCode === 409) {
        expect(a.data.error).toMatchObject({ code: 'already_exists', details: { field: 'email' } });
        expect(a.data.error.message).toContain('email');
      } else {
        expect(a.statusCode).toBe(200);
        expect(a.data.errors[0]).toMatchObject({ column: 'Email', code: 'user_exists' });
      }
    }
    expect(await usersWith('same@example.com')).toBe(1);
  });

  it('creates one of ten parallel users with the same email and answers the others 409 naming the email', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.api('POST', '/api/v1/users', {
          body: {
            email: i % 2 ? 'Twin@Example.com' : 'twin@example.com',
            firstName: 'Twin',
            lastName: 'Person',
            role: 'member',
          },
        }),
      ),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    const refused = answers.filter((a) => a.statusCode !== 201);
    expect(refused.map((a) => a.statusCode)).toEqual(Array(9).fill(409));
    for (const a of refused) expect(a.data.error.details).toMatchObject({ field: 'email' });
    expect(await usersWith('twin@example.com')).toBe(1);
  });

  it('maps any unique or foreign-key violation from the database to 409 with the field, and no data exception to 400', async () => {
    const db = t.app.db;
    const refusal = (q: PromiseLike<unknown>) =>
      Promise.resolve(q).then(
        () => null,
        (err: unknown) => fromDatabaseError(err),
      );
    const admin = await db('users').where({ id: t.org.adminUserId }).first();
    const duplicate = await refusal(
      db('users').insert({ ...admin, id: undefined, email: admin.email.toUpperCase(), sf_user_id: null }),
    );
    expect(duplicate).toMatchObject({ statusCode: 409, code: 'already_exists', details: { field: 'email' } });
    const missingTeam = await refusal(
      db('users').where({ id: admin.id }).update({ team_id: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(missingTeam).toMatchObject({ statusCode: 409, code: 'reference_conflict', details: { field: 'teamId' } });
    const stillUsed = await refusal(db('configuration_profiles').where({ id: admin.profile_id }).delete());
    expect(stillUsed).toMatchObject({ statusCode: 409, code: 'reference_conflict', details: { field: 'id' } });
    // Schemas check every id, number and moment first: one the database refuses is the service's mistake.
    expect(await refusal(db('users').where({ id: 'not-a-uuid' }).first())).toBeNull();
    expect(await refusal(db.raw('select 1/0'))).toBeNull();
    expect(await refusal(db.raw("select '0000-01-01'::date"))).toBeNull();
    expect(fromDatabaseError(new Error('connection refused'))).toBeNull();
  });

  it('fails a job whose write meets a unique index with the same conflict naming the field, not "job failed"', async () => {
    const db = t.app.db;
    const admin = await db('users').where({ id: t.org.adminUserId }).first();
    // Any job's work may race another writer; this one adds a user whose email another request added first.
    const handlers = {
      'health.check': () =>
        db('users').insert({ ...admin, id: undefined, email: admin.email.toUpperCase(), sf_user_id: null }),
    } as unknown as JobHandlers;
    const jobs = createJobRunner({ db, queue: null, log: t.app.log, handlers });
    const started = await jobs.start(t.org.orgId, SYSTEM_ACTOR, 'health.check', {});
    let job = await jobs.get(t.org.orgId, started.id);
    for (let i = 0; i < 200 && job.state !== 'failed' && job.state !== 'succeeded'; i += 1) {
      await new Promise((r) => setTimeout(r, 25));
      job = await jobs.get(t.org.orgId, started.id);
    }
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'already_exists', details: { field: 'email' } });
    expect(job.error!.message).toContain('email');
    expect(await usersWith(admin.email.toLowerCase())).toBe(1);
  });
});
