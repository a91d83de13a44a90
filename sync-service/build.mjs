// `npm run build`: the service as JavaScript in dist/ (one file per source file, same layout), for `npm start` and
// production (`node sync-service/dist/src/server.js`). esbuild only transpiles (a third of a second of CPU; tsc's emit
// took 25 s here, most of it reading googleapis' types); type checking stays with `npm run typecheck`. The demo org's
// Salesforce fake is built too, into dist/test/, so `npm start`'s demo works from the build.
// `--if-stale` (what `npm start` runs) rebuilds only when a source file or folder is newer than the last build.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const roots = ['src', 'test/fake-salesforce'];
const dist = join(here, 'dist');
const stamp = join(dist, '.built');

const files = roots.flatMap((root) =>
  [root, ...readdirSync(join(here, root), { recursive: true }).map((f) => join(root, f))].map((f) => join(here, f)),
);

function stale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  // Folders count too: deleting or renaming a file changes its folder's time.
  return [import.meta.filename, ...files].some((f) => statSync(f).mtimeMs > built);
}

if (!process.argv.includes('--if-stale') || stale()) {
  rmSync(dist, { recursive: true, force: true });
  await build({
    entryPoints: files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')),
    outdir: dist,
    outbase: here,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
