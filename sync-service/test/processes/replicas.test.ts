import { afterAll, describe, expect, it } from 'vitest';
import { createKnex } from '../../src/db/knex.js';
import { createOrg } from '../../src/orgs/service.js';
import { databaseOnServer, type TestDatabase } from '../db.js';
import { generateOrg, startFakeSalesforce, type FakeSalesforce } from '@roster/fake-salesforce';
import { startFakeGraph, type FakeGraph } from '@roster/fake-graph';
import { sleep, startServiceProcess, waitFor, type ServiceProcess } from './service-process.js';

const ORGS = 3;
const PROBE_SECONDS = 6;

// Replicas share one PostgreSQL server, so this runs where CI has one (DATABASE_URL); PGlite is in-process only.
describe.skipIf(!process.env.DATABASE_URL || !process.env.ROSTER_PROCESS_TESTS)(
  'three service processes on one PostgreSQL server',
  () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c().catch(() => {});
    });

    it('share Automatic Mode and mailbox probing for several orgs, and lose nothing when one is killed mid-work', async () => {
      const database: TestDatabase = await databaseOnServer(process.env.DATABASE_URL!, 'roster_replicas');
      cleanups.push(database.drop);
      const graph: FakeGraph = await startFakeGraph({ latencyMs: 30 });
      cleanups.push(graph.close);
      const fakes: FakeSalesforce[] = [];
      for (let i = 0; i < ORGS; i++) {
        const fixture = generateOrg({ users: 60, roles: 8, depth: 3, seed: 11 + i });
        for (const user of fixture.users) graph.addUser(String(user.Email), 'ok');
        const fake = await startFakeSalesforce({ org: fixture });
        // Each Salesforce call takes a while, so a killed replica is likely to die inside a sync.
        fake.control.injectFault({ rate: 1, latencyMs: 150 });
        fakes.push(fake);
        cleanups.push(fake.close);
      }

      // Started together: they race to migrate the empty database, and exactly one does.
      const env = {
        MAILBOX_CUSTOM_ENDPOINTS: 'true',
        MAILBOX_INTERVAL_SECONDS: String(PROBE_SECONDS),
        MAILBOX_TICK_SECONDS: '1',
        MAILBOX_RECHECK_SECONDS: '1',
        MAILBOX_TEST_ACCESS_PER_MINUTE: '1000',
      };
      const replicas: ServiceProcess[] = await Promise.all([0, 1, 2].map(() => startServiceProcess(database.url, env)));
      cleanups.push(async () => Promise.all(replicas.map((r) => r.child.kill('SIGKILL'))));

      const db = createKnex(database.url);
      cleanups.push(() => db.destroy());
      const orgs: { id: string; auth: { apiKey: string; admin: string }; fake: FakeSalesforce }[] = [];
      for (let i = 0; i < ORGS; i++) {
        const admin = `admin@org${i}.test`;
        const created = await createOrg(db, {
          name: `Org ${i}`,
          admin: { email: admin, firstName: 'Ada', lastName: `Org${i}` },
        });
        const auth = { apiKey: created.apiKey, admin };
        const via = replicas[i % 3]!;
        const c = fakes[i]!.credentials;
        const connected = await via.api('PUT', '/api/v1/salesforce/connection', auth, {
          authKind: 'jwt',
          loginUrl: c.loginUrl,
          clientId: c.clientId,
          username: c.username,
          privateKey: c.privateKeyPem,
        });
        expect(connected.status, JSON.stringify(connected.data)).toBe(200);
        const provider = await via.api('PUT', '/api/v1/mailbox/provider', auth, {
          provider: 'microsoft',
          tenantId: graph.tenantId,
          clientId: graph.clientId,
          clientSecret: graph.clientSecret,
          authorityUrl: graph.authorityUrl,
          graphUrl: graph.graphUrl,
        });
        expect(provider.status, JSON.stringify(provider.data)).toBe(200);
        expect((await via.api('PATCH', '/api/v1/org/settings', auth, { syncPollSeconds: 10 })).status).toBe(200);
        expect((await via.api('POST', '/api/v1/profiles', auth, { name: 'Sales' })).status).toBe(201);
        const mode = await via.api('PUT', '/api/v1/mode', auth, { mode: 'automatic', confirm: true });
        expect(mode.status, JSON.stringify(mode.data)).toBeLessThan(300);
        orgs.push({ id: created.orgId, auth, fake: fakes[i]! });
      }

      // Every org's users arrive and every capturing user is probed at least once.
      for (const org of orgs) {
        await waitFor(
          'users synced and probed',
          async () => {
            const users = await db('users')
              .where({ org_id: org.id })
              .whereNotNull('sf_user_id')
              .count({ n: '*' })
              .first();
            const unprobed = await db('users as u')
              .leftJoin('mailbox_probe_state as p', 'p.user_id', 'u.id')
              .where('u.org_id', org.id)
              .whereNot('u.role', 'data')
              .whereNot('u.status', 'suspended')
              .whereNull('p.last_checked_at')
              .count({ n: '*' })
              .first();
            return Number(users?.n) > 10 && Number(unprobed?.n) === 0;
          },
          120_000,
        );
      }
      // Let the replicas share a few intervals of steady work, then kill one outright, as an OOM kill would.
      await sleep(PROBE_SECONDS * 2 * 1000);
      const killedAt = new Date();
      replicas[1]!.child.kill('SIGKILL');
      await replicas[1]!.exited;

      // Work goes on: a user added in each org after the kill reaches Roster, through whichever replica is left.
      const profileId = (org: (typeof orgs)[number]) =>
        (org.fake.control.record(org.fake.credentials.userId) as { ProfileId: string }).ProfileId;
      const added = orgs.map((org, i) => {
        const email = `after.kill${i}@org${i}.test`;
        graph.addUser(email, 'ok');
        org.fake.control.addUser({
          LastName: `Afterkill${i}`,
          FirstName: 'New',
          Email: email,
          ProfileId: profileId(org),
        });
        return email;
      });
      for (const [i, org] of orgs.entries()) {
        await waitFor(
          `${added[i]} synced after the kill`,
          async () => db('users').where({ org_id: org.id, email: added[i] }).first('id'),
          150_000,
        );
      }
      await sleep(PROBE_SECONDS * 3 * 1000);
      const endedAt = new Date();

      for (const org of orgs) {
        // One sync at a time per org, across all three processes: finished runs never overlap.
        const runs: { started_at: Date; finished_at: Date }[] = await db('sync_runs')
          .where({ org_id: org.id })
          .whereNotIn('outcome', ['running', 'interrupted'])
          .orderBy('started_at')
          .select('started_at', 'finished_at');
        expect(runs.length).toBeGreaterThan(2);
        for (let i = 1; i < runs.length; i++)
          expect(runs[i]!.started_at.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.finished_at.getTime());

        // Nothing duplicated: one Roster user per Salesforce user.
        const dupes = await db('users')
          .where({ org_id: org.id })
          .whereNotNull('sf_user_id')
          .groupBy('sf_user_id')
          .havingRaw('count(*) > 1')
          .select('sf_user_id');
        expect(dupes).toEqual([]);

        // Each healthy user probed once per interval: never twice within one, and never left out for more than
        // one interval beyond its own, even around the kill (a claimed batch that died is picked up next slot).
        // A user's first probe is followed by its slot in the interval, which may come sooner: that gap is skipped.
        const since = new Date(killedAt.getTime() - PROBE_SECONDS * 2000);
        const probes: { user_id: string; probed_at: Date; first: Date }[] = await db('mailbox_probe_results as r')
          .where('r.org_id', org.id)
          .where('r.probed_at', '>', since)
          .select(
            'r.user_id',
            'r.probed_at',
            db.raw('(select min(f.probed_at) from mailbox_probe_results f where f.user_id = r.user_id) as first'),
          )
          .orderBy(['r.user_id', 'r.probed_at']);
        const byUser = new Map<string, { times: number[]; first: number }>();
        for (const p of probes) {
          const entry = byUser.get(p.user_id) ?? { times: [], first: new Date(p.first).getTime() };
          entry.times.push(p.probed_at.getTime());
          byUser.set(p.user_id, entry);
        }
        expect(byUser.size).toBeGreaterThan(10);
        const problems: string[] = [];
        for (const [user, { times, first }] of byUser) {
          for (let i = 1; i < times.length; i++) {
            const gap = (times[i]! - times[i - 1]!) / 1000;
            if (gap < PROBE_SECONDS * 0.5 && !(i === 1 && times[0] === first))
              problems.push(`${user} twice in ${gap} s`);
            if (gap > PROBE_SECONDS * 2 + 60) problems.push(`${user} left out for ${gap} s`);
          }
          const idle = (endedAt.getTime() - times.at(-1)!) / 1000;
          if (idle > PROBE_SECONDS * 2 + 60) problems.push(`${user} not probed for the last ${idle} s`);
        }
        expect(problems).toEqual([]);
      }
      for (const r of [replicas[0]!, replicas[2]!]) r.child.kill('SIGTERM');
      expect(await replicas[0]!.exited).toBe(0);
      expect(await replicas[2]!.exited).toBe(0);
    }, 480_000);
  },
);
