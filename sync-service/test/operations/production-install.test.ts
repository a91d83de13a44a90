import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// A production image installs with `npm ci --omit=dev` and copies the build: every package the server, the migrate
// and the api-key programs reach must be a runtime dependency, or the replica fails at its first import of it.
const service = join(import.meta.dirname, '../..');
const manifest = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { dependencies?: Record<string, string> };
const runtime = new Set([
  ...Object.keys(manifest(join(service, 'package.json')).dependencies ?? {}),
  ...Object.keys(manifest(join(service, '../package.json')).dependencies ?? {}),
]);
const builtins = new Set(builtinModules);

/** The packages an entry point reaches through its own modules, as esbuild resolves them. */
async function packagesReachedFrom(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(service, entry)],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const specifiers = Object.values(result.metafile.outputs).flatMap((o) =>
    o.imports.filter((i) => i.external).map((i) => i.path),
  );
  const names = specifiers
    .filter((s) => !s.startsWith('node:') && !builtins.has(s.split('/')[0]!))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
  return [...new Set(names)].sort();
}

describe('a production install without dev dependencies', () => {
  it.each([
    ['src/server.ts', 'fastify'],
    ['src/migrate.ts', 'knex'],
    ['src/api-keys.ts', 'knex'],
  ])('%s imports only runtime dependencies', async (entry, surely) => {
    const reached = await packagesReachedFrom(entry);
    expect(reached).toContain(surely);
    expect(reached.filter((name) => !runtime.has(name))).toEqual([]);
  });
});
