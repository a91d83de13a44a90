import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './run.js';

/** What `npm start` costs on a fresh machine: from launch until /health and /docs answer (embedded database). */
const bench: Benchmark = async () => {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: join(import.meta.dirname, '../../sync-service'),
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: '',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'roster-bench-')),
      LOG_LEVEL: 'warn',
    },
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  try {
    let base: string | undefined;
    while (!base) {
      if (performance.now() - started > 120_000) throw new Error(`not listening after 120 s:\n${stdout}`);
      base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      await new Promise((r) => setTimeout(r, 50));
    }
    const [health, docs] = await Promise.all([fetch(`${base}/health`), fetch(`${base}/docs`)]);
    if (!health.ok || !docs.ok) throw new Error(`/health ${health.status}, /docs ${docs.status}`);
    const elapsed = performance.now() - started;
    return [
      {
        name: 'startup.npm_start_to_health_and_docs',
        value: elapsed,
        unit: 'ms',
        target: '< 15000 ms',
        ok: elapsed < 15_000,
      },
    ];
  } finally {
    child.kill('SIGTERM');
  }
};
export default bench;
