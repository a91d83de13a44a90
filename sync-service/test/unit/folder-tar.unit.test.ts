import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tarFolder, untarInto } from '../../src/db/folder-tar.js';

const folders: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-tar-'));
  folders.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a data folder archived and restored', () => {
  it('comes back with every folder, file and byte, empty ones included', async () => {
    const from = folder();
    mkdirSync(join(from, 'base/1'), { recursive: true });
    mkdirSync(join(from, 'pg_notify'));
    writeFileSync(join(from, 'PG_VERSION'), '17\n');
    writeFileSync(join(from, 'base/1/1259'), Buffer.from(Array.from({ length: 8193 }, (_, i) => i % 251)));
    writeFileSync(join(from, 'base/1/empty'), '');
    const to = join(folder(), 'pgdata');
    await untarInto(tarFolder(from), to, 'PG_VERSION');
    expect(readdirSync(to, { recursive: true }).sort()).toEqual(
      ['PG_VERSION', 'base', 'base/1', 'base/1/1259', 'base/1/empty', 'pg_notify'].sort(),
    );
    expect(readFileSync(join(to, 'base/1/1259'))).toEqual(readFileSync(join(from, 'base/1/1259')));
    expect(readFileSync(join(to, 'PG_VERSION'), 'utf8')).toBe('17\n');
  });

  it('fails, rather than restore part of a folder unnoticed, when the archive is cut short', async () => {
    const from = folder();
    mkdirSync(join(from, 'base/1'), { recursive: true });
    writeFileSync(join(from, 'base/1/1259'), Buffer.alloc(8192, 1));
    writeFileSync(join(from, 'PG_VERSION'), '17\n');
    const archive = tarFolder(from);
    const to = join(folder(), 'pgdata');
    await expect(untarInto(archive.subarray(0, archive.length / 2), to, 'PG_VERSION')).rejects.toThrow(/truncated/i);
    // Cut at an entry's end, before the end marker, too.
    await expect(untarInto(archive.subarray(0, 512 * 4), to, 'PG_VERSION')).rejects.toThrow(/truncated/i);
  });
});
