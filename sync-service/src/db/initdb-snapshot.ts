import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

// The package exports no package.json: read it beside its entry (dist/index.js).
const pglitePackage = join(
  dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')),
  '..',
  'package.json',
);
export const PGLITE_VERSION: string = JSON.parse(readFileSync(pglitePackage, 'utf8')).version;
const made = new Map<string, Promise<Blob>>();

/**
 * A PGlite data folder as a tarball in the temp folder, made by `make` once per name (which says everything its
 * contents depend on) and then restored from the file by every process.
 */
export function cachedSnapshot(name: string, make: () => Promise<Blob>): Promise<Blob> {
  let snapshot = made.get(name);
  if (!snapshot) {
    snapshot = (async () => {
      const file = join(tmpdir(), 'roster-pglite', `${name}.tar`);
      if (existsSync(file)) return new Blob([readFileSync(file)]);
      const tar = Buffer.from(await (await make()).arrayBuffer());
      mkdirSync(join(file, '..'), { recursive: true });
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, tar);
      renameSync(partial, file); // atomic: a concurrent reader sees the whole file or none
      return new Blob([tar]);
    })();
    made.set(name, snapshot);
  }
  return snapshot;
}

/**
 * A freshly initialised PGlite data folder, made once per PGlite version. initdb costs about 10 s of CPU (most of a
 * first start, and of every test file's database); restoring this costs a fraction of it and gives the same empty
 * cluster.
 */
export function initdbSnapshot(): Promise<Blob> {
  return cachedSnapshot(`initdb-${PGLITE_VERSION}`, async () => {
    const db = await PGlite.create();
    const tar = await db.dumpDataDir('none');
    await db.close();
    return tar;
  });
}
