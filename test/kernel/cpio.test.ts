/**
 * The newc cpio writer: byte layout, determinism, parent folders, and GNU cpio reading it back.
 * (Booting a kernel with it is test/kernel/kernel.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CPIO_TRAILER, initramfs, writeCpio, type CpioEntry } from '../../src/image/cpio.js';
import { missing } from '../helpers/oracles.js';

interface Parsed {
  name: string;
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  mtime: number;
  rdevmajor: number;
  rdevminor: number;
  data: Uint8Array;
  headerAt: number;
}

/** An independent reader: every header at a multiple of 4, every field 8 hex digits. */
function parse(bytes: Uint8Array): Parsed[] {
  const text = (a: number, b: number): string => String.fromCharCode(...bytes.subarray(a, b));
  const out: Parsed[] = [];
  let at = 0;
  for (;;) {
    expect(at % 4).toBe(0);
    expect(text(at, at + 6)).toBe('070701');
    const f = (i: number): number => {
      const s = text(at + 6 + 8 * i, at + 14 + 8 * i);
      expect(s).toMatch(/^[0-9A-F]{8}$/);
      return parseInt(s, 16);
    };
    const namesize = f(11);
    const filesize = f(6);
    expect(f(12)).toBe(0); // check
    const name = text(at + 110, at + 110 + namesize - 1);
    expect(bytes[at + 110 + namesize - 1]).toBe(0);
    let p = at + 110 + namesize;
    while (p % 4) expect(bytes[p++]).toBe(0);
    const data = bytes.slice(p, p + filesize);
    p += filesize;
    while (p % 4) expect(bytes[p++]).toBe(0);
    out.push({ name, ino: f(0), mode: f(1), uid: f(2), gid: f(3), nlink: f(4), mtime: f(5), rdevmajor: f(9), rdevminor: f(10), data, headerAt: at });
    at = p;
    if (name === CPIO_TRAILER) break;
  }
  expect(at).toBe(bytes.length);
  return out;
}

const INIT = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3]); // 7 bytes: data needs padding

describe('writeCpio', () => {
  it('writes /init, /dev, /dev/console (c 5 1) and /proc with fixed owners and times', () => {
    const entries = parse(initramfs(INIT));
    expect(entries.map((e) => e.name)).toEqual(['dev', 'dev/console', 'proc', 'sys', 'init', 'TRAILER!!!']);
    const by = Object.fromEntries(entries.map((e) => [e.name, e]));
    expect(by['init']!.mode).toBe(0o100755);
    expect(Array.from(by['init']!.data)).toEqual(Array.from(INIT));
    expect(by['dev']!.mode).toBe(0o040755);
    expect(by['dev/console']!.mode).toBe(0o020600);
    expect([by['dev/console']!.rdevmajor, by['dev/console']!.rdevminor]).toEqual([5, 1]);
    for (const e of entries) {
      expect([e.uid, e.gid, e.mtime]).toEqual([0, 0, 0]);
    }
    expect(entries.slice(0, -1).map((e) => e.ino)).toEqual([1, 2, 3, 4, 5]);
    const trailer = entries.at(-1)!;
    expect([trailer.ino, trailer.mode, trailer.nlink, trailer.data.length]).toEqual([0, 0, 1, 0]);
  });

  it('is deterministic and pads every name and data to 4 bytes', () => {
    const a = initramfs(INIT);
    expect(Buffer.from(initramfs(INIT)).equals(Buffer.from(a))).toBe(true);
    for (let n = 0; n < 9; n++) {
      const bytes = writeCpio([{ type: 'file', path: 'x'.repeat(n + 1), data: new Uint8Array(n).fill(0xaa) }]);
      const [e] = parse(bytes);
      expect(e!.data.length).toBe(n);
    }
  });

  it('adds missing parent folders before their first child, and strips leading slashes', () => {
    const names = parse(writeCpio([{ type: 'file', path: '/a/b/c', data: new Uint8Array(1) }, { type: 'symlink', path: 'a/l', target: 'b/c' }])).map((e) => [e.name, e.mode.toString(8)]);
    expect(names).toEqual([
      ['a', '40755'],
      ['a/b', '40755'],
      ['a/b/c', '100644'],
      ['a/l', '120777'],
      ['TRAILER!!!', '0'],
    ]);
  });

  it('refuses duplicates, "..", type bits in mode, and a file used as a folder', () => {
    const f = (path: string, mode?: number): CpioEntry => ({ type: 'file', path, data: new Uint8Array(0), mode });
    expect(() => writeCpio([f('a'), f('/a')])).toThrow(/duplicate/);
    expect(() => writeCpio([f('a/../b')])).toThrow(/'\.\.'/);
    expect(() => writeCpio([f('a', 0o100755)])).toThrow(/beyond 07777/);
    expect(() => writeCpio([f('a'), f('a/b')])).toThrow(/not a folder/);
  });

  const hasCpio = spawnSync('sh', ['-c', 'command -v cpio']).status === 0;
  it.skipIf(missing('GNU cpio', hasCpio))('is read back by GNU cpio (list and extract)', () => {
    const archive = initramfs(INIT);
    const list = spawnSync('cpio', ['-itv', '--quiet'], { input: archive, encoding: 'utf8' });
    expect(list.status, list.stderr).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/).at(-1))).toEqual(['dev', 'dev/console', 'proc', 'sys', 'init']);
    expect(lines[1]).toMatch(/^crw------- +1 root +root +5, +1 /);
    expect(lines[4]).toMatch(/^-rwxr-xr-x +1 root +root +7 /);
    const got = spawnSync('cpio', ['-i', '--quiet', '--to-stdout', 'init'], { input: archive });
    expect(got.status).toBe(0);
    expect(Array.from(got.stdout)).toEqual(Array.from(INIT));
  });
});
