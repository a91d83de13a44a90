import { mkdirSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { PackSync } from 'tar';

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

const BLOCK = 512;
const WRITERS = 8;

/** One header's text field: its bytes up to the first NUL. */
const field = (header: Buffer, at: number, length: number) => {
  const end = header.indexOf(0, at);
  return header.toString('latin1', at, end === -1 || end > at + length ? at + length : end);
};

/**
 * Writes an archive's folders and files under `root`; the file named `last` (if the archive has it) is written after
 * every other, so a folder holding it was restored whole. Any entry that cannot be written, and an archive cut short
 * or damaged, fails the whole call.
 * It reads the archives tarFolder writes (and PGlite's dumps: plain ustar folders and files) itself rather than
 * through node-tar, which checks every entry's folders on disk one system call at a time on the main thread: here the
 * folders are made once and the files written concurrently by the thread pool, while the service loads its modules.
 */
export async function untarInto(tar: Uint8Array, root: string, last?: string): Promise<void> {
  const bytes = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
  const folders = new Set<string>([root]);
  const files: { path: string; data: Buffer; mode: number }[] = [];
  let lastFile: (typeof files)[number] | undefined;
  let at = 0;
  for (;;) {
    if (at + BLOCK > bytes.length) throw new Error('The archive is truncated: it ends before its end marker');
    const header = bytes.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    if (sum !== parseInt(field(header, 148, 8).trim(), 8))
      throw new Error(`The archive is damaged: a bad header at byte ${at}`);
    const prefix = field(header, 345, 155);
    // Archives made before node-tar named entries from the root ("/base/1/1259"): node-tar strips that, and so here.
    const name = (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100)).replace(/^\/+/, '');
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = field(header, 156, 1) || '0';
    const dataAt = at + BLOCK;
    at = dataAt + Math.ceil(size / BLOCK) * BLOCK;
    if (dataAt + size > bytes.length) throw new Error(`The archive is truncated: ${name} is cut short`);
    if (!name || name.split('/').includes('..')) throw new Error(`An entry outside the folder: ${name}`);
    const path = join(root, name);
    if (type === '5') folders.add(path);
    else if (type === '0') {
      const file = { path, data: bytes.subarray(dataAt, dataAt + size), mode: parseInt(field(header, 100, 8), 8) };
      folders.add(dirname(path));
      if (name === last) lastFile = file;
      else files.push(file);
    } else throw new Error(`An entry of a kind a data folder does not hold (type ${type}): ${name}`);
  }
  // A folder's name sorts before what it holds.
  for (const folder of [...folders].sort()) mkdirSync(folder, { recursive: true });
  // A few at a time: enough to keep the thread pool busy, far from the limit of open files.
  let next = 0;
  const writer = async () => {
    for (let f = files[next++]; f; f = files[next++]) await writeFile(f.path, f.data, { mode: f.mode & 0o777 });
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  if (lastFile) await writeFile(lastFile.path, lastFile.data, { mode: lastFile.mode & 0o777 });
}
