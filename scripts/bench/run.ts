/**
 * `npm run bench`: runs every `scripts/bench/*.bench.ts` (or those named on the command line) and prints
 * one line per measurement: `name: value unit (target ...)`.
 */
import { readdirSync } from 'node:fs';
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

for (const file of files) {
  console.log(`# ${file}`);
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
