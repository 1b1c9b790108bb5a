/**
 * Listings (tinyelf asm --list): every source line once, in order, each with the bytes it became.
 * The flat listing is checked line by line against nasm's own listing (`nasm -l`); the listing
 * of a laid-out executable is checked against the file: each row's bytes are the file's bytes at
 * that address, and the rows cover every code and data byte exactly once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHES, assemble, assembleWithListing, elfListing, layoutElf, LOADER_PROFILES, programFromSource } from '../../src/index.js';
import { genX86, renderX86 } from '../../bench/gen.js';
import { hasNasm, NASM } from '../x86/gen.js';
import { missing } from '../helpers/oracles.js';

interface ListedRow {
  line: number;
  address: number;
  bytes: number[];
}

/**
 * Rows with bytes, each under the source line it belongs to (continuation rows carry no number);
 * the planner's rows get line 0. Columns: line number, address, 8 bytes (23 characters), text.
 */
function parseListing(listing: string): { rows: ListedRow[]; texts: Map<number, string> } {
  const rows: ListedRow[] = [];
  const texts = new Map<number, string>();
  const lines = listing.trimEnd().split('\n');
  // Column widths, from a row that has an address.
  const sample = lines.map((l) => /^( *\d+)  ([0-9a-f]{8,})  /.exec(l)).find((m) => m)!;
  const numberWidth = sample[1]!.length;
  const addrAt = numberWidth + 2;
  const hexAt = addrAt + sample[2]!.length + 2;
  const textAt = hexAt + 23 + 2;
  let line = 0;
  for (const l of lines) {
    const num = l.slice(0, numberWidth).trim();
    expect(/^\d*$/.test(num) && l.slice(numberWidth, addrAt) === '  '.slice(0, Math.max(0, l.length - numberWidth)), l).toBe(true);
    const addr = l.slice(addrAt, hexAt - 2).trim();
    const hex = l.slice(hexAt, textAt - 2).trim();
    const text = l.slice(textAt);
    if (num) {
      line = Number(num);
      texts.set(line, text);
    } else if (text.startsWith('; (jump inserted')) line = 0;
    if (hex) rows.push({ line, address: parseInt(addr, 16), bytes: hex.split(' ').map((h) => parseInt(h, 16)) });
  }
  return { rows, texts };
}

/** nasm -l: source line → the bytes it lists for it (continuation rows joined). */
function nasmListing(src: string): Map<number, string> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-listing-'));
  try {
    writeFileSync(join(dir, 'a.asm'), src);
    execFileSync(NASM, ['-f', 'bin', '-l', join(dir, 'a.lst'), '-o', join(dir, 'a.bin'), join(dir, 'a.asm')]);
    const out = new Map<number, string>();
    for (const l of readFileSync(join(dir, 'a.lst'), 'utf8').split('\n')) {
      const m = /^ *(\d+) [0-9A-F]{8} ([0-9A-F]+)-?/.exec(l);
      if (m) out.set(Number(m[1]), (out.get(Number(m[1])) ?? '') + m[2]!.toLowerCase());
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('flat listing', () => {
  it('lists every source line once, in order, with its text; the rows rebuild the output', () => {
    const src = 'bits 64\norg 0x1000\nstart: mov eax, 60\n  jmp start\n\nmsg: db "Hello, World! this is long", 10\ntimes 3 nop\n';
    const { bytes, listing } = assembleWithListing(src, { arch: 'x86_64', file: 'a.s' });
    expect(bytes).toEqual(assemble(src, { arch: 'x86_64' }));
    const { rows, texts } = parseListing(listing);
    expect([...texts.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect([...texts.values()]).toEqual(src.trimEnd().split('\n'));
    const rebuilt = new Uint8Array(bytes.length);
    for (const r of rows) rebuilt.set(r.bytes, r.address - 0x1000);
    expect(rebuilt).toEqual(bytes);
    expect(rows.filter((r) => r.line === 6).map((r) => r.bytes.length)).toEqual([8, 8, 8, 3]);
  });

  it('CRLF sources list without their carriage returns', () => {
    const { listing } = assembleWithListing('bits 64\r\nmov eax, 60\r\nsyscall\r\n', { arch: 'x86_64', file: 'crlf.s' });
    expect(listing).not.toContain('\r');
    expect(parseListing(listing).texts).toEqual(new Map([[1, 'bits 64'], [2, 'mov eax, 60'], [3, 'syscall']]));
  });

  it.skipIf(missing('nasm', hasNasm()))('gives each line the bytes nasm -l lists for it (the 2,000-instruction bench program)', () => {
    const src = renderX86(genX86(2000, 250), 'nasm');
    const nasm = nasmListing(src);
    const ours = new Map<number, string>();
    for (const r of parseListing(assembleWithListing(src, { arch: 'x86_64', file: 'a.asm' }).listing).rows) {
      ours.set(r.line, (ours.get(r.line) ?? '') + r.bytes.map((b) => b.toString(16).padStart(2, '0')).join(''));
    }
    expect(nasm.size).toBeGreaterThan(1900);
    expect(ours).toEqual(nasm);
  });
});

describe('executable listing', () => {
  for (const arch of ARCHES) {
    it(`${arch}: the built-in sources, every profile: rows are the file's bytes and cover every code and data byte once`, () => {
      for (const name of ['hello', 'sleep']) {
        const file = `asm/${name}-${arch}.s`;
        const src = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
        for (const loader of LOADER_PROFILES) {
          const layout = layoutElf({ arch, program: programFromSource(src, { arch, file }), loader });
          const { rows, texts } = parseListing(elfListing(layout, src, file));
          expect(texts.size, `${file} ${loader}`).toBe(src.trimEnd().split('\n').length);
          const base = Number(layout.base);
          const covered = new Array<number>(layout.bytes.length).fill(0);
          for (const r of rows) {
            expect([...layout.bytes.subarray(r.address - base, r.address - base + r.bytes.length)], `${file} ${loader} line ${r.line}`).toEqual(r.bytes);
            for (let i = 0; i < r.bytes.length; i++) covered[r.address - base + i]!++;
          }
          for (const piece of layout.pieces) for (let o = piece.start; o < piece.end; o++) expect([file, loader, o, covered[o]]).toEqual([file, loader, o, 1]);
          expect(covered.filter((c) => c > 0).length).toBe(layout.pieces.reduce((n, p) => n + p.end - p.start, 0));
          // The joining jumps are listed, as the planner's own rows.
          const jumps = layout.placed.filter((p) => p.item.loc.file === '<planner>' && p.size > 0).length;
          expect(rows.filter((r) => r.line === 0).length, `${file} ${loader}`).toBe(jumps);
          if (loader === 'portable' && name === 'hello' && arch !== 'arm') expect(jumps).toBeGreaterThan(0);
        }
      }
    });
  }
});
