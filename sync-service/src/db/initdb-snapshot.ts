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
const version: string = JSON.parse(readFileSync(pglitePackage, 'utf8')).version;
const file = join(tmpdir(), 'roster-pglite', `initdb-${version}.tar`);
let snapshot: Promise<Blob> | undefined;

/**
 * A freshly initialised PGlite data folder as a tarball, made once per PGlite version and kept in the temp folder.
 * initdb costs about 10 s of CPU (most of a first start, and of every test file's database); restoring this costs
 * a fraction of it and gives the same empty cluster.
 */
export function initdbSnapshot(): Promise<Blob> {
  snapshot ??= (async () => {
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const db = await PGlite.create();
    const tar = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
    await db.close();
    mkdirSync(join(file, '..'), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, tar);
    renameSync(partial, file); // atomic: a concurrent reader sees the whole file or none
    return new Blob([tar]);
  })();
  return snapshot;
}
