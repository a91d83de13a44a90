import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// A data folder as a ustar archive, named the way PGlite's own dumps are ("/base/1/1259"), so PGlite's loadDataDir
// restores it too. Only what a PostgreSQL data folder holds: folders and regular files with short names.
const BLOCK = 512;

function header(name: string, size: number, folder: boolean): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`A name too long for the archive: ${name}`);
  const h = Buffer.alloc(BLOCK);
  const octal = (value: number, at: number, width: number) =>
    h.write(`${value.toString(8).padStart(width - 1, '0')}\0`, at, 'latin1');
  h.write(name, 0, 'utf8');
  octal(folder ? 0o755 : 0o644, 100, 8);
  octal(0, 108, 8); // uid
  octal(0, 116, 8); // gid
  octal(size, 124, 12);
  octal(0, 136, 12); // mtime: the archive's contents alone decide its bytes
  h.write(folder ? '5' : '0', 156, 'latin1');
  h.write('ustar\u000000', 257, 'latin1');
  h.fill(' ', 148, 156); // the checksum counts its own field as spaces
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/** Every folder and file under `root`, in name order, as one archive. */
export function tarFolder(root: string): Buffer<ArrayBuffer> {
  const parts: Buffer[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const name = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        parts.push(header(name, 0, true));
        walk(name);
      } else if (entry.isFile()) {
        const data = readFileSync(join(root, name));
        parts.push(header(name, data.length, false), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
      }
    }
  };
  walk('');
  parts.push(Buffer.alloc(2 * BLOCK));
  const tar = Buffer.alloc(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => at + p.copy(tar, at), 0);
  return tar;
}

/**
 * Writes an archive's folders and files under `root`; the file named `last` (if the archive has it) is written after
 * every other, so a folder holding it was restored whole.
 */
export function untarInto(tar: Uint8Array, root: string, last?: string): void {
  const bytes = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
  const field = (at: number, width: number) => bytes.toString('latin1', at, at + width).replace(/\0.*$/s, '');
  let deferred: { path: string; data: Buffer } | null = null;
  for (let at = 0; at + BLOCK <= bytes.length && bytes[at] !== 0;) {
    const name = field(at, 100).replace(/^\/+/, '');
    const size = parseInt(field(at + 124, 12).trim() || '0', 8);
    const type = field(at + 156, 1);
    at += BLOCK;
    const path = join(root, name);
    if (type === '5') mkdirSync(path, { recursive: true });
    else if (type === '0' || type === '') {
      const data = bytes.subarray(at, at + size);
      if (name === last) deferred = { path, data };
      else {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, data);
      }
    }
    at += Math.ceil(size / BLOCK) * BLOCK;
  }
  if (deferred) writeFileSync(deferred.path, deferred.data);
}
