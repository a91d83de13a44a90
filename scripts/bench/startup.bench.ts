import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './run.js';

const root = join(import.meta.dirname, '../..');

/**
 * From launching `npm start` (the compiled service on the embedded database, build up to date) until /health answers,
 * then until /docs answers and the demo org is ready. Twice: a fresh data folder (the migrated snapshot `npm install`
 * made is restored) and the same folder again (every later start). The whole process group is stopped after each start, as Ctrl-C would.
 */
async function startOnce(dataDir: string): Promise<{ health: number; docs: number; demo: number }> {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: '0', DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stdout += chunk));
  try {
    let base: string | undefined;
    let health = 0;
    while (!health) {
      if (performance.now() - started > 180_000) throw new Error(`no /health after 180 s:\n${stdout}`);
      base ??= /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (
        base &&
        (await fetch(`${base}/health`).then(
          (r) => r.ok,
          () => false,
        ))
      )
        health = performance.now() - started;
      else await new Promise((r) => setTimeout(r, 20));
    }
    const docs = await fetch(`${base}/docs`);
    if (!docs.ok) throw new Error(`/docs ${docs.status}`);
    const docsAt = performance.now() - started;
    // The demo org (its simulated Salesforce org started and connected) is printed once ready, after /health.
    while (!/API key: /.test(stdout)) {
      if (performance.now() - started > 180_000) throw new Error(`no demo org after 180 s:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { health, docs: docsAt, demo: performance.now() - started };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

const bench: Benchmark = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'roster-bench-'));
  try {
    const fresh = await startOnce(dataDir);
    const again = await startOnce(dataDir);
    return [
      {
        name: 'startup.npm_start_to_health.fresh_data_dir',
        value: fresh.health,
        unit: 'ms',
        target: '< 2000 ms (first start: restores the snapshot npm install made)',
        ok: fresh.health < 2000,
      },
      {
        name: 'startup.npm_start_to_health',
        value: again.health,
        unit: 'ms',
        target: '< 2000 ms',
        ok: again.health < 2000,
      },
      { name: 'startup.npm_start_to_docs', value: again.docs, unit: 'ms', target: '-' },
      { name: 'startup.npm_start_to_demo_org_ready', value: again.demo, unit: 'ms', target: 'informational' },
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
};
export default bench;
