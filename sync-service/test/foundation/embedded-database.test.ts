import { lstatSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.js';
import { build, type TestApp } from '../helper.js';

// Always the embedded database, whatever DATABASE_URL says: this is about PGlite's one shared session.
let embedded: EmbeddedPostgres;
let t: TestApp;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres();
  t = await build({ database: { url: embedded.url, kind: 'embedded', drop: embedded.stop } });
});

afterAll(async () => {
  await t?.close();
  await embedded?.stop();
});

const socketPath = () => join(embedded.socketDir, '.s.PGSQL.5432');
const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

/** A local client on the embedded socket; resolves with the error it was refused with, or null if it connected. */
async function tryConnect(password?: string): Promise<{ code?: string; message: string } | null> {
  const client = new pg.Client({ host: embedded.socketDir, user: 'postgres', database: 'postgres', password });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SET search_path TO nowhere');
    await client.end();
    return null;
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
}

const serviceStillSeesItsTables = async () => {
  const list = await t.api('GET', '/api/v1/users');
  expect(list.statusCode, list.body).toBe(200);
  expect(list.data.items.map((u: { email: string }) => u.email)).toContain(t.org.adminEmail);
  const created = await t.api('POST', '/api/v1/users', {
    body: { email: `after${Date.now()}@example.com`, firstName: 'Still', lastName: 'Writes', role: 'member' },
  });
  expect(created.statusCode, created.body).toBe(201);
};

describe('The embedded database is the service’s alone', () => {
  it('listens on a Unix socket that only its owner can reach, not on TCP', () => {
    expect(embedded.url).not.toMatch(/127\.0\.0\.1|localhost/);
    expect(lstatSync(embedded.socketDir).mode & 0o777).toBe(0o700);
    const socket = lstatSync(socketPath());
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
  });

  it('keeps the socket in the data directory when the service has one, and refuses a second owner', async () => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'roster-data-'));
    const own = await startEmbeddedPostgres({ dataDir: join(dataRoot, 'pgdata') });
    try {
      expect(own.socketDir).toBe(join(dataRoot, 'pgsocket'));
      expect(lstatSync(own.socketDir).mode & 0o777).toBe(0o700);
      const client = new pg.Client(own.url);
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.end();
      // A second process on the same data folder is refused, and the running one keeps its socket.
      await expect(startEmbeddedPostgres({ dataDir: join(dataRoot, 'pgdata') })).rejects.toThrow(/in use/);
      const again = new pg.Client(own.url);
      await again.connect();
      await again.end();
    } finally {
      await own.stop();
    }
  });

  it('refuses a local client without the service’s password, so its SET search_path never runs', async () => {
    expect(await tryConnect()).toMatchObject({ code: '28P01' });
    expect(await tryConnect('postgres')).toMatchObject({ code: '28P01' });
    await serviceStillSeesItsTables();
  });

  it('closes a client that skips the startup and password, running nothing it sent', async () => {
    const sql = Buffer.from('SET search_path TO nowhere\0');
    const query = Buffer.concat([Buffer.from([0x51]), Buffer.alloc(4), sql]);
    query.writeInt32BE(4 + sql.length, 1);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(socketPath());
      let got = '';
      socket.on('data', (d) => (got += d.toString('latin1')));
      socket.on('close', () => resolve(got));
      socket.on('error', () => {});
      socket.write(query);
    });
    expect(answer).toContain('28P01');
    await serviceStillSeesItsTables();
  });

  it('does not let a client that had the password leave its search_path, role or temporary tables behind', async () => {
    const client = new pg.Client({
      host: embedded.socketDir,
      user: 'postgres',
      database: 'postgres',
      password: passwordOf(embedded.url),
    });
    await client.connect();
    await client.query('CREATE ROLE fuzz_nobody');
    await client.query('CREATE TEMP TABLE users (id int)');
    await client.query('SET search_path TO nowhere');
    await client.query('SET default_transaction_read_only = on');
    await client.query('SET ROLE fuzz_nobody');
    await client.end();
    await serviceStillSeesItsTables();
  });
});
