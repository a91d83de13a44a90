/**
 * The service under soak, in its own process so its memory is measured alone: a fresh database (DATABASE_URL's
 * server, else a local PostgreSQL, else embedded), one org with a seeded roster, listening on loopback only.
 * Tells the parent its port and key, then sends a memory sample (after a full GC) whenever asked.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../sync-service/src/app.js';
import { loadConfig } from '../../sync-service/src/config.js';
import { createOrg } from '../../sync-service/src/orgs/service.js';
import { benchDatabase } from '../bench/users-list.bench.js';

const SEED_USERS = Number(process.env.SOAK_SEED_USERS ?? 2000);
const send = (message: unknown) => process.send!(message);

const database = await benchDatabase();
const app = await buildApp({
  config: loadConfig({
    LOG_LEVEL: 'silent',
    QUEUE_ENABLED: 'true',
    DEMO_ORG: 'false',
    ROSTER_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'roster-soak-')),
  }),
  databaseUrl: database.url,
  logger: false,
});
await app.ready();
const org = await createOrg(app.db, {
  name: 'Soak',
  admin: { email: 'admin@soak.example', firstName: 'Ada', lastName: 'Admin', sfUserId: '005SOAKADMIN000000' },
});
await app.db.raw(
  `INSERT INTO users (org_id, email, first_name, last_name, job_title, team_id, role, licenses, profile_id, status, source)
   SELECT ?, 'seed' || g || '@soak.example', 'First' || g, 'Last' || g, 'Rep', ?, 'member', ARRAY['foundation'], ?,
          'active', 'csv'
     FROM generate_series(1, ?) g`,
  [org.orgId, org.topTeamId, org.defaultProfileId, SEED_USERS],
);
await app.listen({ host: '127.0.0.1', port: 0 });

const sample = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
};

process.on('message', async (message: { type: string }) => {
  if (message.type === 'sample') send({ type: 'sample', ...sample() });
  if (message.type === 'stop') {
    await app.close();
    await database.drop();
    send({ type: 'stopped' });
    process.exit(0);
  }
});

send({
  type: 'ready',
  port: (app.server.address() as AddressInfo).port,
  apiKey: org.apiKey,
  adminEmail: 'admin@soak.example',
  adminSfUserId: '005SOAKADMIN000000',
  topTeamId: org.topTeamId,
  database: database.kind,
  ...sample(),
});
