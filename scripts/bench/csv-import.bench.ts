import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { InjectOptions } from 'fastify';
import type { Benchmark } from './run.js';
import { benchApp, benchDatabase } from './users-list.bench.js';

const ROWS = 50_000;

// A full collection on demand, so live memory can be told apart from garbage V8 has not collected yet.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Peak RSS of the whole process (app included, GC left alone) and peak live heap growth (sampled after full GCs). */
async function peakMemory(
  work: () => Promise<unknown>,
  forceGc: boolean,
): Promise<{ rssMb: number; liveGrowthMb: number }> {
  if (forceGc) gc();
  const base = process.memoryUsage().heapUsed;
  let rss = process.memoryUsage().rss;
  let live = base;
  const sample = () => {
    if (forceGc) gc();
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    live = Math.max(live, m.heapUsed);
  };
  const timer = setInterval(sample, forceGc ? 100 : 20);
  try {
    await work();
    sample();
  } finally {
    clearInterval(timer);
  }
  return { rssMb: rss / 1048576, liveGrowthMb: (live - base) / 1048576 };
}

/** A 50k-row CSV import: dry run, then apply (SPEC targets: under 30 s and under 300 MB). */
const bench: Benchmark = async () => {
  const database = await benchDatabase();
  const { app, org } = await benchApp(database.url);
  try {
    const lines = [
      'Email,First Name,Last Name,Job Title,Role,Team,Object Visibility,Licenses,Configuration Profile,Operation',
    ];
    for (let i = 0; i < ROWS; i++) {
      lines.push(
        `user${i}@bench.example,First${i},"Last, ${i}",Account Executive,Member,Top-level team,Team,Foundation;PeopleGlass Enterprise,Default - Intake Off,Add`,
      );
    }
    const file = lines.join('\r\n');
    const run = async (dryRun: boolean, apiKey: string, actor: string) => {
      const started = performance.now();
      const request: InjectOptions = {
        method: 'POST',
        url: `/api/v1/users/import?dryRun=${dryRun}`,
        headers: { authorization: `Bearer ${apiKey}`, 'x-roster-actor': actor, 'content-type': 'text/csv' },
        payload: file,
      };
      const res = await app.inject(request);
      const report = res.json();
      if (res.statusCode !== 200 || report.errorCount !== 0 || report.summary.add !== ROWS) {
        throw new Error(`import failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
      }
      return (performance.now() - started) / 1000;
    };

    // Timed pass with memory as a production process would see it.
    let dry = 0;
    let apply = 0;
    const natural = await peakMemory(async () => {
      dry = await run(true, org.apiKey, 'admin@bench.example');
      apply = await run(false, org.apiKey, 'admin@bench.example');
    }, false);
    // Second pass into a fresh org, sampling live memory after full collections.
    const { createOrg } = await import('../../sync-service/src/orgs/service.js');
    const second = await createOrg(app.db, {
      name: 'Bench 2',
      admin: { email: 'admin2@bench.example', firstName: 'B', lastName: 'B' },
    });
    const live = await peakMemory(async () => {
      await run(true, second.apiKey, 'admin2@bench.example');
      await run(false, second.apiKey, 'admin2@bench.example');
    }, true);

    const k = database.kind;
    return [
      { name: `csv_import.${k}.dry_run_50k`, value: dry, unit: 's', target: '-' },
      { name: `csv_import.${k}.apply_50k`, value: apply, unit: 's', target: '-' },
      { name: `csv_import.${k}.total_50k`, value: dry + apply, unit: 's', target: '< 30 s', ok: dry + apply < 30 },
      {
        name: `csv_import.${k}.peak_live_heap_growth`,
        value: live.liveGrowthMb,
        unit: 'MB',
        target: '< 300 MB',
        ok: live.liveGrowthMb < 300,
      },
      {
        name: `csv_import.${k}.peak_process_rss_incl_app`,
        value: natural.rssMb,
        unit: 'MB',
        target: '- (informational: whole service, lazy GC)',
      },
    ];
  } finally {
    await app.close();
    await database.drop();
  }
};
export default bench;
