import { afterAll, describe, expect, it } from 'vitest';
import { createKnex } from '../../src/db/knex.js';
import { claimLeaseSeconds } from '../../src/mailbox/repo.js';
import { createOrg } from '../../src/orgs/service.js';
import { databaseOnServer, type TestDatabase } from '../db.js';
import { generateOrg, startFakeSalesforce, type FakeSalesforce } from '@roster/fake-salesforce';
import { startFakeGraph, type FakeGraph } from '@roster/fake-graph';
import { sleep, startServiceProcess, waitFor, type LogLine, type ServiceProcess } from './service-process.js';
import { probeProblems, syncProblems } from './replicas-checks.js';

const ORGS = 3;
// Long enough that a claim's lease (a tenth of it) plus a tick is well short of the next slot.
const PROBE_SECONDS = 12;
const TICK_SECONDS = 1;

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
      const graph: FakeGraph = await startFakeGraph({ latencyMs: 300 });
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
        MAILBOX_TICK_SECONDS: String(TICK_SECONDS),
        MAILBOX_RECHECK_SECONDS: '1',
        MAILBOX_TEST_ACCESS_PER_MINUTE: '1000',
        // Each sync run and probe batch logged with the process's pid: which process did what, and what was in flight.
        LOG_LEVEL: 'debug',
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
      const observedFrom = new Date();
      const logs = (): LogLine[] => replicas.flatMap((r) => r.logs());
      const pids = replicas.map((r) => r.child.pid!);

      // The work is shared: each process records probe batches and runs scheduled syncs (not only the enabling run
      // its request made) before one of them is killed.
      const idle = () => {
        const lines = logs();
        const scheduled = new Set(
          lines.filter((l) => l.msg === 'salesforce sync started' && l.kind !== 'enable').map((l) => l.runId),
        );
        return pids.filter(
          (pid) =>
            // Some of the work, of either kind: which process wins a given org's sync is chance (CI saw one win none).
            !lines.some((l) => l.pid === pid && l.msg === 'mailbox probe batch recorded') &&
            !lines.some((l) => l.pid === pid && l.msg === 'salesforce sync finished' && scheduled.has(l.runId)),
        );
      };
      await waitFor('each process probing and running scheduled syncs', async () => idle().length === 0, 120_000);
      await sleep(PROBE_SECONDS * 1000);

      // Killed outright (as an OOM kill would) the moment it sends a probe batch: Graph answers after 300 ms, so the
      // batch is in flight.
      const victim = replicas[1]!;
      const victimPid = victim.child.pid!;
      let offset = victim.output().length;
      let inFlight: LogLine | undefined;
      const until = Date.now() + 60_000;
      while (!inFlight) {
        if (Date.now() > until) throw new Error('the process sent no probe batch within 60 s');
        const fresh = victim.output().slice(offset);
        const at = fresh.indexOf('"msg":"mailbox probe batch sent"');
        if (at >= 0) {
          victim.child.kill('SIGKILL');
          const lineStart = victim.output().lastIndexOf('\n', offset + at) + 1;
          inFlight = JSON.parse(
            victim.output().slice(lineStart, victim.output().indexOf('\n', offset + at)),
          ) as LogLine;
        } else {
          offset += Math.max(0, fresh.lastIndexOf('\n'));
          await sleep(10);
        }
      }
      const killedAt = new Date();
      await victim.exited;
      expect((inFlight.users as string[]).length).toBeGreaterThan(0);
      // Every batch the killed process sent and never recorded (its other org worker may have had one out too): an
      // org's batches are sent one after another, so its last batch sent after its last recorded one.
      const lost = new Map<string, string[]>();
      for (const line of victim.logs()) {
        const orgId = String(line.orgId);
        if (line.msg === 'mailbox probe batch sent') lost.set(orgId, line.users as string[]);
        if (line.msg === 'mailbox probe batch recorded') lost.delete(orgId);
      }
      expect(lost.get(String(inFlight.orgId))).toEqual(inFlight.users);

      // Work goes on: a user added in each org after the kill reaches Roster, through whichever process is left.
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
      // Two full intervals more: whoever is left probes every org on its slots, the killed process's org included.
      await sleep(PROBE_SECONDS * 2000 + 2000);
      const endedAt = new Date();
      const lines = logs();

      // The batch in flight was never recorded: the kill landed mid-batch.
      expect(
        lines.filter((l) => l.pid === victimPid && l.time >= inFlight.time && l.msg === 'mailbox probe batch recorded'),
      ).toEqual([]);

      for (const org of orgs) {
        const runs: { id: string; started_at: Date; finished_at: Date | null; outcome: string }[] = await db(
          'sync_runs',
        )
          .where({ org_id: org.id })
          .orderBy('started_at')
          .select('id', 'started_at', 'finished_at', 'outcome');
        expect(runs.length).toBeGreaterThan(2);
        expect(syncProblems({ runs, lines, victimPid, killedAt: killedAt.getTime() })).toEqual([]);

        // Nothing duplicated: one Roster user per Salesforce user.
        const dupes = await db('users')
          .where({ org_id: org.id })
          .whereNotNull('sf_user_id')
          .groupBy('sf_user_id')
          .havingRaw('count(*) > 1')
          .select('sf_user_id');
        expect(dupes).toEqual([]);

        const probes: { user_id: string; probed_at: Date; slot_offset: number }[] = await db('mailbox_probe_results')
          .where('org_id', org.id)
          .where('probed_at', '>', observedFrom)
          .select(
            'user_id',
            'probed_at',
            // Each user's fixed offset in the interval, as the claim computes it (mailbox/repo.ts nextSlot).
            db.raw('mod(abs(hashtext(user_id::text)::bigint), ?)::int as slot_offset', [PROBE_SECONDS]),
          )
          .orderBy(['user_id', 'probed_at']);
        expect(new Set(probes.map((p) => p.user_id)).size).toBeGreaterThan(50);
        expect(
          probeProblems({
            probes,
            intervalSeconds: PROBE_SECONDS,
            endedAt: endedAt.getTime(),
            killedAt: killedAt.getTime(),
            inFlight: lost.has(org.id) ? { users: lost.get(org.id)! } : null,
            // The lease, a tick and a loaded machine's slack (6.2 s); without the lease they would wait for their next
            // slot, 9 s or more after the kill.
            reprobeWithinMs: (claimLeaseSeconds(PROBE_SECONDS) + TICK_SECONDS + 4) * 1000,
          }),
        ).toEqual([]);
      }
      for (const r of [replicas[0]!, replicas[2]!]) r.child.kill('SIGTERM');
      expect(await replicas[0]!.exited).toBe(0);
      expect(await replicas[2]!.exited).toBe(0);
    }, 600_000);
  },
);
