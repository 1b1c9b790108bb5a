/**
 * Address-size prefix words (a16/a32/a64), size words on memory operands that take none, and
 * o64 alone, against nasm -f bin: where nasm gives bytes tinyelf gives the same bytes, where nasm
 * refuses tinyelf refuses with a located error.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasNasm, MODES, NASM, runNasm, type Bits } from './gen.js';
import { tiny } from './harness.js';
import { missing } from '../helpers/oracles.js';

/** A base register of each address size, as nasm writes it in an address. */
const BASE: Record<Bits, string> = { 16: 'bx', 32: 'ebx', 64: 'rbx' };

/** Lines with a16/a32/a64 before instructions with and without address registers. */
function addressSizeLines(): string[] {
  const lines: string[] = [];
  for (const a of ['a16', 'a32', 'a64']) {
    for (const base of Object.values(BASE)) {
      lines.push(`${a} mov eax, [${base}]`, `${a} mov ax, [${base}+4]`, `${a} add dword [${base}], 1`, `${a} lea ecx, [${base}]`);
      lines.push(`${a} lgdt [${base}]`, `${a} jmp [${base}]`, `${a} lock inc dword [${base}]`);
    }
    lines.push(`${a} mov eax, [bp+si]`, `${a} mov eax, [ebx*2]`, `${a} mov ecx, [eax+esi*4+8]`);
    // Without address registers: the address has the size the word asks for (moffs and ModRM forms).
    lines.push(`${a} mov eax, [0x1234]`, `${a} mov [0x1234], al`, `${a} mov ecx, [0x1234]`, `${a} add dword [0x10], 1`);
    lines.push(`${a} mov eax, [fs:0x10]`, `${a} mov eax, [0xffffffff]`, `${a} mov eax, [-1]`, `${a} mov eax, [abs 0x1234]`);
    lines.push(`${a} mov eax, [qword 0x1234]`, `${a} mov [dword 0x1234], al`);
    lines.push(`${a} movsb`, `${a} lodsd`, `${a} rep stosw`, `${a} xlatb`, `${a} loop $`, `${a} jcxz $`, `${a} nop`, a, `${a} fs`);
  }
  // ([qword …] outside 64-bit addressing: nasm refuses it)
  lines.push('mov eax, [qword 0x1234]', 'mov [qword 0x10], al');
  return lines;
}

/** The forms whose memory operand takes no size word, with every size word. */
function sizeWordLines(bits: Bits): string[] {
  const mem = `[${BASE[bits]}]`;
  const lines: string[] = [];
  for (const size of ['', 'byte ', 'word ', 'dword ', 'qword ']) {
    for (const mn of ['lgdt', 'lidt', 'sgdt', 'sidt', 'invlpg', 'clflush', 'cmpxchg16b', 'cmpxchg8b']) lines.push(`${mn} ${size}${mem}`);
    for (const mn of ['lds', 'les', 'lss', 'lfs', 'lgs', 'bound']) {
      for (const reg of ['ax', 'eax', 'rax']) lines.push(`${mn} ${reg}, ${size}${mem}`);
    }
    lines.push(`lea eax, ${size}${mem}`);
  }
  return lines;
}

/**
 * Lines nasm assembles that tinyelf refuses on purpose (by mode and line), with the reason it
 * gives: nasm turns `rel` into an absolute address, and in 32-bit code keeps jcxz's 16-bit address
 * whatever a32 says.
 */
const REFUSED: Record<string, RegExp> = {
  '64 a32 mov eax, [rel 0x1234]': /a32 addresses cannot be RIP-relative/,
  '32 a32 jcxz $': /a32 conflicts with the 16-bit address/,
};

/**
 * The lines where tinyelf and nasm part: a line nasm refuses that tinyelf assembles, an error
 * without a place, or other bytes. Where nasm warns (it truncates an address that does not fit)
 * its bytes are not the rule, and tinyelf may refuse or give the address it was given.
 */
function compareWithNasm(bits: Bits, lines: string[]): string[] {
  const wrong: string[] = [];
  for (const r of runNasm(lines, bits)) {
    const t = tiny(bits, r.line);
    if (r.error !== undefined) {
      if (t.error === undefined) wrong.push(`${r.line}: tinyelf ${t.hex}, nasm refuses: ${r.error}`);
      else if (t.error.line !== 1 || !(t.error.column > 0)) wrong.push(`${r.line}: error not located: ${t.error.message}`);
    } else if (REFUSED[`${bits} ${r.line}`]) {
      if (!t.error || !REFUSED[`${bits} ${r.line}`]!.test(t.error.reason)) wrong.push(`${r.line}: expected a refusal, got ${t.hex ?? t.error!.reason}`);
    } else if (t.hex !== r.hex && r.warning === undefined) {
      wrong.push(`${r.line}: tinyelf ${t.hex ?? t.error!.reason}, nasm ${r.hex}`);
    }
  }
  return wrong;
}

describe.skipIf(missing('nasm', hasNasm()))('x86 address and operand sizes: nasm\'s bytes or a located error', () => {
  for (const bits of MODES) {
    it(`bits ${bits}: a16/a32/a64 before instructions with and without address registers`, () => {
      const lines = addressSizeLines();
      expect(compareWithNasm(bits, lines)).toEqual([]);
      // The rule is exercised: nasm refuses some lines and takes others.
      const nasm = runNasm(lines, bits);
      expect(nasm.filter((r) => r.error?.includes('impossible combination of address sizes')).length).toBeGreaterThan(0);
      expect(nasm.filter((r) => r.hex).length).toBeGreaterThan(10);
    });

    it(`bits ${bits}: a size word on a memory operand that takes none`, () => {
      const lines = sizeWordLines(bits);
      expect(compareWithNasm(bits, lines)).toEqual([]);
      expect(runNasm(lines, bits).filter((r) => r.error?.includes('mismatch in operand sizes')).length).toBeGreaterThan(0);
    });
  }

  it('bits 64: o64 with no instruction after it, which nasm 2.16 cannot assemble, is refused at the o64', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyelf-nasm-'));
    try {
      for (const [line, column] of [['o64', 1], ['o64 fs', 1], ['fs o64', 4], ['rep o64', 5], ['lock o64', 6]] as const) {
        writeFileSync(join(dir, 'a.asm'), `bits 64\n${line}\n`);
        const r = spawnSync(NASM, ['-f', 'bin', '-o', join(dir, 'a.bin'), join(dir, 'a.asm')], { encoding: 'utf8' });
        expect(r.status, `nasm assembled ${line}`).not.toBe(0);
        const t = tiny(64, line);
        expect(t.error, `${line}: tinyelf ${t.hex}`).toBeDefined();
        expect({ line: t.error!.line, column: t.error!.column }).toEqual({ line: 1, column });
        expect(t.error!.reason).toMatch(/o64 needs an instruction after it/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
