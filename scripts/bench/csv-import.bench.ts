import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKnex } from '../../sync-service/src/db/knex.js';
import { createOrg } from '../../sync-service/src/orgs/service.js';
import type { Benchmark } from './run.js';
import { benchDatabase } from './users-list.bench.js';

const ROWS = Number(process.env.CSV_BENCH_ROWS ?? 100_000);
const root = join(import.meta.dirname, '../..');

/** The service as production runs it (the build), in its own process, so its peak RSS is the service's alone. */
async function startService(databaseUrl: string) {
  // Profiling or comparing builds: BENCH_SERVICE_NODE_ARGS='--cpu-prof …', BENCH_SERVICE_ENTRY=<another build's server.js>.
  const args = [...(process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  args.push(process.env.BENCH_SERVICE_ENTRY ?? 'sync-service/dist/src/server.js');
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: databaseUrl,
      ROSTER_ENCRYPTION_KEY: randomBytes(32).toString('base64'), // required with DATABASE_URL
      DEMO_ORG: 'false',
      QUEUE_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'roster-bench-')),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code}:\n${out}`)));
  });
  const status = () => readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status())?.[1] ?? 0) / 1024;
  return {
    base,
    /** MB: VmHWM is the kernel's high-water mark of the process's resident set. */
    peakRss: () => kb('VmHWM'),
    rss: () => kb('VmRSS'),
    stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))),
  };
}

/** The file, made row by row as it is sent: neither side holds it whole. */
function csvBody(rows: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = -1;
  return new ReadableStream({
    pull(controller) {
      const lines: string[] = [];
      if (i < 0) {
        lines.push(
          'Email,First Name,Last Name,Job Title,Role,Team,Object Visibility,Licenses,Configuration Profile,Operation',
        );
        i = 0;
      }
      for (const end = Math.min(rows, i + 1000); i < end; i++) {
        lines.push(
          `user${i}@bench.example,First${i},"Last, ${i}",Account Executive,Member,Top-level team,Team,Foundation;PeopleGlass Enterprise,Default - Intake Off,Add`,
        );
      }
      if (lines.length) controller.enqueue(encoder.encode(`${lines.join('\r\n')}\r\n`));
      if (i >= rows) controller.close();
    },
  });
}

/** A 100k-row CSV import, dry run then apply, streamed over HTTP to the built service (issue 19's targets). */
const bench: Benchmark = async () => {
  const database = await benchDatabase();
  const service = await startService(database.url);
  const db = createKnex(database.url);
  try {
    const org = await createOrg(db, {
      name: 'CSV bench',
      admin: { email: 'admin@bench.example', firstName: 'Ada', lastName: 'Admin' },
    });
    const idleRss = service.rss();
    const run = async (dryRun: boolean) => {
      const started = performance.now();
      const res = await fetch(`${service.base}/api/v1/users/import?dryRun=${dryRun}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${org.apiKey}`,
          'x-roster-actor': 'admin@bench.example',
          'content-type': 'text/csv',
        },
        body: csvBody(ROWS),
        duplex: 'half',
      } as RequestInit);
      const report = await res.json();
      if (res.status !== 200 || report.errorCount !== 0 || report.summary.add !== ROWS)
        throw new Error(`import failed: ${res.status} ${JSON.stringify(report).slice(0, 300)}`);
      return (performance.now() - started) / 1000;
    };
    const dry = await run(true);
    const apply = await run(false);
    const peak = service.peakRss();
    const k = database.kind;
    return [
      { name: `csv_import.${k}.rows`, value: ROWS, unit: 'rows', target: '100000', ok: ROWS >= 100_000 },
      { name: `csv_import.${k}.dry_run`, value: dry, unit: 's', target: '-' },
      { name: `csv_import.${k}.apply`, value: apply, unit: 's', target: '< 10 s', ok: apply < 10 },
      { name: `csv_import.${k}.service_idle_rss`, value: idleRss, unit: 'MB', target: '-' },
      {
        name: `csv_import.${k}.service_peak_rss`,
        value: peak,
        unit: 'MB (whole service process, kernel high-water mark)',
        target: '< 400 MB',
        ok: peak < 400,
      },
    ];
  } finally {
    await db.destroy();
    await service.stop();
    await database.drop();
  }
};
export default bench;
