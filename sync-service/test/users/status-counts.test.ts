import { describe, expect, it } from 'vitest';
import { StatusCounts } from '../../src/users/schemas.js';
import { setupApp, type TestOrg } from '../helper.js';

const t = setupApp();

const STATUSES = ['pending', 'onboarding', 'active', 'permission_error', 'suspended'] as const;

/** Small seeded generator, so a failing run can be replayed from the seed in its message. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

async function recount(orgId: string) {
  const rows: { status: string; n: number }[] = await t.app
    .db('users')
    .where({ org_id: orgId })
    .select('status', t.app.db.raw('count(*)::int AS n'))
    .groupBy('status');
  const n = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  return {
    total: rows.reduce((sum, r) => sum + r.n, 0),
    pending: n.pending ?? 0,
    onboarding: n.onboarding ?? 0,
    permissionErrors: n.permission_error ?? 0,
    active: n.active ?? 0,
    suspended: n.suspended ?? 0,
  };
}

describe('status counts', () => {
  it('match a recount after many concurrent writers, rolled-back changes and readers', async () => {
    const seed = Number(process.env.COUNTS_SEED ?? Date.now() % 1_000_000);
    const rnd = random(seed);
    const orgs: TestOrg[] = [t.org, await t.createOrg('Other')];
    let created = 0;

    // One random step: an admin's change through the API, a set-based status change of the kind the mailbox monitor
    // and the sync make, a transaction that changes statuses and rolls back, or a read (which may fold the deltas).
    const step = async () => {
      const org = rnd.pick(orgs);
      const db = t.app.db;
      const someUsers = (k: number) =>
        db('users').where({ org_id: org.orgId, role: 'member' }).orderByRaw('random()').limit(k).pluck('id');
      switch (rnd.int(7)) {
        case 0:
        case 1: {
          created += 1;
          const res = await t.api('POST', '/api/v1/users', {
            org,
            body: {
              email: `u${created}-${seed}@example.com`,
              firstName: 'Una',
              lastName: `User${created}`,
              role: 'member',
            },
          });
          expect(res.statusCode, res.body).toBe(201);
          return;
        }
        case 2: {
          const ids = await someUsers(1 + rnd.int(20));
          await db('users')
            .whereIn('id', ids)
            .update({ status: rnd.pick(STATUSES) });
          return;
        }
        case 3: {
          const [id] = await someUsers(1);
          if (!id) return;
          const res = await t.api('POST', `/api/v1/users/${id}/${rnd.next() < 0.5 ? 'suspend' : 'reactivate'}`, {
            org,
            body: rnd.next() < 0.5 ? { reason: 'leave' } : undefined,
          });
          expect(res.statusCode, res.body).toBeLessThan(500);
          return;
        }
        case 4: {
          const [id] = await someUsers(1);
          if (!id) return;
          const user = await db('users').where({ id }).first('email');
          if (!user) return;
          const res = await t.api('DELETE', `/api/v1/users/${id}?confirm=${encodeURIComponent(user.email)}`, { org });
          expect(res.statusCode, res.body).toBeLessThan(500);
          return;
        }
        case 5: {
          const ids = await someUsers(1 + rnd.int(10));
          await db
            .transaction(async (trx) => {
              await trx('users')
                .whereIn('id', ids)
                .update({ status: rnd.pick(STATUSES) });
              await trx('users').whereIn('id', ids.slice(0, 2)).delete();
              throw new Error('roll back');
            })
            .catch(() => {});
          return;
        }
        default: {
          const res = await t.api('GET', '/api/v1/users/counts', { org });
          expect(res.statusCode, res.body).toBe(200);
        }
      }
    };

    const worker = async () => {
      for (let i = 0; i < 40; i++) await step();
    };
    await Promise.all(Array.from({ length: 6 }, worker));

    for (const org of orgs) {
      const kept = (await t.api('GET', '/api/v1/users/counts', { org })).data;
      expect(kept, `seed ${seed}`).toEqual(await recount(org.orgId));
      // The route's serializer does not check the body against the schema on each request: this does.
      expect(StatusCounts.parse(kept)).toEqual(kept);
      expect(kept.total, `seed ${seed}`).toBeGreaterThan(1);
    }
    // Reading folded the deltas into a few rows; the counts are unchanged by it.
    const rows = await t.app.db('user_status_counts').where({ org_id: t.org.orgId }).count({ n: '*' }).first();
    expect(Number(rows!.n)).toBeLessThanOrEqual(64 + 240);
    expect((await t.api('GET', '/api/v1/users/counts')).data).toEqual(await recount(t.org.orgId));
  });

  it('go with a deleted org', async () => {
    const other = await t.createOrg('Leaving');
    await t.api('POST', '/api/v1/users', {
      org: other,
      body: { email: 'bye@example.com', firstName: 'Bye', lastName: 'User', role: 'member' },
    });
    await t.app.db('orgs').where({ id: other.orgId }).delete();
    expect(await t.app.db('user_status_counts').where({ org_id: other.orgId })).toEqual([]);
  });
});
