/**
 * `npm run bench`: runs every `scripts/bench/*.bench.ts` (or those named on the command line) and prints
 * one line per measurement: `name: value unit (target ...)`.
 */
import { readdirSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Measurement {
  name: string;
  value: number;
  unit: string;
  target: string;
  /** Whether the value meets the target; printed as a mark, never fails the run. */
  ok?: boolean;
}

export type Benchmark = () => Promise<Measurement[]>;

const dir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

// The machine is shared: the load average beside each file says how much of it the run had.
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(
  `# machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB ` +
    `(${Math.round(freemem() / 2 ** 30)} free), Node ${process.version}, ${new Date().toISOString()}`,
);

for (const file of files) {
  console.log(`# ${file} (load average ${load()})`);
  const bench: Benchmark = (await import(pathToFileURL(join(dir, file)).href)).default;
  try {
    for (const m of await bench()) {
      const mark = m.ok === undefined ? '' : m.ok ? ' ok' : ' MISSED';
      console.log(
        `${m.name}: ${Number.isInteger(m.value) ? m.value : m.value.toFixed(2)} ${m.unit} (target ${m.target})${mark}`,
      );
    }
  } catch (err) {
    console.log(`${file}: failed: ${(err as Error).stack}`);
    process.exitCode = 1;
  }
}
