// `npm run build`: the service as JavaScript in dist/ (one file per source file, same layout), for `npm start` and
// production (`node sync-service/dist/src/server.js`). esbuild only transpiles (a third of a second of CPU; tsc's emit
// took 25 s here, most of it reading googleapis' types); type checking stays with `npm run typecheck`. `npm start`'s
// launcher (demo/start.ts, the service plus the demo org) is bundled with the Salesforce fake it uses into dist/demo/
// (the demo org's modules a chunk of their own); it imports the service from dist/src/; the product never imports the
// fake.
// `--if-stale` (what `npm start` does first, in the service's own process: npm-start.mjs) rebuilds only when a source
// file or folder is newer than the last build.
// `--snapshot` (what `npm install` runs, the prepare step) also makes the embedded database's migrated snapshot, so a
// new machine's first `npm start` restores it instead of running initdb and every migration (src/db/embedded.ts).
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const roots = ['src', 'demo', '../fakes/salesforce'];
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

const fakes = join(here, '../fakes');
/** Bundles the launcher and the fake; the service (../src) and npm packages stay imports, resolved at run time. */
const bundleOnlyTheDemo = {
  name: 'bundle-only-the-demo',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('@roster/fake-')) return undefined;
      if (args.path.startsWith('.')) {
        const target = join(args.resolveDir, args.path);
        if (target.startsWith(join(here, 'demo')) || target.startsWith(fakes)) return undefined;
      }
      return { path: args.path, external: true };
    });
  },
};

/** Builds dist/ (only when a source is newer than the last build, with `ifStale`), then the snapshot if asked. */
export async function buildService({ ifStale = false, snapshot = false } = {}) {
  if (!ifStale || stale()) {
    // Loaded only to build: `npm start`'s up-to-date check stays a few file stats.
    const { build } = await import('esbuild');
    rmSync(dist, { recursive: true, force: true });
    await build({
      entryPoints: files.filter((f) => f.startsWith(join(here, 'src')) && f.endsWith('.ts')),
      outdir: dist,
      outbase: here,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
    });
    await build({
      entryPoints: [join(here, 'demo/start.ts')],
      outdir: join(dist, 'demo'),
      // The demo org's modules are a chunk of their own, loaded once the service listens (demo/start.ts).
      splitting: true,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
      plugins: [bundleOnlyTheDemo],
    });
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
  }

  if (snapshot) {
    const { migratedSnapshot } = await import('./dist/src/db/embedded.js');
    await migratedSnapshot();
  }
}

if (process.argv[1] === import.meta.filename)
  await buildService({ ifStale: process.argv.includes('--if-stale'), snapshot: process.argv.includes('--snapshot') });
