import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

// The package exports no package.json: read it beside its entry (dist/index.js).
const pgliteDist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
export const PGLITE_VERSION: string = JSON.parse(readFileSync(join(pgliteDist, '..', 'package.json'), 'utf8')).version;
const made = new Map<string, Promise<Blob>>();

/**
 * Where snapshots are kept, first choice first: node_modules/.cache beside PGlite (made by `npm install`'s prepare
 * step and kept as long as the installed packages; a temp folder is emptied by a reboot), then the temp folder when
 * node_modules is read-only.
 */
const SNAPSHOT_DIRS = [join(pgliteDist, '..', '..', '..', '.cache', 'roster-pglite'), join(tmpdir(), 'roster-pglite')];

/**
 * A PGlite data folder as a tarball, made by `make` once per name (which says everything its contents depend on)
 * and then restored from the file by every process.
 */
export function cachedSnapshot(name: string, make: () => Promise<Blob>): Promise<Blob> {
  let snapshot = made.get(name);
  if (!snapshot) {
    snapshot = (async () => {
      const files = SNAPSHOT_DIRS.map((dir) => join(dir, `${name}.tar`));
      const found = files.find((file) => existsSync(file));
      if (found) return new Blob([readFileSync(found)]);
      const tar = Buffer.from(await (await make()).arrayBuffer());
      for (const file of files) {
        try {
          mkdirSync(dirname(file), { recursive: true });
          const partial = `${file}.${process.pid}.partial`;
          writeFileSync(partial, tar);
          renameSync(partial, file); // atomic: a concurrent reader sees the whole file or none
          break;
        } catch {
          // Not writable here: the next place, or made again by the next process.
        }
      }
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
