// `npm run build`: the service as JavaScript in dist/ (one file per source file, same layout), for `npm start` and
// production (`node sync-service/dist/src/server.js`). esbuild only transpiles (a third of a second of CPU; tsc's emit
// took 25 s here, most of it reading googleapis' types); type checking stays with `npm run typecheck`. `npm start`'s
// launcher (demo/start.ts, the service plus the demo org) is bundled with the service and the Salesforce fake it uses
// into dist/demo/ (the demo org's modules a chunk of their own); the product never imports the fake.
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

const migrate = join(here, 'src/db/migrate.ts');
/**
 * Bundles the launcher with the service and the fake: one file (and the chunks loaded later) instead of two hundred
 * modules to find, read and link before /health answers. npm packages stay imports, resolved at run time, and so does
 * src/db/migrate.ts, as dist/src/db/migrate.js: it finds the migrations beside itself.
 */
const bundleTheLauncher = {
  name: 'bundle-the-launcher',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('@roster/fake-')) return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      if (join(args.resolveDir, args.path).replace(/\.js$/, '.ts') !== migrate) return undefined;
      return { path: '../src/db/migrate.js', external: true };
    });
  },
};

/**
 * esbuild, or null where the dev dependencies are not installed (`npm ci --omit=dev`: a production image that copies
 * dist/ from its build stage). Loaded only to build: `npm start`'s up-to-date check stays a few file stats.
 */
async function esbuild() {
  try {
    return await import('esbuild');
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND') return null;
    throw err;
  }
}

/** Builds dist/ (only when a source is newer than the last build, with `ifStale`), then the snapshot if asked. */
export async function buildService({ ifStale = false, snapshot = false } = {}) {
  if (!ifStale || stale()) {
    const builder = await esbuild();
    if (!builder) {
      // Without dev dependencies there is nothing to build with: the copied build runs, and no build is no start.
      if (!existsSync(stamp))
        throw new Error('sync-service/dist/ is missing and esbuild is not installed: run `npm ci && npm run build`.');
      console.warn('esbuild is not installed (dev dependencies omitted): using the build in sync-service/dist/.');
      return;
    }
    const { build } = builder;
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
      plugins: [bundleTheLauncher],
    });
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
  }

  if (snapshot) {
    const { migratedSnapshot } = await import('./dist/src/db/embedded.js');
    await migratedSnapshot();
  }
}

if (process.argv[1] === import.meta.filename) {
  const snapshot = process.argv.includes('--snapshot');
  if (snapshot && !existsSync(stamp) && !(await esbuild())) {
    // `npm ci --omit=dev` runs this prepare step too: a production install builds nothing, dist/ comes from the build
    // stage (README, Operations), and the embedded database's snapshot is for `npm start` only.
    console.warn('Dev dependencies omitted: no build here; copy sync-service/dist/ from `npm ci && npm run build`.');
  } else {
    await buildService({ ifStale: process.argv.includes('--if-stale'), snapshot });
  }
}
