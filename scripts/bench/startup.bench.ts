import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../sync-service/src/app.js';
import { loadConfig } from '../../sync-service/src/config.js';
import { startEmbeddedPostgres } from '../../sync-service/src/db/embedded.js';
import type { Benchmark } from './run.js';

/** Cold start on the embedded database: what `npm start` costs before it can answer. */
const bench: Benchmark = async () => {
  const started = performance.now();
  const embedded = await startEmbeddedPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'roster-bench-')) });
  const app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(join(tmpdir(), 'roster-bench-')) }),
    databaseUrl: embedded.url,
    logger: false,
  });
  await app.ready();
  const elapsed = performance.now() - started;
  await app.close();
  await embedded.stop();
  return [{ name: 'startup.embedded_cold_start', value: elapsed, unit: 'ms', target: '< 15000 ms', ok: elapsed < 15_000 }];
};
export default bench;
