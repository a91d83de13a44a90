import { PassThrough } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { freshDatabase, type TestDatabase } from '../db.js';
import { TEST_ENCRYPTION_KEY } from '../helper.js';

describe('logs', () => {
  let database: TestDatabase;
  let app: App;
  const lines: string[] = [];
  beforeAll(async () => {
    database = await freshDatabase();
    const stream = new PassThrough();
    stream.on('data', (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean)));
    app = await buildApp({
      config: loadConfig({
        LOG_LEVEL: 'info',
        QUEUE_ENABLED: 'false',
        ROSTER_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'roster-log-')),
      }),
      databaseUrl: database.url,
      logStream: stream,
    });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('are JSON lines with secrets redacted', async () => {
    app.log.info(
      { connection: { refreshToken: 'rt-very-secret', clientSecret: 'cs-very-secret', clientId: 'visible-id' } },
      'saved connection',
    );
    await app.inject({ method: 'GET', url: '/api/v1/health', headers: { authorization: 'Bearer rst_leaky-key' } });
    await new Promise((r) => setImmediate(r));
    const text = lines.join('\n');
    expect(lines.every((l) => typeof JSON.parse(l) === 'object')).toBe(true);
    expect(text).toContain('visible-id');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('rt-very-secret');
    expect(text).not.toContain('cs-very-secret');
    expect(text).not.toContain('rst_leaky-key');
  });
});
