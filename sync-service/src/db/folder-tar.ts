import { mkdirSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PackSync, UnpackSync } from 'tar';

// A data folder as a ustar archive (node-tar), which PGlite's own loadDataDir restores too. PGlite's reader takes a
// header's name field alone (no ustar prefix, no pax header): every name must fit its 100 bytes.
const NAME_FIELD = 100;

/** Every folder and file under `root`, in name order (a folder before what it holds), as one archive. */
export function tarFolder(root: string): Buffer<ArrayBuffer> {
  const names = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory() || entry.isFile())
    .map((entry) => {
      const name = relative(root, join(entry.parentPath, entry.name));
      // node-tar names a folder with a trailing slash.
      if (Buffer.byteLength(name) + (entry.isDirectory() ? 1 : 0) > NAME_FIELD)
        throw new Error(`A name too long for the archive: ${name}`);
      return name;
    })
    .sort();
  // Portable and without times: the folder's contents alone decide the archive's bytes.
  const pack = new PackSync({ cwd: root, portable: true, noMtime: true, noDirRecurse: true });
  const parts: Buffer[] = [];
  pack.on('data', (chunk: Buffer) => parts.push(chunk));
  for (const name of names) pack.add(name);
  pack.end();
  return Buffer.concat(parts);
}

/**
 * Writes an archive's folders and files under `root`; the file named `last` (if the archive has it) is written after
 * every other, so a folder holding it was restored whole. Any entry that cannot be written fails the whole call.
 */
export function untarInto(tar: Uint8Array, root: string, last?: string): void {
  mkdirSync(root, { recursive: true });
  const bytes = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
  // Archives made before node-tar named entries from the root ("/base/1/1259"): node-tar strips that, and so here.
  const isLast = (path: string) => path.replace(/^\/+/, '') === last;
  const problems: string[] = [];
  const pass = (filter: (path: string) => boolean) => {
    const unpack = new UnpackSync({
      cwd: root,
      preserveOwner: false,
      filter,
      onwarn: (code, message) => {
        if (code !== 'TAR_ENTRY_INFO') problems.push(`${code}: ${String(message)}`);
      },
    });
    unpack.end(bytes);
  };
  pass((path) => !isLast(path));
  if (last) pass(isLast);
  if (problems.length) throw new Error(`The archive was not restored whole: ${problems.join('; ')}`);
}
