import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leadingBytesHarmless64 } from '../../src/arch/x86/leading-bytes.js';
import { goldenPath, parseGolden } from './gen.js';

/**
 * Every "harmless" verdict, checked by an independent disassembler: over nasm's bytes for the
 * whole x86-64 golden corpus, objdump must decode `leading + insn` as the same instruction as
 * `insn` (it prints an unused REX as a `rex.*` word in front, which is dropped before comparing).
 */
const LEADINGS: number[][] = [
  [0x45, 0x4c, 0x46], // "ELF" of the magic: what the x86-64 entry-at-offset-1 layout runs
  [0x46],
  [0x44],
  [0x42],
  [0x40],
  [0x41], // REX.B: register-in-opcode forms change
  [0x48], // REX.W: never harmless
];

const hexBytes = (hex: string): number[] => hex.split(' ').map((h) => parseInt(h, 16));

function objdumpLines(bytes: Uint8Array): Map<number, string> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-rex-'));
  const file = join(dir, 'blob.bin');
  writeFileSync(file, bytes);
  const out = execFileSync('objdump', ['-b', 'binary', '-m', 'i386:x86-64', '-M', 'intel', '-D', '--no-show-raw-insn', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const lines = new Map<number, string>();
  for (const l of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\s+(.*)$/.exec(l);
    if (m) lines.set(parseInt(m[1]!, 16), m[2]!.replace(/\s+/g, ' ').trim());
  }
  return lines;
}

describe('header bytes run before the first instruction (x86-64)', () => {
  const corpus = parseGolden(readFileSync(goldenPath(64), 'utf8'))
    .filter((g) => g.kind === 'ok')
    .map((g) => ({ source: g.source, bytes: hexBytes(g.hex) }));

  it('objdump decodes every instruction judged harmless the same with the prefixes in front', () => {
    // Two blobs with each instruction at the same address, so relative branches print the same
    // target: one with the leading bytes in front, one with NOPs there.
    const cases: { source: string; leading: number[]; at: number; length: number }[] = [];
    const withLeading: number[] = [];
    const plain: number[] = [];
    for (const leading of LEADINGS) {
      for (const c of corpus) {
        if (!leadingBytesHarmless64(Uint8Array.from(leading), Uint8Array.from(c.bytes))) continue;
        cases.push({ source: c.source, leading, at: withLeading.length + leading.length, length: c.bytes.length });
        withLeading.push(...leading, ...c.bytes);
        plain.push(...leading.map(() => 0x90), ...c.bytes);
      }
    }
    const prefixed = objdumpLines(Uint8Array.from(withLeading));
    const alone = objdumpLines(Uint8Array.from(plain));
    const strip = (t: string | undefined): string | undefined => t?.replace(/^(rex(\.[WRXB]+)? )+/, '');
    const wrong: string[] = [];
    for (const c of cases) {
      const got = prefixed.get(c.at - 1); // objdump starts the instruction at its last REX
      const want = alone.get(c.at);
      // The prefixed instruction must end where the plain one does (same length): nothing decoded in between.
      let inSync = prefixed.has(c.at + c.length) || c.at + c.length === withLeading.length;
      for (let a = c.at; a < c.at + c.length; a++) if (prefixed.has(a)) inSync = false;
      if (!inSync || want === undefined || strip(got) !== want) {
        wrong.push(`${c.leading.map((b) => b.toString(16)).join(' ')} + ${c.source}: objdump "${got}" vs "${want}"`);
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    // Not vacuous: a large part of the corpus is judged, for the ELF magic in particular.
    const elf = cases.filter((c) => c.leading.length === 3).length;
    expect(elf).toBeGreaterThan(1000);
    expect(cases.filter((c) => c.leading[0] === 0x48)).toHaveLength(0);
  }, 120_000);

  it('judges the built-in programs\' first instructions harmless and register-changing ones not', () => {
    const elf = Uint8Array.of(0x45, 0x4c, 0x46);
    expect(leadingBytesHarmless64(elf, Uint8Array.of(0x6a, 0x2a))).toBe(true); // push 42
    expect(leadingBytesHarmless64(elf, Uint8Array.of(0x68, 0x01, 0x40, 0, 0))).toBe(true); // push 0x4001
    expect(leadingBytesHarmless64(elf, Uint8Array.of(0x31, 0xc0))).toBe(false); // xor eax, eax → xor eax, r8d
    expect(leadingBytesHarmless64(elf, Uint8Array.of(0xb4, 0x01))).toBe(false); // mov ah, 1 → mov spl, 1
    expect(leadingBytesHarmless64(Uint8Array.of(0x41), Uint8Array.of(0x57))).toBe(false); // push rdi → push r15
    expect(leadingBytesHarmless64(Uint8Array.of(0x7f, 0x45), Uint8Array.of(0x6a, 0x2a))).toBe(false); // not REX
  });
});
