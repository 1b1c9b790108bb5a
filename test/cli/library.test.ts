/** The small library pieces the CLI stands on: inspectElf / matchLayout and the image reader. */
import { describe, expect, it } from 'vitest';
import { formatInspection, inspectElf, matchLayout } from '../../src/elf/inspect.js';
import { imageFromFiles, readTar } from '../../src/image/read.js';
import { ARCHES, buildImage, exit, hello, layoutElf, LOADER_PROFILES, parsePlatform, sleepForever, writeTar } from '../../src/index.js';

describe('inspectElf', () => {
  for (const arch of ARCHES) {
    for (const loader of LOADER_PROFILES) {
      it(`${arch} ${loader}: rows tile the file, every instruction is named, overlaps are counted`, () => {
        const layout = layoutElf({ arch, program: hello('hi'), loader });
        const ins = inspectElf(layout.bytes, { layout, source: () => undefined });
        expect(ins.arch).toBe(arch);
        expect(ins.phoff).toBe(layout.phoff);
        let at = 0;
        for (const r of ins.rows) {
          expect(r.start).toBe(at);
          expect(r.end - r.start).toBeGreaterThan(0);
          expect(r.end - r.start).toBeLessThanOrEqual(8);
          expect([...r.bytes]).toEqual([...layout.bytes.subarray(r.start, r.end)]);
          at = r.end;
        }
        expect(at).toBe(layout.bytes.length);
        const ehSize = ins.elfClass === 32 ? 52 : 64;
        const phSize = ins.elfClass === 32 ? 32 : 56;
        const overlap = ins.rows.filter((r) => r.ehdr && r.phdr).reduce((n, r) => n + r.end - r.start, 0);
        // Both headers cover [phoff, min(ELF header end, program header end, file end)).
        expect(overlap).toBe(Math.max(0, Math.min(ehSize, layout.phoff + phSize, layout.bytes.length) - layout.phoff));
        // Every byte of every instruction and data item is in a row that names it.
        for (const pl of layout.placed) {
          if (pl.size === 0 || pl.item.kind === 'label' || pl.item.kind === 'equ') continue;
          const off = Number(BigInt(pl.address) - layout.base);
          const rows = ins.rows.filter((r) => r.start < off + pl.size && r.end > off);
          expect(rows.length).toBeGreaterThan(0);
          for (const r of rows) expect(r.code).toBeTruthy();
        }
        expect(ins.rows.filter((r) => r.entry)).toHaveLength(1);
        expect(formatInspection(ins)).toContain('>> entry: ');
      });
    }
  }

  it('matchLayout finds the built-in a file is, and nothing for other bytes', () => {
    const bytes = layoutElf({ arch: 'i386', program: sleepForever.bare, loader: 'qemu' }).bytes;
    const cands = [
      { name: 'sleep', program: sleepForever },
      { name: 'sleep --bare', program: sleepForever.bare },
    ];
    const m = matchLayout(bytes, 'i386', cands);
    expect(m?.name).toBe('sleep --bare');
    expect(m?.layout.bytes).toEqual(bytes);
    expect(matchLayout(layoutElf({ arch: 'i386', program: exit(1) }).bytes, 'i386', cands)).toBeUndefined();
  });

  it('rejects files that are not ELF', () => {
    expect(() => inspectElf(new Uint8Array([1, 2, 3]))).toThrow(/not an ELF file \(3 bytes/);
  });

  it('a file with several program headers: each is labelled with its number, and the PT_LOAD that maps the entry gives its offset', () => {
    // ELF64 x86-64: three program headers at 64 (PT_PHDR, PT_LOAD, PT_NOTE), code at 0x100.
    const b = new Uint8Array(0x110);
    const v = new DataView(b.buffer);
    b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    v.setUint16(16, 2, true);
    v.setUint16(18, 62, true);
    v.setUint32(20, 1, true);
    v.setBigUint64(24, 0x401100n, true); // e_entry: file offset 0x100 through the PT_LOAD
    v.setBigUint64(32, 64n, true);
    v.setUint16(52, 64, true);
    v.setUint16(54, 56, true);
    v.setUint16(56, 3, true);
    const ph = (k: number, type: number, offset: bigint, vaddr: bigint, size: bigint): void => {
      const at = 64 + 56 * k;
      v.setUint32(at, type, true);
      v.setUint32(at + 4, 5, true);
      v.setBigUint64(at + 8, offset, true);
      v.setBigUint64(at + 16, vaddr, true);
      v.setBigUint64(at + 32, size, true);
      v.setBigUint64(at + 40, size, true);
    };
    ph(0, 6, 64n, 0x400040n, 168n); // PT_PHDR: its own mapping would put the entry elsewhere
    ph(1, 1, 0n, 0x401000n, 0x110n);
    ph(2, 4, 0x100n, 0x401100n, 0x10n);
    const ins = inspectElf(b);
    expect(ins.phnum).toBe(3);
    expect(ins.entryOffset).toBe(0x100);
    const label = (o: number) => ins.rows.find((r) => r.start <= o && o < r.end)!.phdr;
    expect([label(64), label(64 + 56), label(64 + 112 + 48)]).toEqual(['#0 p_type', '#1 p_type', '#2 p_align']);
    expect(ins.outside).toEqual([{ start: 232, end: 0x110 }]);
    expect(formatInspection(ins).split('\n')[0]).toBe('x86_64 ELF64 little-endian, 272 bytes, 3 program headers at 64, entry 0x401100 (file offset 256)');
    // Headers that do not all fit in the file: only the first is shown (a tiny file's may run past its end).
    expect(inspectElf(b.subarray(0, 200)).phnum).toBe(1);
  });
});

describe('image reader', () => {
  it('reads back what buildImage wrote, blob for blob, root last', () => {
    const elf = (arch: 'x86_64' | 'aarch64') => layoutElf({ arch, program: sleepForever }).bytes;
    for (const format of ['combined', 'oci'] as const) {
      const image = buildImage({
        binaries: [
          { platform: parsePlatform('linux/amd64'), elf: elf('x86_64') },
          { platform: parsePlatform('linux/arm64'), elf: elf('aarch64') },
        ],
        tag: 'tiny/pause:1',
        format,
      });
      const back = imageFromFiles(readTar(image.tar!));
      expect(back.root).toEqual(image.root);
      expect(back.reference).toBe('docker.io/tiny/pause:1');
      expect(new Set(back.blobs.map((b) => b.descriptor.digest))).toEqual(new Set(image.blobs.map((b) => b.descriptor.digest)));
      expect(back.blobs[back.blobs.length - 1]!.descriptor.digest).toBe(image.root.digest);
      expect(back.manifests.map((m) => [m.platform, m.diffId])).toEqual(image.manifests.map((m) => [m.platform, m.diffId]));
    }
  });

  it('reads long names (ustar prefix) and refuses damaged archives', () => {
    const long = `${'d'.repeat(120)}/file`;
    const files = readTar(writeTar([{ name: long, data: new Uint8Array([1, 2]), mode: 0o644, mtime: 0 }]));
    expect([...files.keys()]).toEqual([long]);
    const tar = writeTar([{ name: 'a', data: new Uint8Array([1]), mode: 0o644, mtime: 0 }]);
    tar[0] = 0x62;
    expect(() => readTar(tar)).toThrow(/bad header checksum/);
    const docker = buildImage({ binaries: [{ platform: parsePlatform('linux/amd64'), elf: layoutElf({ arch: 'x86_64', program: exit(0) }).bytes }], format: 'docker' });
    expect(() => imageFromFiles(readTar(docker.tar!))).toThrow(/docker-archive only/);
  });
});
